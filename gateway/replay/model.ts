/**
 * The replay contract (`replay.json`, written by `ficus replay`, read by `ficus report`): each
 * recorded DiffRecord re-sent to a target build and its answer compared — with the route's
 * compare rules and noise marks — against the recorded monolith response (the primary's in shadow
 * mode, the shadow's when the service answered) or a live baseline.
 *
 * Classes, per record:
 *   fixed            no difference left that is not noise;
 *   still-different  differences remain on paths (or status/headers) that differed when recorded;
 *   newly-different  differences on paths that did not differ when recorded (and none of the old ones);
 *                    a record with both old and new paths counts as still-different and lists the new ones;
 *   error            the target (or baseline) gave no HTTP answer (refused, timed out…);
 *   skipped          not re-sent: an unsafe method without --allow-unsafe, or a body that was not recorded.
 */
import type { Difference, RecordedResponse } from '../model.js';

export const REPLAY_SCHEMA_VERSION = 1;

export const REPLAY_CLASSES = ['fixed', 'still-different', 'newly-different', 'error', 'skipped'] as const;
export type ReplayClass = (typeof REPLAY_CLASSES)[number];

export interface ReplayOutcome {
  /** The DiffRecord's id. */
  readonly id: string;
  readonly route: string;
  /** When the record was captured (ISO-8601 UTC). */
  readonly recordedAt: string;
  readonly request: { readonly method: string; readonly url: string };
  readonly class: ReplayClass;
  /** Why it was skipped or errored, in a sentence. */
  readonly reason?: string;
  /** The recorded differences (as in the DiffRecord). */
  readonly recorded: readonly Difference[];
  /** Differences between the baseline (recorded monolith answer or --baseline) and the target now, noise excluded. */
  readonly differences: readonly Difference[];
  /** Paths among `differences` that were not in `recorded`. */
  readonly newPaths: readonly string[];
  /** Differences on paths marked as noise (not counted). */
  readonly noise: readonly Difference[];
  /** The baseline's answer: the recorded monolith response, or the live baseline's. */
  readonly baseline: RecordedResponse;
  /** The target's answer now (headers redacted like a DiffRecord's); status 0 with `error` when none came, status 0 and nothing else when skipped. */
  readonly target: RecordedResponse;
}

export interface ReplaySummary {
  readonly total: number;
  readonly fixed: number;
  readonly stillDifferent: number;
  readonly newlyDifferent: number;
  readonly error: number;
  readonly skipped: number;
}

export interface ReplayResult {
  readonly schemaVersion: typeof REPLAY_SCHEMA_VERSION;
  readonly kind: 'ficus-replay';
  /** When the replay started (ISO-8601 UTC). */
  readonly at: string;
  /** The diffs file, folder or Postgres URL (password redacted) the records came from. */
  readonly source: string;
  /** Target base URL the requests were re-sent to. */
  readonly target: string;
  /** Live baseline base URL, when one was given; otherwise the recorded monolith responses are the baseline. */
  readonly baseline?: string;
  readonly route?: string;
  readonly summary: ReplaySummary;
  readonly outcomes: readonly ReplayOutcome[];
}
