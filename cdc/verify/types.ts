/**
 * The result contract of `ficus cdc verify` (VerifyResult), read by reports/ and printed as
 * JSON by the CLI. Keys and values are shown as Postgres text in the same session settings on
 * both sides (DateStyle ISO, extra_float_digits 1, the target's TimeZone), each value in the
 * target column's type, so the same value prints the same on both sides.
 */

/** Target key column → value as text. */
export type KeyValues = Readonly<Record<string, string>>;

export interface ColumnDiff {
  readonly column: string;
  /** The source row's value through the mapping, as text (null: SQL NULL). */
  readonly source: string | null;
  /** The target row's value, as text. */
  readonly target: string | null;
}

export interface DifferentRow {
  readonly key: KeyValues;
  readonly columns: readonly ColumnDiff[];
}

export interface Mismatches {
  /** In the source (through the mapping and filter), not in the target. */
  readonly missing: readonly KeyValues[];
  /** In the target, not in the source. */
  readonly extra: readonly KeyValues[];
  /** In both, with different values in the compared columns. */
  readonly different: readonly DifferentRow[];
  /** More than `maxMismatches` rows differ: the lists hold the first ones found. */
  readonly truncated: boolean;
}

export interface NotCompared {
  readonly column: string;
  readonly reason: string;
}

/** A key range `[lo, hi)` (null: unbounded) whose counts or hashes differed. */
export interface MismatchedChunk {
  readonly lo: KeyValues | null;
  readonly hi: KeyValues | null;
  readonly sourceRows: number;
  readonly targetRows: number;
}

export type ChunkMethod = 'integer-ranges' | 'ordered-keys' | 'sampled-keys';

export interface ChunkSummary {
  /** Chunks compared in the first pass. */
  readonly total: number;
  readonly mismatched: number;
  /** Rows per chunk asked for (verify.chunkRows). */
  readonly chunkRows: number;
  /** How the key boundaries were found. */
  readonly method: ChunkMethod;
  /** The first mismatched chunks (at most 100). */
  readonly mismatchedRanges: readonly MismatchedChunk[];
}

export type TableStatus = 'equal' | 'different' | 'refused' | 'error';

export interface TableVerifyResult {
  /** Source table as resolved, `schema.table` (or the mapping's `from` when it could not be resolved). */
  readonly from: string;
  /** Target table, `schema.table`. */
  readonly to: string;
  /** equal; different; refused (cannot be compared in SQL, see problem); error (see problem). */
  readonly status: TableStatus;
  readonly problem?: { readonly code: string; readonly message: string };
  /** Target key columns. */
  readonly key: readonly string[];
  /** Target columns compared (key included). */
  readonly compared: readonly string[];
  readonly notCompared: readonly NotCompared[];
  /** The mapping's `where`, as the SQL run on the source. */
  readonly filter?: string;
  readonly rows: { readonly source: number; readonly target: number };
  readonly chunks: ChunkSummary;
  /** Work done to narrow mismatched chunks down to rows. */
  readonly narrowing: { readonly queries: number; readonly rowsFetched: number };
  readonly mismatches: Mismatches;
  /** Mismatches checked again after `afterMs` (a pipeline may have been catching up): rounds run, rows that agreed by then. */
  readonly recheck: { readonly rounds: number; readonly afterMs: number; readonly resolved: number };
  /** With repair: changes applied to the target (upserts of source rows, deletes of extra rows). */
  readonly repair?: { readonly upserted: number; readonly deleted: number; readonly deadLettered: number };
  readonly durationMs: number;
}

export interface VerifyResult {
  readonly kind: 'ficus.cdc.verify';
  readonly schemaVersion: 1;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Connection URLs, credentials masked. */
  readonly source: string;
  readonly target: string;
  /** True when every table is `equal`. */
  readonly equal: boolean;
  /** True when repair was asked for. */
  readonly repaired: boolean;
  readonly tables: readonly TableVerifyResult[];
}
