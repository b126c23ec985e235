/**
 * The gateway's core types: the DiffRecord contract (DESIGN.md; gateway → store → replay and
 * reports), the DiffStore port every store implements, and the live state the proxy, the
 * admin API and the metrics share (per-route mode and weight overrides, counters).
 */
import type { Mode } from './config/schema.js';

export type Target = 'monolith' | 'service' | 'sandbox';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as forwarded. */
  readonly url: string;
  /** Request headers, authorization/cookies and configured names redacted. */
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8 text, or `base64:` + base64 for binary bodies; null when empty or over the cap. */
  readonly body: string | null;
}

export interface RecordedResponse {
  readonly target: Target;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** UTF-8 text, or `base64:` + base64; null when empty, over the cap, or no answer. */
  readonly body: string | null;
  readonly ms: number;
  /** Set when there was no HTTP answer (timeout, connection refused…). */
  readonly error?: string;
}

export type DifferenceKind = 'status' | 'header' | 'changed' | 'added' | 'removed' | 'type' | 'body' | 'error';

export interface Difference {
  /** `status`, `headers.<name>`, a JSON path (`$.items[2].price`), or `body` for non-JSON bodies. */
  readonly path: string;
  readonly kind: DifferenceKind;
  /** The primary's value at that path (absent = undefined), as JSON. */
  readonly primary?: unknown;
  readonly shadow?: unknown;
}

export interface DiffRecord {
  /** ULID-like, time-ordered. */
  readonly id: string;
  /** ISO-8601 UTC. */
  readonly at: string;
  readonly route: string;
  readonly request: RecordedRequest;
  readonly primary: RecordedResponse;
  readonly shadow: RecordedResponse;
  readonly differences: readonly Difference[];
  /** Every difference is on a path learnt to be noise. */
  readonly noise: boolean;
}

export interface DiffQuery {
  readonly route?: string;
  /** Only records after this id (ids are time-ordered). */
  readonly after?: string;
  readonly limit?: number;
  readonly includeNoise?: boolean;
}

/** How one shadow comparison came out: `different` has a difference that is not noise; `noise` only noise. */
export type ComparisonOutcome = 'same' | 'different' | 'noise';

/** Width of a tally bucket: one minute. */
export const TALLY_BUCKET_MS = 60_000;

/**
 * Shadow comparisons of one route in one minute — the denominator the DiffRecords (kept only
 * for responses that differed) lack: diff rate = different / compared. `compared` counts every
 * comparison, so `different + noise <= compared`.
 */
export interface ComparisonTally {
  readonly route: string;
  /** Start of the minute, ISO-8601 UTC (`2025-01-15T09:30:00.000Z`). */
  readonly bucket: string;
  readonly compared: number;
  readonly different: number;
  readonly noise: number;
}

export interface TallyQuery {
  readonly route?: string;
  /** Buckets starting at or after this time (ISO-8601). */
  readonly from?: string;
  /** Buckets starting before this time (ISO-8601). */
  readonly to?: string;
}

/** Port: where DiffRecords go. Implementations: ndjson files, Postgres. */
export interface DiffStore {
  /** Appends records; resolves when they are durable. */
  write(records: readonly DiffRecord[]): Promise<void>;
  /** Records in id order. */
  list(query?: DiffQuery): Promise<DiffRecord[]>;
  /**
   * Adds comparison counts to what the store holds for each (route, bucket) — several gateway
   * instances sharing a store add up. Optional: a store without it keeps no tallies.
   */
  writeTallies?(tallies: readonly ComparisonTally[]): Promise<void>;
  /** The summed tallies, one per (route, bucket), in bucket then route order. */
  listTallies?(query?: TallyQuery): Promise<ComparisonTally[]>;
  close(): Promise<void>;
}

/** Live per-route settings: the config's, unless the admin API (or a rollout) changed them. */
export interface RouteSettings {
  readonly mode: Mode;
  readonly weight: number;
}

export interface RouteChange {
  readonly route: string;
  readonly mode?: Mode;
  readonly weight?: number;
  /** Who asked (admin caller, `rollout`, `config`). */
  readonly by: string;
  readonly reason?: string;
}
