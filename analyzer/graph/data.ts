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
 * Tables of one *family* (`order_lines`, `orders`; `catalog_product_*` — see `tableFamily`)
 * add a weaker tie (`family`, default 0.2 · idf of the family's users).
 * Groups larger than `groupCap` are linked as a sparse expander of degree `groupCap` instead
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
  /** Weight of a shared table *family* (default 0.2; 0 turns families off). */
  family?: number;
}

/** First name tokens that say nothing about a domain. */
const GENERIC_PREFIX = new Set(['tbl', 'tb', 't', 'app', 'sys', 'core', 'common', 'shared', 'dbo', 'public', 'x', 'v', 'vw', 'tmp', 'temp', 'old', 'new']);

function singularToken(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/**
 * The family of a table: its first name token, singular (`order_lines`, `orders` → order;
 * `cata_product` → cata). Schemas name related tables alike (Magento's `catalog_product_*`,
 * `sales_order_*`); a family counts only when it has two or more tables.
 */
export function tableFamily(table: string): string | null {
  const first = table.split(/[_.$]/)[0] ?? '';
  if (first.length < 3 || GENERIC_PREFIX.has(first)) return null;
  return singularToken(first);
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
  // Table families: a weak tie between files touching different tables of one family.
  const familyWeight = options.family ?? 0.2;
  const families = new Map<string, string[]>();
  for (const table of byTable.keys()) {
    const fam = tableFamily(table);
    if (fam !== null && !skipped.includes(table)) (families.get(fam) ?? families.set(fam, []).get(fam)!).push(table);
  }
  for (const fam of [...families.keys()].sort()) {
    const tables = families.get(fam)!;
    if (tables.length < 2 || familyWeight <= 0) continue;
    const users = new Set(tables.flatMap((t) => [...byTable.get(t)!.keys()]));
    if (users.size < 2 || (n > 2 && users.size / n > maxShare)) continue;
    const idf = n > 2 ? Math.log(n / users.size) / Math.log(n) : 1;
    linkGroup(acc, [...users], familyWeight * idf, cap);
  }
  let note: string | undefined;
  if (byTable.size === 0) note = 'no table use found';
  else if (skipped.length > 0) note = `tables used by more than ${Math.round(maxShare * 100)}% of files ignored: ${skipped.join(', ')}`;
  return toLayer('data', acc, {}, note);
}
