/**
 * `replay`: re-sends recorded requests to a target build and says, per record, whether the
 * difference the gateway recorded is fixed, still there, or replaced by a new one (model.ts).
 *
 *   load (load.ts) → per record: skip? (request.ts) → pace (pace.ts) → send to the target, and
 *   to a live baseline when one is given (send.ts) → compare with the route's rules and noise
 *   paths (rules.ts, outcome.ts, classify.ts) → ReplayResult
 *
 * At most `concurrency` records are in flight at once (workers pulling from one queue), and
 * requests start no faster than `rate` a second. Outcomes keep the records' (time) order
 * whatever order the answers came in. Nothing here writes files or prints: the caller gets the
 * result and a progress callback.
 *
 * @example
 *   const result = await replay({ source: './ficus-diffs', target: 'http://127.0.0.1:8081', config, onProgress: (p) => bar.update(p.done) });
 *   if (failed(result.summary)) process.exitCode = 1;
 */
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import type { GatewayConfig } from '../config/load.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffRecord } from '../model.js';
import { wildcardIndices } from '../shadow/jsonpath.js';
import { summarise } from './classify.js';
import { loadRecords } from './load.js';
import { REPLAY_SCHEMA_VERSION, type ReplayClass, type ReplayOutcome, type ReplayResult, type ReplaySummary } from './model.js';
import { liveSide, outcomeOf, recordedSide, skippedOutcome } from './outcome.js';
import { createPacer, realClock, type Clock } from './pace.js';
import { replayRequest, skipReason } from './request.js';
import { routeRules } from './rules.js';
import { createSender, parseBaseUrl, type Sender } from './send.js';

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_CONCURRENCY = 1024;
const COUNTER = {
  fixed: 'fixed',
  'still-different': 'stillDifferent',
  'newly-different': 'newlyDifferent',
  error: 'error',
  skipped: 'skipped',
} as const satisfies Record<ReplayClass, keyof ReplaySummary>;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface ReplayProgress {
  readonly done: number;
  readonly total: number;
  /** Counts so far. */
  readonly summary: ReplaySummary;
}

export interface ReplayOptions {
  /** A diffs `.ndjson` file, the gateway's diffs folder, or a `postgres://` URL. */
  readonly source: string;
  /** Base URL of the build under test. */
  readonly target: string;
  /** Base URL of a live baseline to compare with instead of the recorded primary responses. */
  readonly baseline?: string;
  /** Only this route's records. */
  readonly route?: string;
  /** Postgres table of the diff store (default ficus_diffs). */
  readonly table?: string;
  /** The gateway config the records were captured under: each route's compare rules, redaction and body cap. */
  readonly config?: GatewayConfig;
  /** Records in flight at once (default 8). */
  readonly concurrency?: number;
  /** Requests started per second at most (default: no limit). */
  readonly rate?: number;
  /** Per request: headers, then body (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Headers sent with every request, replacing recorded (and redacted) ones of the same name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Re-send POST, PUT, PATCH, DELETE… too (default: they are skipped). */
  readonly allowUnsafe?: boolean;
  /** More noise paths per route (e.g. the admin API's /noise), array indices as [*] or concrete. */
  readonly noisePaths?: Readonly<Record<string, readonly string[]>>;
  readonly onProgress?: (progress: ReplayProgress) => void;
  readonly logger?: Logger;
  readonly now?: () => Date;
  readonly clock?: Clock;
}

function optionError(field: string, message: string): FicusError {
  return new FicusError(GatewayErrorCode.REPLAY_OPTION, message, { exitCode: 2, details: { field } });
}

