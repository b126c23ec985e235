/**
 * The diff writer between the hot path and a DiffStore. `offer(record)` never blocks or throws:
 * it queues the record, or drops and counts it when `maxQueue` records are already waiting. A
 * background loop writes batches of up to `batch` records — at once when a full batch is queued,
 * else `flushMs` after the first record of a partial one. One store write is in flight at a time.
 *
 * A failed write is logged and its batch kept (it still counts against `maxQueue`, so a long
 * outage drops new records rather than growing memory) and retried with capped exponential
 * backoff and jitter. Stores make retries safe: Postgres ignores ids it has, ndjson lists each id
 * once. An error marked `retriable: false` (a record the store refuses) is not retried: the batch
 * is written record by record once and only the refused records are dropped, so one bad record
 * does not take its batch with it.
 *
 * `close()` stops accepting, writes what it can before a deadline, counts the rest as dropped,
 * then closes the store (whose own operations are bounded: pg query and connect timeouts).
 *
 * `tally(route, outcome, at)` counts every shadow comparison per route and minute — the diff
 * rate's denominator, since only differing responses become records — and the minutes that
 * ended are written to the store's optional `writeTallies` every `tallyMs` (tally-writer.ts),
 * on the same one-at-a-time queue; `flush()` and `close()` write them too.
 */
import { childLogger, FicusError, isFicusError, silentLogger, type Logger } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ComparisonOutcome, DiffRecord, DiffStore } from '../model.js';
import { TallyWriter, type TallyWriterStats } from './tally-writer.js';

export type { TallyWriterStats } from './tally-writer.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DiffWriterOptions {
  /** Records waiting (queued plus a batch kept for retry) before new ones are dropped. Default 10 000. */
  readonly maxQueue?: number;
  /** Records per store write. Default 100. */
  readonly batch?: number;
  /** How long a partial batch waits for more records. Default 200 ms. */
  readonly flushMs?: number;
  /** First retry delay (default 100 ms); doubles per failure up to `maxRetryMs` (default 30 s), ±25 % jitter. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** How long `close()` keeps trying to write what is queued. Default 5 s. */
  readonly closeTimeoutMs?: number;
  /** How often the comparison tallies of minutes that ended are written. Default 15 s. */
  readonly tallyMs?: number;
  readonly logger?: Logger;
  /** Injected by tests: timers, the clock (ms), the jitter source in [0, 1). */
  readonly timers?: Timers;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface DiffWriterStats {
  /** Offered and not yet written (including a batch waiting to be retried). */
  readonly queued: number;
  readonly written: number;
  /** Not accepted (queue full, writer closed), refused by the store, or still queued at the close deadline. */
  readonly dropped: number;
  /** Store writes that failed; every failed retry counts again. */
  readonly failedWrites: number;
}

export interface DiffWriter {
  /** Queues a record; false when it was dropped. Never throws, never waits. */
  offer(record: DiffRecord): boolean;
  /** Counts one shadow comparison of `route` at `at` (a Date or epoch ms). Never throws, never waits. */
  tally(route: string, outcome: ComparisonOutcome, at: Date | number): void;
  stats(): DiffWriterStats;
  tallyStats(): TallyWriterStats;
  /** Writes everything queued now; rejects (GW_DIFF_STORE, retriable) if the store fails, keeping the records. */
  flush(): Promise<void>;
  /** Writes what it can before the deadline, then closes the store. Idempotent. */
  close(): Promise<void>;
}

const DEFAULTS = { maxQueue: 10_000, batch: 100, flushMs: 200, retryMs: 100, maxRetryMs: 30_000, closeTimeoutMs: 5_000, tallyMs: 15_000 };
const MINIMA = { maxQueue: 1, batch: 1, flushMs: 0, retryMs: 1, maxRetryMs: 1, closeTimeoutMs: 0, tallyMs: 1 } as const;

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function settings(options: DiffWriterOptions): typeof DEFAULTS {
  const o = { ...DEFAULTS };
  for (const name of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) {
    const v = options[name] ?? DEFAULTS[name];
    if (!Number.isInteger(v) || v < MINIMA[name])
      throw new FicusError(GatewayErrorCode.DIFF_STORE, `diff writer: ${name} ${String(v)} must be an integer ≥ ${MINIMA[name]}`);
    o[name] = v;
  }
  if (o.batch > o.maxQueue) throw new FicusError(GatewayErrorCode.DIFF_STORE, `diff writer: batch ${o.batch} must not exceed maxQueue ${o.maxQueue}`);
  return o;
}

