/**
 * The data layer: files that touch the same table are coupled, because a service split has
 * to give that table one owner and turn the other accesses into calls or replicated data.
 *
 * Pair score = Σ over shared tables t of access(a, b) · idf(t), where
 * - access: write-write 1.0 > read-write 0.6 > read-read 0.3 (a file's access to a table is
 *   `write` if any of its uses writes). Shared writers are the coupling that hurts most
 *   (Newman, "Building Microservices", 2nd ed., ch. 3: shared database as coupling).
 * - idf(t) = ln(N / df_t) / ln(N), N files, df_t files touching t (inverse document frequency,
 *   Spärck Jones 1972, "A statistical interpretation of term specificity", J. Doc. 28(1)):
 *   a table touched by 40 % of the files says little about which of them belong together.
 *   Tables touched by more than `maxShare` of the files are left out entirely (noted).
 * Groups larger than `groupCap` are linked as a circulant graph of degree `groupCap` instead
 * of a clique (pairs.ts `linkGroup`), so a table used by 800 files costs O(800·cap) edges.
 */
import type { EdgeLayer, FileFacts, TableAccess } from '../model.js';
import { PairWeights, linkGroup, toLayer } from './pairs.js';

export interface DataLayerOptions {
  /** Access-pair weights. */
  writeWrite?: number;
  readWrite?: number;
  readRead?: number;
  /** Tables touched by more than this share of files are ignored (default 0.5). */
  maxShare?: number;
  /** Largest group linked as a clique (default 40). */
  groupCap?: number;
}

/** Data coupling through shared tables. */
export function dataLayer(files: readonly FileFacts[], options: DataLayerOptions = {}): EdgeLayer {
  const ww = options.writeWrite ?? 1.0;
  const rw = options.readWrite ?? 0.6;
  const rr = options.readRead ?? 0.3;
  const maxShare = options.maxShare ?? 0.5;
  const cap = options.groupCap ?? 40;
  const n = files.length;

  const byTable = new Map<string, Map<string, TableAccess>>();
  for (const file of files) {
    for (const use of file.tables) {
      let users = byTable.get(use.table);
      if (!users) byTable.set(use.table, (users = new Map()));
      if (users.get(file.path) !== 'write') users.set(file.path, use.access);
    }
  }
  const acc = new PairWeights();
  const skipped: string[] = [];
  for (const table of [...byTable.keys()].sort()) {
    const users = byTable.get(table)!;
    const df = users.size;
    if (df < 2) continue;
    if (n > 2 && df / n > maxShare) {
      skipped.push(table);
      continue;
    }
    const idf = n > 2 ? Math.log(n / df) / Math.log(n) : 1;
    const weigh = (x: string, y: string): number => {
      const writes = (users.get(x) === 'write' ? 1 : 0) + (users.get(y) === 'write' ? 1 : 0);
      return idf * (writes === 2 ? ww : writes === 1 ? rw : rr);
    };
    linkGroup(acc, [...users.keys()], weigh, cap);
  }
  let note: string | undefined;
  if (byTable.size === 0) note = 'no table use found';
  else if (skipped.length > 0) note = `tables used by more than ${Math.round(maxShare * 100)}% of files ignored: ${skipped.join(', ')}`;
  return toLayer('data', acc, {}, note);
}
