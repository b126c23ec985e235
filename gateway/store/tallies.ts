/**
 * Comparison tallies (model.ts ComparisonTally): the in-memory counter the diff writer keeps
 * on the hot path — one Map entry per (route, minute), incremented per comparison — and what
 * every store shares about tallies: the shape check before writing, summing lines or batches
 * that name the same (route, bucket), the query filter and the order (bucket, then route).
 */
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import { TALLY_BUCKET_MS, type ComparisonOutcome, type ComparisonTally, type TallyQuery } from '../model.js';

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Why `value` is not a ComparisonTally, or null when it is one. */
export function tallyProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'is not a JSON object';
  const t = value as Record<string, unknown>;
  if (typeof t.route !== 'string') return 'has no route (a string)';
  const ms = typeof t.bucket === 'string' ? Date.parse(t.bucket) : Number.NaN;
  if (Number.isNaN(ms) || ms % TALLY_BUCKET_MS !== 0) return `has no bucket (an ISO-8601 time on a minute), got ${JSON.stringify(t.bucket)}`;
  for (const name of ['compared', 'different', 'noise'] as const) {
    if (!isCount(t[name])) return `has no ${name} (a count ≥ 0), got ${JSON.stringify(t[name])}`;
  }
  if ((t.different as number) + (t.noise as number) > (t.compared as number)) return 'counts more different and noise comparisons than compared';
  return null;
}

/** Throws a non-retriable GW_DIFF_STORE error for the first tally that is not one. */
export function checkTallies(tallies: readonly ComparisonTally[]): void {
  for (const t of tallies) {
    const problem = tallyProblem(t);
    if (problem !== null) {
      throw new FicusError(
        GatewayErrorCode.DIFF_STORE,
        `comparison tally ${JSON.stringify(t).slice(0, 120)} ${problem}; tallies follow the ComparisonTally contract`,
        {
          details: { tally: t },
        },
      );
    }
  }
}

/** Start of the minute `ms` falls in. */
export function bucketStart(ms: number): number {
  return Math.floor(ms / TALLY_BUCKET_MS) * TALLY_BUCKET_MS;
}

const keyOf = (route: string, bucket: string): string => `${bucket}\u0000${route}`;

/** Sums tallies naming the same (route, bucket); the result is in bucket, then route order. */
export function sumTallies(tallies: Iterable<ComparisonTally>): ComparisonTally[] {
  const sums = new Map<string, { route: string; bucket: string; compared: number; different: number; noise: number }>();
  for (const t of tallies) {
    const bucket = new Date(Date.parse(t.bucket)).toISOString();
    const key = keyOf(t.route, bucket);
    const s = sums.get(key);
    if (s === undefined) sums.set(key, { route: t.route, bucket, compared: t.compared, different: t.different, noise: t.noise });
    else {
      s.compared += t.compared;
      s.different += t.different;
      s.noise += t.noise;
    }
  }
  return [...sums.values()].sort(compareTallies);
}

export function compareTallies(a: ComparisonTally, b: ComparisonTally): number {
  return a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : a.route < b.route ? -1 : a.route > b.route ? 1 : 0;
}

export function matchesTallyQuery(t: ComparisonTally, q: TallyQuery = {}): boolean {
  if (q.route !== undefined && t.route !== q.route) return false;
  const ms = Date.parse(t.bucket);
  if (q.from !== undefined && ms < Date.parse(q.from)) return false;
  return q.to === undefined || ms < Date.parse(q.to);
}

/** Refuses a query whose times are not ISO-8601. */
export function checkTallyQuery(q: TallyQuery = {}): void {
  for (const name of ['from', 'to'] as const) {
    const v = q[name];
    if (v !== undefined && Number.isNaN(Date.parse(v))) {
      throw new FicusError(GatewayErrorCode.DIFF_STORE, `tally query ${name} ${JSON.stringify(v)} is not a time; give an ISO-8601 time`, {
        details: { field: name },
      });
    }
  }
}

interface Counts {
  readonly route: string;
  readonly bucket: number;
  compared: number;
  different: number;
  noise: number;
}

/**
 * Counts comparisons per (route, minute) until they are taken for writing. Bounded: beyond
 * `maxKeys` open (route, minute) pairs a comparison for a new pair is dropped and counted.
 */
export class TallyCounter {
  private counts = new Map<string, Counts>();
  /** The entry the last `add` counted into: comparisons come in runs of one route and minute. */
  private last: Counts | undefined;
  dropped = 0;

  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.counts.size;
  }

  /** One comparison at time `ms` (epoch milliseconds). */
  add(route: string, outcome: ComparisonOutcome, ms: number): void {
    const bucket = bucketStart(ms);
    let c = this.last;
    if (c === undefined || c.bucket !== bucket || c.route !== route) {
      const key = `${bucket}\u0000${route}`;
      c = this.counts.get(key);
      if (c === undefined) {
        if (this.counts.size >= this.maxKeys) {
          this.dropped += 1;
          return;
        }
        this.counts.set(key, (c = { route, bucket, compared: 0, different: 0, noise: 0 }));
      }
      this.last = c;
    }
    c.compared += 1;
    if (outcome === 'different') c.different += 1;
    else if (outcome === 'noise') c.noise += 1;
  }

  /** Removes and returns the counts of the minutes that had ended by `endedBy` (ms; default: every minute, open ones too). */
  take(endedBy = Number.POSITIVE_INFINITY): ComparisonTally[] {
    const out: ComparisonTally[] = [];
    for (const [key, c] of this.counts) {
      if (c.bucket + TALLY_BUCKET_MS > endedBy) continue;
      this.counts.delete(key);
      if (c === this.last) this.last = undefined;
      out.push({ route: c.route, bucket: new Date(c.bucket).toISOString(), compared: c.compared, different: c.different, noise: c.noise });
    }
    return out.sort(compareTallies);
  }

  /** The counts now, left in place. */
  peek(): ComparisonTally[] {
    return [...this.counts.values()].map((c) => ({
      route: c.route,
      bucket: new Date(c.bucket).toISOString(),
      compared: c.compared,
      different: c.different,
      noise: c.noise,
    }));
  }

  /** Puts back counts whose write failed, so the next write carries them. */
  restore(tallies: readonly ComparisonTally[]): void {
    for (const t of tallies) {
      const bucket = Date.parse(t.bucket);
      const key = `${bucket}\u0000${t.route}`;
      const c = this.counts.get(key);
      if (c === undefined) this.counts.set(key, { route: t.route, bucket, compared: t.compared, different: t.different, noise: t.noise });
      else {
        c.compared += t.compared;
        c.different += t.different;
        c.noise += t.noise;
      }
    }
  }
}