type Outcome = 'ok' | 'retry';

/**
 * @example
 *   const writer = createDiffWriter(await openDiffStore(config.diffs), { logger });
 *   writer.offer(record); // from the shadow comparison, after the client has its answer
 *   await writer.close(); // on shutdown
 */
export function createDiffWriter(store: DiffStore, options: DiffWriterOptions = {}): DiffWriter {
  const o = settings(options);
  const timers = options.timers ?? realTimers;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = childLogger(options.logger ?? silentLogger(), { part: 'gateway', mod: 'diff-writer' });

  const queue: DiffRecord[] = [];
  /** A batch taken from the queue and not yet written; written before anything newer. */
  let held: DiffRecord[] = [];
  let written = 0;
  let dropped = 0;
  let failedWrites = 0;
  let droppedSinceWrite = 0;
  /** Consecutive failures; > 0 means a retry is scheduled or under way. */
  let failures = 0;
  let timer: unknown;
  /** Loops run one after another on this chain, so one store write is in flight at a time. */
  let tail: Promise<unknown> = Promise.resolve();
  /** Loops queued or running; while > 0 a loop will see newly offered records. */
  let loops = 0;
  let closing: Promise<void> | null = null;
  /** Set when close gave up: a write still in flight then no longer counts. */
  let abandoned = false;

  const queued = (): number => queue.length + held.length;

  function drop(n: number, why: string): void {
    if (droppedSinceWrite === 0) log.warn({ why, queued: queued() }, 'dropping diff records');
    dropped += n;
    droppedSinceWrite += n;
  }

  function succeeded(n: number): void {
    written += n;
    failures = 0;
    if (droppedSinceWrite > 0) log.info({ dropped: droppedSinceWrite }, 'diff records are being written again');
    droppedSinceWrite = 0;
  }

  function backoff(n = failures): number {
    const base = Math.min(o.maxRetryMs, o.retryMs * 2 ** Math.min(Math.max(n - 1, 0), 30));
    return Math.max(1, Math.round(base * (0.75 + random() / 2)));
  }

  function cancel(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  /** After a loop: wake up again when there is something to do. */
  function rearm(): void {
    if (closing !== null || loops > 0 || timer !== undefined || queued() === 0) return;
    const ms = failures > 0 ? backoff() : queue.length >= o.batch ? 0 : o.flushMs;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void exclusive(background);
    }, ms);
    (timer as { unref?: () => void } | null)?.unref?.();
  }

  function exclusive<T>(loop: () => Promise<T>): Promise<T> {
    loops += 1;
    const run = tail.then(async () => {
      try {
        return await loop();
      } finally {
        loops -= 1;
        rearm();
      }
    });
    tail = run.catch(() => undefined);
    return run;
  }

  /** Writes the held batch or the next one. */
  async function step(): Promise<Outcome> {
    if (held.length === 0) held = queue.splice(0, o.batch);
    const records = held;
    if (records.length === 0) return 'ok';
    try {
      await store.write(records);
    } catch (err) {
      if (abandoned) return 'ok';
      failedWrites += 1;
      if (isFicusError(err) && !err.retriable) return isolate(records, err);
      failures += 1;
      log.warn({ err: errorText(err), records: records.length, attempt: failures }, 'diff store write failed; will retry');
      return 'retry';
    }
    if (abandoned) return 'ok';
    held = [];
    succeeded(records.length);
    return 'ok';
  }

  /** A refused batch, written one record at a time; the records the store refuses are dropped. */
  async function isolate(records: DiffRecord[], err: FicusError): Promise<Outcome> {
    log.error({ err: err.message, code: err.code, records: records.length }, 'diff store refused a write');
    for (let i = 0; i < records.length; i += 1) {
      const record = records[i] as DiffRecord;
      held = records.slice(i);
      try {
        if (records.length === 1) throw err;
        await store.write([record]);
        succeeded(1);
      } catch (e) {
        if (abandoned) return 'ok';
        if (records.length > 1) failedWrites += 1;
        if (!isFicusError(e) || e.retriable) {
          failures += 1;
          log.warn({ err: errorText(e), records: held.length, attempt: failures }, 'diff store write failed; will retry');
          return 'retry';
        }
        log.error({ err: e.message, id: record.id }, 'diff store refused a record; dropped');
        drop(1, 'refused by the store');
      }
    }
    held = [];
    return 'ok';
  }

  /** The background loop: full batches back to back; a partial one waits for rearm's flushMs. */
  async function background(): Promise<void> {
    while (closing === null) {
      if ((await step()) === 'retry') return;
      if (queue.length < o.batch) return;
    }
  }

  function within<T>(p: Promise<T>, ms: number): Promise<{ value: T } | null> {
    return new Promise((resolve, reject) => {
      const h = timers.setTimeout(() => resolve(null), ms);
      p.then(
        (value) => {
          timers.clearTimeout(h);
          resolve({ value });
        },
        (e: unknown) => {
          timers.clearTimeout(h);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => timers.setTimeout(resolve, ms));

  async function closeLoop(deadline: number): Promise<void> {
    while (queued() > 0 && now() < deadline) {
      if ((await step()) === 'retry') await sleep(Math.min(backoff(), Math.max(0, deadline - now())));
    }
    while (tallies.pending && now() < deadline) {
      if (!(await tallies.write(Infinity))) await sleep(Math.min(backoff(tallies.failures), Math.max(0, deadline - now())));
    }
  }

  const tallies = new TallyWriter({ store, everyMs: o.tallyMs, timers, now, log, exclusive, abandoned: () => abandoned });

  return {
    offer(record: DiffRecord): boolean {
      try {
        if (closing !== null || queued() >= o.maxQueue) {
          drop(1, closing !== null ? 'writer closed' : 'queue full');
          return false;
        }
        queue.push(record);
        // A running loop sees the record when its write returns; a pending retry keeps its backoff.
        if (loops > 0 || failures > 0) return true;
        if (queue.length >= o.batch) {
          cancel();
          void exclusive(background);
        } else rearm();
        return true;
      } catch {
        return false; // never fail the hot path
      }
    },

    tally(route: string, outcome: ComparisonOutcome, at: Date | number): void {
      try {
        tallies.add(route, outcome, typeof at === 'number' ? at : at.getTime());
      } catch {
        // never fail the hot path
      }
    },

    stats: () => ({ queued: queued(), written, dropped, failedWrites }),

    tallyStats: () => tallies.stats(),

    flush(): Promise<void> {
      cancel();
      return exclusive(async () => {
        while (queued() > 0) {
          if ((await step()) === 'retry') {
            throw new FicusError(GatewayErrorCode.DIFF_STORE, `diff store write failed; ${queued()} records still queued for retry`, { retriable: true });
          }
        }
        if (!(await tallies.write(Infinity))) {
          throw new FicusError(GatewayErrorCode.DIFF_STORE, 'diff store failed to write comparison tallies; they are kept for retry', { retriable: true });
        }
      });
    },

    close(): Promise<void> {
      closing ??= (async () => {
        cancel();
        tallies.stop();
        const deadline = now() + o.closeTimeoutMs;
        const finished = await within(
          exclusive(() => closeLoop(deadline)),
          Math.max(0, deadline - now()),
        ).catch(() => ({ value: undefined }));
        cancel();
        if (finished === null) abandoned = true; // a write was still in flight at the deadline
        const left = queued();
        if (left > 0) {
          log.warn({ left, timeoutMs: o.closeTimeoutMs }, 'diff writer closed with records unwritten');
          queue.length = 0;
          held = [];
          drop(left, 'left at close');
        }
        tallies.abandon();
        await store.close();
      })();
      return closing;
    },
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
