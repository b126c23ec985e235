/**
 * Diff rate over time: buckets as wide as needed to keep a timeline within MAX_BUCKETS (one
 * minute, the tallies' own width, up to a day), contiguous from the first bucket with anything
 * to the last, per route and for all routes together. A bucket takes its counts from the
 * tallies when the route has any, and its record count from the records; without tallies the
 * records' counts stand in and no rate is given.
 */
import { TALLY_BUCKET_MS, type ComparisonTally, type DiffRecord } from '../../gateway/index.js';
import type { BucketView, Totals } from './model.js';

export const MAX_BUCKETS = 96;
const MINUTE = TALLY_BUCKET_MS;
const WIDTHS = [1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** The narrowest width that fits the span [from, to] (bucket starts, ms) in MAX_BUCKETS; a day at most. */
export function bucketWidth(from: number, to: number): number {
  const span = Math.max(0, to - from);
  return WIDTHS.find((w) => Math.floor(span / w) + 1 <= MAX_BUCKETS) ?? (WIDTHS.at(-1) as number);
}

interface Acc {
  compared: number;
  different: number;
  noise: number;
  tallied: boolean;
  records: number;
  recordDifferent: number;
  recordNoise: number;
}

const empty = (): Acc => ({ compared: 0, different: 0, noise: 0, tallied: false, records: 0, recordDifferent: 0, recordNoise: 0 });

/** Counts of one route (or all routes) by bucket start (ms). */
export class TimelineBuilder {
  private readonly buckets = new Map<number, Acc>();
  tallied = false;

  constructor(private readonly width: number) {}

  private at(ms: number): Acc {
    const start = Math.floor(ms / this.width) * this.width;
    let a = this.buckets.get(start);
    if (a === undefined) this.buckets.set(start, (a = empty()));
    return a;
  }

  addTally(t: ComparisonTally): void {
    const a = this.at(Date.parse(t.bucket));
    a.compared += t.compared;
    a.different += t.different;
    a.noise += t.noise;
    a.tallied = true;
    this.tallied = true;
  }

  addRecord(r: DiffRecord): void {
    const a = this.at(Date.parse(r.at));
    a.records += 1;
    if (r.noise) a.recordNoise += 1;
    else a.recordDifferent += 1;
  }

  /** Contiguous buckets from `from` to `to` (ms, bucket starts). */
  timeline(from: number, to: number): BucketView[] {
    const out: BucketView[] = [];
    for (let start = from; start <= to; start += this.width) {
      const a = this.buckets.get(start) ?? empty();
      const known = this.tallied && (a.tallied || a.records === 0);
      const compared = known ? a.compared : null;
      const different = this.tallied ? (a.tallied ? a.different : a.recordDifferent) : a.recordDifferent;
      const noise = this.tallied ? (a.tallied ? a.noise : a.recordNoise) : a.recordNoise;
      out.push({ start: new Date(start).toISOString(), compared, different, noise, rate: compared ? different / compared : null, records: a.records });
    }
    return out;
  }

  totals(): Totals {
    let compared = 0;
    let different = 0;
    let noise = 0;
    let records = 0;
    let recordDifferent = 0;
    let recordNoise = 0;
    for (const a of this.buckets.values()) {
      compared += a.compared;
      different += a.different;
      noise += a.noise;
      records += a.records;
      recordDifferent += a.recordDifferent;
      recordNoise += a.recordNoise;
    }
    if (!this.tallied) {
      different = recordDifferent;
      noise = recordNoise;
    }
    return {
      compared: this.tallied ? compared : null,
      different,
      noise,
      rate: this.tallied && compared > 0 ? different / compared : null,
      noiseShare: different + noise > 0 ? noise / (different + noise) : null,
      records,
    };
  }
}
