/**
 * Narrowing a mismatched chunk down to rows: while the chunk holds more than `leafRows` rows
 * on either side, split it into about `fanout` sub-ranges by sampling every n-th key of the
 * fuller side in key order (an index range scan), aggregate both sides per sub-range, and
 * recurse into those that differ; a small range is fetched from both sides and diffed by key
 * (diff.ts). Work is proportional to the differing ranges, not to the table.
 */
import { compareBuckets, type ChunkComparison } from './chunks.js';
import type { TableContext } from './context.js';
import { diffRows, type FetchedRow, type MismatchCollector } from './diff.js';
import { orderedBounds, rowsInRange, type KeyRange } from './hash-sql.js';

export interface NarrowOptions {
  /** Fetch and diff rows once a range holds at most this many on each side. */
  readonly leafRows: number;
  /** Sub-ranges per split. */
  readonly fanout: number;
}

const MAX_DEPTH = 16;

async function fetchAndDiff(ctx: TableContext, range: KeyRange, out: MismatchCollector): Promise<void> {
  const { plan } = ctx;
  const [src, tgt] = await Promise.all([
    ctx.run<FetchedRow>('source', rowsInRange(plan, plan.source, range), 'fetching rows'),
    ctx.run<FetchedRow>('target', rowsInRange(plan, plan.target, range), 'fetching rows'),
  ]);
  ctx.stats.queries += 2;
  ctx.stats.rowsFetched += src.length + tgt.length;
  out.add(diffRows(plan, src, tgt));
}

export async function narrow(ctx: TableContext, chunk: ChunkComparison, options: NarrowOptions, out: MismatchCollector, depth = 0): Promise<void> {
  if (out.full) return;
  const size = Math.max(chunk.source.n, chunk.target.n);
  if (size <= options.leafRows || depth >= MAX_DEPTH) {
    await fetchAndDiff(ctx, chunk.range, out);
    return;
  }
  const side = chunk.source.n >= chunk.target.n ? 'source' : 'target';
  const step = Math.max(1, Math.ceil(size / options.fanout));
  const rows = await ctx.run<{ k: string[] }>(side, orderedBounds(ctx.plan, ctx.plan[side], chunk.range, step), 'splitting a chunk');
  ctx.stats.queries += 1;
  if (rows.length === 0) {
    await fetchAndDiff(ctx, chunk.range, out);
    return;
  }
  const subs = await compareBuckets(
    ctx,
    rows.map((r) => r.k),
    chunk.range,
  );
  ctx.stats.queries += 2;
  for (const sub of subs) {
    if (sub.equal) continue;
    if (out.full) return;
    await narrow(ctx, sub, options, out, depth + 1);
  }
}
