/**
 * The faults of the CDC fault benchmark, each run beside the stream. Fault i of n waits until the
 * pipeline has applied (i + 1) / (n + 1) of the stream's messages, so faults spread over the
 * whole stream whatever its speed, and each lands after new progress was committed:
 *
 *   sigkill       SIGKILL of `ficus cdc run` 0–300 ms after it committed new offsets (likely
 *                 mid-batch), restarted at once with the same config and consumer group;
 *   pg-terminate  `pg_terminate_backend` of one of the sink's Postgres connections while it is
 *                 inside a batch's transaction (idle in transaction, or running a statement
 *                 after BEGIN), found by polling pg_stat_activity every millisecond (the
 *                 sink's connections are told apart by their application_name), each after
 *                 new progress since the last one; the process must retry on its own;
 *   broker-hung   the mock broker SIGSTOPped for the outage, then SIGCONTed (cdc-broker.ts);
 *   broker-down   the broker port rejected with TCP resets for the outage (cdc-broker.ts).
 */
import type pg from 'pg';
import { brokerDown, brokerHung } from './cdc-broker.js';
import type { Supervisor } from './cdc-supervisor.js';

export interface FaultContext {
  readonly supervisor: Supervisor;
  /** Messages applied so far (the sum of the stored next offsets), as last polled. */
  readonly progress: () => number;
  /** Messages in the stream. */
  readonly total: number;
  /** The bench's own connection to the target database. */
  readonly pool: pg.Pool;
  /** application_name of the sink's connections. */
  readonly sinkApplication: string;
  readonly kafkaPid: number;
  readonly brokerPorts: readonly number[];
  readonly outageMs: number;
  readonly signal: AbortSignal;
  readonly random: () => number;
  readonly log: (s: string) => void;
}

export interface FaultReport {
  readonly injected: number;
  /** What was done, for the table. */
  readonly what: string;
  /** Per fault, for the log and the notes. */
  readonly details: readonly string[];
}

export type Injector = (ctx: FaultContext, count: number) => Promise<FaultReport>;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `ok()` or the signal aborts; false when aborted. */
async function until(ctx: FaultContext, ok: () => boolean, pollMs = 5): Promise<boolean> {
  while (!ok()) {
    if (ctx.signal.aborted) return false;
    await sleep(pollMs);
  }
  return !ctx.signal.aborted;
}

const threshold = (ctx: FaultContext, i: number, n: number): number => Math.floor((ctx.total * (i + 1)) / (n + 1));

const sigkill: Injector = async (ctx, n) => {
  const details: string[] = [];
  let since = ctx.progress();
  for (let i = 0; i < n; i++) {
    if (!(await until(ctx, () => ctx.progress() >= threshold(ctx, i, n) && ctx.progress() > since))) break;
    await sleep(Math.floor(ctx.random() * 300));
    await ctx.supervisor.kill();
    const at = ctx.progress();
    details.push(`kill ${i + 1} at ${at} applied`);
    await ctx.supervisor.restart();
    since = ctx.progress();
  }
  return {
    injected: details.length,
    what: `${details.length} × SIGKILL of \`ficus cdc run\`, each 0–300 ms after it committed new offsets, restarted at once`,
    details,
  };
};

const pgTerminate: Injector = async (ctx, n) => {
  const details: string[] = [];
  const kinds = new Map<string, number>();
  /** Backends terminated already (one may linger in pg_stat_activity for a moment). */
  const gone: number[] = [];
  const sql = (inTransaction: boolean): string => `SELECT pid, state, split_part(ltrim(query), ' ', 1) AS statement, pg_terminate_backend(pid) AS done
       FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> ALL($2::int[])${inTransaction ? ` AND (state = 'idle in transaction' OR (state = 'active' AND xact_start < query_start))` : ''} LIMIT 1`;
  let since = -1;
  for (let i = 0; i < n; i++) {
    if (!(await until(ctx, () => ctx.progress() >= threshold(ctx, i, n) && ctx.progress() > since))) break;
    since = ctx.progress();
    // Inside a transaction if one shows within 3 s; else whatever sink connection there is.
    type Hit = { pid: number; state: string; statement: string };
    let hit: Hit | undefined;
    const end = Date.now() + 3000;
    while (!hit && Date.now() < end && !ctx.signal.aborted) {
      hit = (await ctx.pool.query<Hit>(sql(true), [ctx.sinkApplication, gone])).rows[0];
      if (!hit) await sleep(1);
    }
    hit ??= (await ctx.pool.query<Hit>(sql(false), [ctx.sinkApplication, gone])).rows[0];
    if (!hit) {
      details.push(`termination ${i + 1}: no sink connection found`);
      continue;
    }
    gone.push(hit.pid);
    const kind = `${hit.state}${hit.statement ? ` (${hit.statement.toUpperCase()})` : ''}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    details.push(`termination ${i + 1} at ${ctx.progress()} applied: backend ${hit.pid}, ${kind}`);
  }
  const injected = details.filter((d) => d.includes('backend')).length;
  const by = [...kinds].map(([k, c]) => `${c} ${k}`).join(', ');
  return {
    injected,
    what: `${injected} × \`pg_terminate_backend\` of a sink connection, each after new progress, inside a batch's transaction where one showed within 3 s (backend state and its last statement: ${by})`,
    details,
  };
};

function outage(name: string, what: (n: number, ms: number) => string, start: (ctx: FaultContext) => () => void): Injector {
  return async (ctx, n) => {
    const details: string[] = [];
    for (let i = 0; i < n; i++) {
      if (!(await until(ctx, () => ctx.progress() >= threshold(ctx, i, n)))) break;
      const at = ctx.progress();
      const end = start(ctx);
      try {
        await sleep(ctx.outageMs);
      } finally {
        end();
      }
      details.push(`${name} ${i + 1} at ${at} applied, ${ctx.outageMs} ms`);
      ctx.log(`  ${details.at(-1)}`);
    }
    return { injected: details.length, what: what(details.length, ctx.outageMs), details };
  };
}

export const INJECTORS: Readonly<Record<string, Injector>> = {
  sigkill,
  'pg-terminate': pgTerminate,
  'broker-hung': outage(
    'outage',
    (n, ms) => `${n} × the mock broker frozen (SIGSTOP of kcat) for ${ms / 1000} s, then SIGCONT`,
    (ctx) => brokerHung(ctx.kafkaPid),
  ),
  'broker-down': outage(
    'outage',
    (n, ms) =>
      `${n} × ${ms / 1000} s of \`iptables REJECT --reject-with tcp-reset\` for every packet a client sends to the broker port (open connections reset, new ones refused; kcat's own consumer of its mock cluster exempt, since kcat exits when it loses its broker)`,
    (ctx) => brokerDown(ctx.brokerPorts),
  ),
};
