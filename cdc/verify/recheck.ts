/**
 * Checking found mismatches again by key. While a pipeline runs, a row written to the source
 * a moment ago is not in the target yet; after the pipeline's lag it is. verify waits
 * `recheckAfterMs`, fetches the mismatched keys from both sides again and keeps only the rows
 * that still differ (with their current difference).
 */
import type { TableContext } from './context.js';
import { diffRows, type FetchedRow, type RowMismatch } from './diff.js';
import { rowsByKeys } from './hash-sql.js';

const BATCH = 1000;

export async function recheck(ctx: TableContext, found: readonly RowMismatch[]): Promise<RowMismatch[]> {
  const { plan } = ctx;
  const still: RowMismatch[] = [];
  for (let i = 0; i < found.length; i += BATCH) {
    const keys = found.slice(i, i + BATCH).map((m) => m.key);
    const [src, tgt] = await Promise.all([
      ctx.run<FetchedRow>('source', rowsByKeys(plan, plan.source, keys), 'rechecking rows'),
      ctx.run<FetchedRow>('target', rowsByKeys(plan, plan.target, keys), 'rechecking rows'),
    ]);
    ctx.stats.queries += 2;
    ctx.stats.rowsFetched += src.length + tgt.length;
    still.push(...diffRows(plan, src, tgt));
  }
  return still;
}
