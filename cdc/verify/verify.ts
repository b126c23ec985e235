/**
 * `ficus cdc verify`: proves the target agrees with the source through the mapping, table by
 * table — plan (plan.ts), chunk aggregates computed inside each database and compared, the
 * mismatched chunks narrowed down to rows (table.ts), mismatches checked again after
 * `recheckAfterMs` while a pipeline may be catching up (recheck.ts), and with `repair` the
 * source rows re-applied through the mapping and the sink (repair.ts).
 *
 * A table that cannot be compared (missing column, a filter on `op`, a failed query) gets
 * status `refused` or `error` with its code; the other tables are still verified.
 *
 * @example
 *   const result = await verifyCdc({ config, logger });
 *   if (!result.equal) process.exitCode = 1; // (in cli/)
 */
import { childLogger, isFicusError, redactUrl, silentLogger, type Logger } from '../../core/index.js';
import type { CdcConfig, TableMapping } from '../config/schema.js';
import { openPostgresSink, type PostgresSink } from '../sinks/postgres.js';
import { tableContext, type TableContext } from './context.js';
import { toMismatches } from './diff.js';
import { queryError, verifyError, VerifyErrorCode } from './errors.js';
import { planTable } from './plan.js';
import { recheck } from './recheck.js';
import { repairTable, type RepairResult } from './repair.js';
import { openVerifyPool, sessionTimeZone, type VerifyPool } from './session.js';
import { firstPass, type FirstPass } from './table.js';
import type { TableVerifyResult, VerifyResult } from './types.js';

export type VerifyProgress =
  | { readonly kind: 'table'; readonly table: string; readonly index: number; readonly of: number }
  | { readonly kind: 'chunks'; readonly table: string; readonly total: number; readonly mismatched: number }
  | { readonly kind: 'recheck'; readonly round: number; readonly rows: number; readonly afterMs: number }
  | { readonly kind: 'repair'; readonly table: string; readonly rows: number };

export interface VerifyOptions {
  readonly config: CdcConfig;
  /** Only the mappings whose `from` or `to` is one of these (`table` or `schema.table`). */
  readonly tables?: readonly string[];
  /** Re-apply source rows for missing and different keys, delete extra keys. */
  readonly repair?: boolean;
  readonly logger?: Logger;
  /** Override verify.chunkRows. */
  readonly chunkRows?: number;
  /** Override verify.recheckAfterMs. */
  readonly recheckAfterMs?: number;
  /** Recheck rounds at most (default 2): a row is reported only when it still differs after each. */
  readonly rechecks?: number;
  /** Rows per table at most in the mismatch lists (default 10 000). */
  readonly maxMismatches?: number;
  /** Narrowing: fetch rows once a range holds at most this many (default 1000). */
  readonly leafRows?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onProgress?: (p: VerifyProgress) => void;
}

interface TableRun {
  readonly mapping: TableMapping;
  readonly index: number;
  ctx?: TableContext;
  pass?: FirstPass;
  rounds: number;
  resolved: number;
  repair?: RepairResult;
  problem?: { code: string; message: string; refused: boolean };
  elapsed: number;
}

const sleeper = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function matches(m: TableMapping, name: string, targetSchema: string): boolean {
  const to = m.to ?? m.from.split('.').pop() ?? m.from;
  const bare = (s: string): string => s.split('.').pop() ?? s;
  return m.from === name || bare(m.from) === name || to === name || `${targetSchema}.${to}` === name || (to.includes('.') && bare(to) === name);
}

function selectMappings(config: CdcConfig, names: readonly string[] | undefined, targetSchema: string): { mapping: TableMapping; index: number }[] {
  const all = config.tables.map((mapping, index) => ({ mapping, index }));
  if (!names || names.length === 0) return all;
  for (const name of names) {
    if (!all.some((t) => matches(t.mapping, name, targetSchema))) {
      throw verifyError(VerifyErrorCode.TABLE, `--table ${name} names no mapping; valid: ${config.tables.map((t) => t.from).join(', ')}`, { details: { table: name } });
    }
  }
  return all.filter((t) => names.some((n) => matches(t.mapping, n, targetSchema)));
}

function positive(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw verifyError(VerifyErrorCode.OPTIONS, `verify option ${name} must be a whole number ≥ 0, not ${String(v)}`);
  return n;
}

function tableResult(run: TableRun, recheckAfterMs: number): TableVerifyResult {
  const plan = run.ctx?.plan;
  const pass = run.pass;
  const mismatches = plan && pass ? toMismatches(plan, pass.found) : { missing: [], extra: [], different: [], truncated: false };
  const differs = mismatches.missing.length + mismatches.extra.length + mismatches.different.length > 0 || mismatches.truncated;
  const status = run.problem ? (run.problem.refused ? 'refused' : 'error') : differs ? 'different' : 'equal';
  return {
    from: plan?.from ?? run.mapping.from,
    to: plan?.to ?? run.mapping.to ?? run.mapping.from,
    status,
    ...(run.problem ? { problem: { code: run.problem.code, message: run.problem.message } } : {}),
    key: plan?.key ?? [],
    compared: plan?.compared ?? [],
    notCompared: plan?.notCompared ?? [],
    ...(plan?.filter ? { filter: plan.filter } : {}),
    rows: pass?.rows ?? { source: 0, target: 0 },
    chunks: pass?.chunks ?? { total: 0, mismatched: 0, chunkRows: 0, method: 'ordered-keys', mismatchedRanges: [] },
    narrowing: { queries: run.ctx?.stats.queries ?? 0, rowsFetched: run.ctx?.stats.rowsFetched ?? 0 },
    mismatches,
    recheck: { rounds: run.rounds, afterMs: recheckAfterMs, resolved: run.resolved },
    ...(run.repair ? { repair: run.repair } : {}),
    durationMs: Math.round(run.elapsed),
  };
}

