/**
 * Chunking a table by key ranges and comparing the chunks' aggregates. Boundaries come from
 * the source, the cheapest way that fits the key:
 * - one integer key: equal-width ranges between min(key) and max(key) (two index probes), as
 *   many as the planner's row estimate over chunkRows;
 * - otherwise, up to 200k estimated rows: every chunkRows-th key in key order (one ordered
 *   pass over the key, an index-only scan when the key is a plain source column);
 * - larger tables: quantiles of a page sample (TABLESAMPLE SYSTEM, about 100 keys per chunk).
 * Ranges need not hold exactly chunkRows rows: a mismatched chunk is narrowed by sampling its
 * own keys (narrow.ts). Both sides are then aggregated per chunk concurrently, one scan each.
 */
import type { TableContext } from './context.js';
import { bucketHashes, FULL_RANGE, keyExtent, orderedBounds, sampledBounds, type Bound, type KeyRange } from './hash-sql.js';
import type { ChunkMethod } from './types.js';

const ORDERED_UP_TO = 200_000;
const SAMPLE_KEYS_PER_CHUNK = 100;

export interface Aggregate {
  readonly n: number;
  readonly h: string;
}

export interface ChunkComparison {
  readonly range: KeyRange;
  readonly source: Aggregate;
  readonly target: Aggregate;
  readonly equal: boolean;
}

const EMPTY: Aggregate = { n: 0, h: '0' };

function integerBounds(lo: string, hi: string, chunks: number): Bound[] {
  const min = BigInt(lo);
  const span = BigInt(hi) - min + 1n;
  const n = BigInt(Math.max(1, chunks));
  const width = (span + n - 1n) / n;
  const out: Bound[] = [];
  for (let i = 1n; i < n && min + width * i <= BigInt(hi); i++) out.push([String(min + width * i)]);
  return out;
}

export async function firstBounds(ctx: TableContext, chunkRows: number): Promise<{ bounds: Bound[]; method: ChunkMethod }> {
  const { plan } = ctx;
  const estimate = plan.sourceTable.estimatedRows;
  const chunks = Math.ceil(Math.max(estimate, 1) / chunkRows);
  if (plan.integerKey && estimate >= 0) {
    const [ext] = await ctx.run<{ lo: string | null; hi: string | null }>('source', keyExtent(plan.source), 'reading the key range');
    if (!ext?.lo || !ext.hi) return { bounds: [], method: 'integer-ranges' };
    return { bounds: integerBounds(ext.lo, ext.hi, chunks), method: 'integer-ranges' };
  }
  if (estimate > ORDERED_UP_TO) {
    const percent = (100 * chunks * SAMPLE_KEYS_PER_CHUNK) / estimate;
    const rows = await ctx.run<{ k: string[] }>('source', sampledBounds(plan, plan.source, percent, chunks), 'sampling key boundaries');
    if (rows.length > 0 || chunks <= 1) return { bounds: rows.map((r) => r.k), method: 'sampled-keys' };
  }
  const rows = await ctx.run<{ k: string[] }>('source', orderedBounds(plan, plan.source, FULL_RANGE, chunkRows), 'reading key boundaries');
  return { bounds: rows.map((r) => r.k), method: 'ordered-keys' };
}

/** The range of bucket `i` of `bounds` inside `range`. */
export function bucketRange(bounds: readonly Bound[], range: KeyRange, i: number): KeyRange {
  return { lo: i === 0 ? range.lo : (bounds[i - 1] ?? null), hi: i >= bounds.length ? range.hi : (bounds[i] ?? null) };
}

/** Aggregates both sides per bucket of `bounds` inside `range`, concurrently; buckets empty on both sides are left out. */
export async function compareBuckets(ctx: TableContext, bounds: readonly Bound[], range: KeyRange): Promise<ChunkComparison[]> {
  const { plan } = ctx;
  type Row = { b: number; n: string; h: string };
  const [src, tgt] = await Promise.all([
    ctx.run<Row>('source', bucketHashes(plan, plan.source, bounds, range), 'aggregating chunks'),
    ctx.run<Row>('target', bucketHashes(plan, plan.target, bounds, range), 'aggregating chunks'),
  ]);
  const byBucket = new Map<number, { source: Aggregate; target: Aggregate }>();
  for (const r of src) byBucket.set(r.b, { source: { n: Number(r.n), h: r.h }, target: EMPTY });
  for (const r of tgt) byBucket.set(r.b, { source: byBucket.get(r.b)?.source ?? EMPTY, target: { n: Number(r.n), h: r.h } });
  return [...byBucket]
    .sort(([a], [b]) => a - b)
    .map(([i, agg]) => ({
      range: bucketRange(bounds, range, i),
      ...agg,
      equal: agg.source.n === agg.target.n && agg.source.h === agg.target.h,
    }));
}
