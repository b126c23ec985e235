/**
 * Classifying one replayed record (the classes are defined in model.ts): the differences found
 * now are split into noise (their path, array indices as `[*]`, is a noise path of the route)
 * and the rest, and the rest are matched against the paths that differed when the record was
 * captured — also with indices as `[*]`, so `$.items[3].price` now matches `$.items[2].price`
 * then (the same field, in an array whose order moved).
 *
 * When the recorded list is incomplete — it ended with the comparer's truncation marker, or the
 * shadow gave no answer then (an `error` difference), so nothing was compared — no path can be
 * proven new: every remaining difference counts as one that was already there.
 *
 * Pure: no I/O, no clock. `summarise` counts outcomes per class.
 */
import type { Difference } from '../model.js';
import { isTruncationMarker } from '../shadow/compare.js';
import { wildcardIndices } from '../shadow/jsonpath.js';
import type { ReplayClass, ReplayOutcome, ReplaySummary } from './model.js';

export interface Classified {
  readonly class: Extract<ReplayClass, 'fixed' | 'still-different' | 'newly-different'>;
  /** Differences not on noise paths. */
  readonly differences: Difference[];
  /** Paths among `differences` that did not differ when recorded, each once, in order. */
  readonly newPaths: string[];
  readonly noise: Difference[];
}

/** Noise paths per route, array indices as `[*]` (as the NoiseModel and the admin API give them). */
export type NoisePaths = ReadonlyMap<string, ReadonlySet<string>>;

/** True when the recorded differences say nothing about paths they do not list. */
export function incomplete(recorded: readonly Difference[]): boolean {
  return recorded.some((d) => d.kind === 'error' || isTruncationMarker(d));
}

/**
 * @example
 *   classify([{ path: '$.price', kind: 'changed' }], [], new Set())                                  // fixed
 *   classify([{ path: '$.price', kind: 'changed' }], [{ path: '$.name', kind: 'changed' }], new Set()) // newly-different, newPaths ['$.name']
 */
export function classify(recorded: readonly Difference[], now: readonly Difference[], noisePaths: ReadonlySet<string>): Classified {
  const noise: Difference[] = [];
  const differences: Difference[] = [];
  for (const d of now) {
    if (!isTruncationMarker(d) && d.kind !== 'error' && noisePaths.has(wildcardIndices(d.path))) noise.push(d);
    else differences.push(d);
  }
  if (differences.length === 0) return { class: 'fixed', differences, newPaths: [], noise };
  const unknown = incomplete(recorded);
  const before = new Set(recorded.filter((d) => !isTruncationMarker(d)).map((d) => wildcardIndices(d.path)));
  const newPaths: string[] = [];
  let old = 0;
  for (const d of differences) {
    // The marker only says "more than listed"; the listed entries decide.
    if (isTruncationMarker(d)) continue;
    if (unknown || before.has(wildcardIndices(d.path))) old++;
    else if (!newPaths.includes(d.path)) newPaths.push(d.path);
  }
  return { class: old > 0 || newPaths.length === 0 ? 'still-different' : 'newly-different', differences, newPaths, noise };
}

/** Counts per class. */
export function summarise(outcomes: readonly Pick<ReplayOutcome, 'class'>[]): ReplaySummary {
  const count = (c: ReplayClass): number => outcomes.filter((o) => o.class === c).length;
  return {
    total: outcomes.length,
    fixed: count('fixed'),
    stillDifferent: count('still-different'),
    newlyDifferent: count('newly-different'),
    error: count('error'),
    skipped: count('skipped'),
  };
}

/** True when a CI gate should fail: anything still or newly different, or not answered. */
export function failed(summary: ReplaySummary): boolean {
  return summary.stillDifferent + summary.newlyDifferent + summary.error > 0;
}