export async function verifyCdc(options: VerifyOptions): Promise<VerifyResult> {
  const { config } = options;
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'verify' });
  const sinkConfig = config.sink.postgres;
  if (!sinkConfig) throw verifyError(VerifyErrorCode.CONFIG, 'ficus cdc verify compares against a Postgres sink; this config has no sink.postgres');
  const sourceUrl = config.verify.source?.url ?? config.source.postgres?.url;
  if (!sourceUrl) {
    throw verifyError(VerifyErrorCode.CONFIG, 'ficus cdc verify reads the source rows from Postgres: set verify.source.url (or use source.postgres)');
  }
  const chunkRows = positive('chunkRows', options.chunkRows, config.verify.chunkRows);
  const recheckAfterMs = positive('recheckAfterMs', options.recheckAfterMs, config.verify.recheckAfterMs);
  const rechecks = positive('rechecks', options.rechecks, 2);
  const maxMismatches = positive('maxMismatches', options.maxMismatches, 10_000);
  const leafRows = positive('leafRows', options.leafRows, 1000);
  if (chunkRows < 1 || leafRows < 1 || maxMismatches < 1) throw verifyError(VerifyErrorCode.OPTIONS, 'chunkRows, leafRows and maxMismatches must be at least 1');
  const selected = selectMappings(config, options.tables, sinkConfig.schema);
  const sleep = options.sleep ?? sleeper;
  const progress = options.onProgress ?? (() => undefined);
  const startedAt = new Date();
  const t0 = performance.now();
  const target: VerifyPool = openVerifyPool({ url: sinkConfig.url, side: 'target', logger: log });
  let timeZone: string;
  try {
    timeZone = await sessionTimeZone(target);
  } catch (err) {
    await target.end();
    throw queryError(err, `connecting to the target database ${redactUrl(sinkConfig.url)}`);
  }
  const source: VerifyPool = openVerifyPool({ url: sourceUrl, side: 'source', logger: log, timeZone });
  try {
    await source.pool.query('SELECT 1');
  } catch (err) {
    await Promise.all([source.end(), target.end()]);
    throw queryError(err, `connecting to the source database ${redactUrl(sourceUrl)}`);
  }
  let sink: PostgresSink | undefined;
  const runs: TableRun[] = selected.map((s) => ({ ...s, rounds: 0, resolved: 0, elapsed: 0 }));
  const fail = (run: TableRun, err: unknown): void => {
    if (!isFicusError(err)) throw err;
    run.problem = { code: err.code, message: err.message, refused: err.code === VerifyErrorCode.FILTER };
    log.warn({ table: run.mapping.from, code: err.code, err: err.message }, 'table not verified');
  };
  try {
    for (const [i, run] of runs.entries()) {
      const t = performance.now();
      progress({ kind: 'table', table: run.mapping.from, index: i, of: runs.length });
      try {
        const plan = await planTable({ source: source.pool, target: target.pool, targetSchema: sinkConfig.schema }, run.mapping, run.index);
        run.ctx = tableContext(plan, source.pool, target.pool);
        run.pass = await firstPass(run.ctx, { chunkRows, leafRows, fanout: 16, maxMismatches });
        progress({ kind: 'chunks', table: plan.from, total: run.pass.chunks.total, mismatched: run.pass.chunks.mismatched });
        log.info({ table: plan.from, rows: run.pass.rows, chunks: run.pass.chunks.total, mismatched: run.pass.found.rows.size }, 'first pass');
      } catch (err) {
        fail(run, err);
      }
      run.elapsed += performance.now() - t;
    }
    for (let round = 1; round <= rechecks && recheckAfterMs > 0; round++) {
      const pending = runs.filter((r) => !r.problem && r.pass && r.pass.found.rows.size > 0);
      if (pending.length === 0) break;
      progress({ kind: 'recheck', round, rows: pending.reduce((s, r) => s + (r.pass?.found.rows.size ?? 0), 0), afterMs: recheckAfterMs });
      await sleep(recheckAfterMs);
      for (const run of pending) {
        const t = performance.now();
        const { ctx, pass } = run as Required<Pick<TableRun, 'ctx' | 'pass'>>;
        try {
          const before = pass.found.rows.size;
          pass.found.replace(await recheck(ctx, pass.found.list()));
          run.rounds = round;
          run.resolved += before - pass.found.rows.size;
        } catch (err) {
          fail(run, err);
        }
        run.elapsed += performance.now() - t;
      }
    }
    if (options.repair) {
      for (const run of runs) {
        if (run.problem || !run.ctx || !run.pass || run.pass.found.rows.size === 0) continue;
        const t = performance.now();
        progress({ kind: 'repair', table: run.ctx.plan.from, rows: run.pass.found.rows.size });
        sink ??= await openPostgresSink({
          url: sinkConfig.url,
          schema: sinkConfig.schema,
          offsetsTable: config.offsets.table,
          deadLetterTable: config.deadLetter.table,
          logger: log,
        });
        try {
          run.repair = await repairTable(run.ctx, sink, run.pass.found.list(), log);
        } catch (err) {
          fail(run, err);
        }
        run.elapsed += performance.now() - t;
      }
    }
  } finally {
    await sink?.close().catch(() => undefined);
    await Promise.all([source.end(), target.end()]);
  }
  const tables = runs.map((r) => tableResult(r, recheckAfterMs));
  return {
    kind: 'ficus.cdc.verify',
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    source: redactUrl(sourceUrl),
    target: redactUrl(sinkConfig.url),
    equal: tables.every((t) => t.status === 'equal'),
    repaired: options.repair === true,
    tables,
  };
}