function checkOptions(o: ReplayOptions): { concurrency: number; timeoutMs: number } {
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw optionError('concurrency', `concurrency ${concurrency} is not an integer from 1 to ${MAX_CONCURRENCY}`);
  if (o.rate !== undefined && !(Number.isFinite(o.rate) && o.rate > 0))
    throw optionError('rate', `rate ${o.rate} is not a number of requests per second above 0`);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw optionError('timeout', `timeout ${timeoutMs} is not a whole number of milliseconds above 0`);
  for (const [name, value] of Object.entries(o.headers ?? {})) {
    if (!HEADER_NAME.test(name))
      throw optionError('header', `header name ${JSON.stringify(name)} is not valid; use letters, digits and - (e.g. Authorization)`);
    if (/[\r\n\0]/.test(value)) throw optionError('header', `header ${name}: the value holds a line break or NUL, which HTTP headers cannot carry`);
  }
  return { concurrency, timeoutMs };
}

function mergeNoise(loaded: Map<string, Set<string>>, extra: ReplayOptions['noisePaths']): Map<string, Set<string>> {
  for (const [route, paths] of Object.entries(extra ?? {})) {
    let set = loaded.get(route);
    if (set === undefined) loaded.set(route, (set = new Set()));
    for (const p of paths) set.add(wildcardIndices(p));
  }
  return loaded;
}

/** Replays the records of `options.source`; rejects only for bad options or an unreadable source. */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const { concurrency, timeoutMs } = checkOptions(options);
  const targetUrl = parseBaseUrl('--target', options.target);
  const baselineUrl = options.baseline === undefined ? undefined : parseBaseUrl('--baseline', options.baseline);
  const log = childLogger(options.logger ?? silentLogger(), { part: 'gateway', mod: 'replay' });
  const at = (options.now ?? (() => new Date()))().toISOString();
  const loaded = await loadRecords(options.source, { route: options.route, table: options.table, logger: options.logger });
  for (const t of loaded.torn) log.warn({ at: t }, 'skipped a torn last line (a write cut off by a crash)');
  const noise = mergeNoise(loaded.noisePaths, options.noisePaths);
  const rulesFor = routeRules(options.config);
  const pacer = createPacer(options.rate, options.clock ?? realClock);
  const records = loaded.records;
  const outcomes: ReplayOutcome[] = new Array<ReplayOutcome>(records.length);
  const counts = { total: 0, fixed: 0, stillDifferent: 0, newlyDifferent: 0, error: 0, skipped: 0 };
  const sender = { connections: Math.min(concurrency, Math.max(records.length, 1)), timeoutMs };
  const target = createSender(targetUrl, sender);
  const baseline: Sender | undefined = baselineUrl === undefined ? undefined : createSender(baselineUrl, sender);
  const headers = options.headers ?? {};
  const none: ReadonlySet<string> = new Set();

  async function one(record: DiffRecord): Promise<ReplayOutcome> {
    const skip = skipReason(record, options.allowUnsafe ?? false);
    if (skip !== null) return skippedOutcome(record, skip);
    const request = replayRequest(record, headers);
    const rules = rulesFor(record.route);
    await pacer.wait();
    const [now, live] = await Promise.all([target.send(request, rules.cap), baseline?.send(request, rules.cap)]);
    const base = live === undefined ? recordedSide(record) : liveSide('monolith', live, rules);
    return outcomeOf(record, base, liveSide('service', now, rules), rules, noise.get(record.route) ?? none, live !== undefined);
  }

  let next = 0;
  async function worker(): Promise<void> {
    while (next < records.length) {
      const i = next++;
      const record = records[i]!;
      const outcome = await one(record);
      outcomes[i] = outcome;
      counts.total++;
      counts[COUNTER[outcome.class]]++;
      log.debug({ id: record.id, route: record.route, class: outcome.class, reason: outcome.reason }, 'replayed');
      options.onProgress?.({ done: counts.total, total: records.length, summary: { ...counts } });
    }
  }

  options.onProgress?.({ done: 0, total: records.length, summary: summarise([]) });
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
  } finally {
    await Promise.all([target.close(), baseline?.close()]);
  }
  return {
    schemaVersion: REPLAY_SCHEMA_VERSION,
    kind: 'ficus-replay',
    at,
    source: loaded.source,
    target: target.base,
    ...(baseline !== undefined && { baseline: baseline.base }),
    ...(options.route !== undefined && { route: options.route }),
    summary: summarise(outcomes),
    outcomes,
  };
}
