/**
 * DiffQuery semantics shared by every store: defaults (limit 100, noise left out), the limit's
 * range, and the id order. Ids compare by plain string order (`<`), which for ULID-like ASCII
 * ids is time order and equals Postgres's `COLLATE "C"` byte order.
 */
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffQuery, DiffRecord } from '../model.js';

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 10_000;

export interface NormalisedQuery {
  readonly route: string | undefined;
  readonly after: string | undefined;
  readonly limit: number;
  readonly includeNoise: boolean;
}

/** Fills the defaults; refuses a limit that is not an integer from 1 to MAX_LIST_LIMIT. */
export function normaliseQuery(query: DiffQuery = {}): NormalisedQuery {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new FicusError(
      GatewayErrorCode.DIFF_STORE,
      `diff query limit ${String(limit)} is out of range; use an integer from 1 to ${MAX_LIST_LIMIT} and page with after`,
      {
        details: { field: 'limit' },
      },
    );
  }
  return { route: query.route, after: query.after, limit, includeNoise: query.includeNoise ?? false };
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function matchesQuery(record: DiffRecord, q: NormalisedQuery): boolean {
  if (q.route !== undefined && record.route !== q.route) return false;
  if (q.after !== undefined && !(record.id > q.after)) return false;
  return q.includeNoise || !record.noise;
}

/**
 * Keeps the `limit` smallest-id records offered, first offer of an id winning, in bounded memory
 * (at most twice the limit), for stores that scan rather than index.
 */
export class LowestIds {
  private kept = new Map<string, DiffRecord>();

  constructor(private readonly limit: number) {}

  offer(record: DiffRecord): void {
    if (this.kept.has(record.id)) return;
    this.kept.set(record.id, record);
    if (this.kept.size >= this.limit * 2) this.kept = new Map(this.sorted().map((r) => [r.id, r]));
  }

  /**
   * The kept records in id order. A dropped id offered again cannot come back: `limit` smaller
   * ids are already kept, so first-write-wins holds across truncations.
   */
  sorted(): DiffRecord[] {
    return [...this.kept.values()].sort((a, b) => compareIds(a.id, b.id)).slice(0, this.limit);
  }
}
