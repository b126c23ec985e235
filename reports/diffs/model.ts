/**
 * The diff report's input (DiffRecords and, when the store kept them, comparison tallies) and
 * the view model the HTML and Markdown renderers draw from (built by view.ts): totals, one
 * timeline per route and for all routes, the paths that differ most with one example each.
 *
 * Rates need tallies: the store keeps only records of responses that differed, so without
 * tallies a report can count differences but not say what share of traffic they are.
 */
import type { ComparisonTally, DiffRecord, Difference, DifferenceKind, RecordedRequest, RecordedResponse } from '../../gateway/index.js';

export interface DiffReportInput {
  /** Where the records came from (a diffs file or folder), shown in the title. */
  readonly source: string;
  /** The records, in any order; an id seen twice (a retried write) counts once. */
  readonly records: readonly DiffRecord[];
  /** Comparison counts per route and minute; absent or empty when the store kept none. */
  readonly tallies?: readonly ComparisonTally[];
  /** When the report was made (ISO-8601), shown when given; renderers never read the clock. */
  readonly generatedAt?: string;
  /** Paths kept per route (default 20). */
  readonly pathsPerRoute?: number;
}

/** One bucket of a timeline: the tallies' counts when the route has tallies, else the records'. */
export interface BucketView {
  /** Start, ISO-8601 UTC. */
  readonly start: string;
  /** Comparisons, or null when unknown (no tallies for the route, or records without a tally). */
  readonly compared: number | null;
  readonly different: number;
  readonly noise: number;
  /** different / compared, or null when compared is unknown or 0. */
  readonly rate: number | null;
  /** DiffRecords kept for this bucket (noise ones included). */
  readonly records: number;
}

export interface Totals {
  readonly compared: number | null;
  readonly different: number;
  readonly noise: number;
  readonly rate: number | null;
  /** noise / (different + noise): of the responses that differed, the share that were only noise. */
  readonly noiseShare: number | null;
  readonly records: number;
}

export interface RouteView {
  /** `*` for all routes together. */
  readonly route: string;
  readonly tallied: boolean;
  readonly totals: Totals;
  readonly timeline: readonly BucketView[];
}

/** The request and both answers of one record, as recorded (already redacted by the gateway). */
export interface ExampleView {
  readonly id: string;
  readonly at: string;
  readonly request: RecordedRequest;
  readonly primary: RecordedResponse;
  readonly shadow: RecordedResponse;
  /** The record's difference on this path (the first, when several indices of an array differ). */
  readonly difference: Difference;
  readonly noise: boolean;
}

export interface PathView {
  readonly route: string;
  /** The path with array indices generalised: `$.items[*].price`. */
  readonly path: string;
  readonly kinds: readonly DifferenceKind[];
  /** Records with a difference on this path. */
  readonly records: number;
  /** Of those, records marked noise. */
  readonly noise: number;
  readonly noiseShare: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Preferably a record that is not noise. */
  readonly example: ExampleView;
}

export interface DiffView {
  readonly source: string;
  readonly generatedAt?: string;
  /** True when tallies were given for at least one route. */
  readonly tallied: boolean;
  /** Timeline bucket width, ms. */
  readonly bucketMs: number;
  /** First and last bucket start, or null when there is nothing at all. */
  readonly span: { readonly from: string; readonly to: string } | null;
  /** All routes together first (`*`), then each route by differences, most first. */
  readonly routes: readonly RouteView[];
  /** Paths by records that are not noise, then by records, most first; per route at most `pathsPerRoute`. */
  readonly paths: readonly PathView[];
  /** Paths left out by the per-route limit. */
  readonly pathsLeftOut: number;
}

export const ALL_ROUTES = '*';
