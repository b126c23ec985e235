/**
 * The first pass over one table: boundaries (chunks.ts), both sides aggregated per chunk,
 * each mismatched chunk narrowed to rows (narrow.ts). What it found is rechecked and repaired
 * by verify.ts, which builds the table's result.
 */
import { compareBuckets, firstBounds } from './chunks.js';
import type { TableContext } from './context.js';
import { MismatchCollector, keyValues } from './diff.js';
import { FULL_RANGE } from './hash-sql.js';
import { narrow, type NarrowOptions } from './narrow.js';
import type { ChunkSummary, MismatchedChunk } from './types.js';

export interface FirstPass {
  readonly rows: { readonly source: number; readonly target: number };
  readonly chunks: ChunkSummary;
  readonly found: MismatchCollector;
}

const SHOWN_CHUNKS = 100;

export async function firstPass(ctx: TableContext, options: NarrowOptions & { chunkRows: number; maxMismatches: number }): Promise<FirstPass> {
  const { bounds, method } = await firstBounds(ctx, options.chunkRows);
  const chunks = await compareBuckets(ctx, bounds, FULL_RANGE);
  const found = new MismatchCollector(options.maxMismatches);
  const mismatched = chunks.filter((c) => !c.equal);
  for (const chunk of mismatched) {
    if (found.full) {
      found.truncated = true;
      break;
    }
    await narrow(ctx, chunk, options, found);
  }
  const ranges: MismatchedChunk[] = mismatched.slice(0, SHOWN_CHUNKS).map((c) => ({
    lo: c.range.lo ? keyValues(ctx.plan, c.range.lo) : null,
    hi: c.range.hi ? keyValues(ctx.plan, c.range.hi) : null,
    sourceRows: c.source.n,
    targetRows: c.target.n,
  }));
  return {
    rows: { source: chunks.reduce((s, c) => s + c.source.n, 0), target: chunks.reduce((s, c) => s + c.target.n, 0) },
    chunks: { total: bounds.length + 1, mismatched: mismatched.length, chunkRows: options.chunkRows, method, mismatchedRanges: ranges },
    found,
  };
}
