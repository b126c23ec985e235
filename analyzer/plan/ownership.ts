/**
 * Data ownership: which context should own each table once the monolith is split. The owner
 * is the context whose files write it most (then use it most); a table used by several
 * contexts is shared and becomes either an API of its owner or a CDC-synced copy.
 */
import type { FileFacts, TableAccess } from '../model.js';
import type { TableOwnership } from '../decomposition.js';
import { SHARED_KERNEL_ID } from './seams.js';

interface Use {
  writers: number;
  users: number;
  access: TableAccess;
}

export function tableOwnership(files: readonly FileFacts[], contextOf: ReadonlyMap<string, string>): TableOwnership[] {
  const byTable = new Map<string, Map<string, Use>>();
  for (const file of files) {
    const ctx = contextOf.get(file.path);
    if (!ctx) continue;
    const seen = new Map<string, TableAccess>();
    for (const t of file.tables) {
      if (seen.get(t.table) !== 'write') seen.set(t.table, t.access);
    }
    for (const [table, access] of seen) {
      let uses = byTable.get(table);
      if (!uses) byTable.set(table, (uses = new Map()));
      const u = uses.get(ctx) ?? { writers: 0, users: 0, access: 'read' as TableAccess };
      u.users += 1;
      if (access === 'write') {
        u.writers += 1;
        u.access = 'write';
      }
      uses.set(ctx, u);
    }
  }
  const out: TableOwnership[] = [];
  for (const [name, uses] of byTable) {
    const ranked = [...uses.entries()].sort(
      ([a, x], [b, y]) =>
        Number(a === SHARED_KERNEL_ID) - Number(b === SHARED_KERNEL_ID) ||
        y.writers - x.writers ||
        y.users - x.users ||
        a.localeCompare(b),
    );
    const owner = ranked[0]?.[0] ?? null;
    const usedBy = [...uses.keys()].sort();
    out.push({
      name,
      owner,
      usedBy,
      access: Object.fromEntries(usedBy.map((c) => [c, uses.get(c)?.access ?? 'read'])),
      shared: usedBy.filter((c) => c !== SHARED_KERNEL_ID).length > 1,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Tables a context writes that other contexts also use: to untangle before extracting it. */
export function sharedWriteTables(context: string, tables: readonly TableOwnership[]): string[] {
  return tables
    .filter((t) => t.shared && t.access[context] === 'write')
    .map((t) => t.name)
    .sort();
}
