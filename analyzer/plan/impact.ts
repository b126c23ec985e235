/**
 * `ficus analyze --impact <file>`: which contexts a change to one file ripples into — every
 * file that depends on it, directly or through others (reverse references, breadth first),
 * grouped by context with the shortest path depth.
 */
import type { FileFacts } from '../model.js';

export interface ImpactEntry {
  readonly context: string;
  readonly files: number;
  /** Fewest hops from the changed file to any file in this context. */
  readonly depth: number;
  readonly examples: string[];
}

export function impactOf(
  target: string,
  files: readonly FileFacts[],
  contextOf: ReadonlyMap<string, string>,
  maxDepth = 6,
): ImpactEntry[] {
  const dependents = new Map<string, string[]>();
  for (const f of files) {
    for (const r of f.references) {
      if (r.to === f.path) continue;
      const list = dependents.get(r.to) ?? [];
      list.push(f.path);
      dependents.set(r.to, list);
    }
  }
  const depth = new Map<string, number>([[target, 0]]);
  let frontier = [target];
  for (let d = 1; d <= maxDepth && frontier.length > 0; d++) {
    const next: string[] = [];
    for (const file of frontier) {
      for (const dep of dependents.get(file) ?? []) {
        if (!depth.has(dep)) {
          depth.set(dep, d);
          next.push(dep);
        }
      }
    }
    frontier = next;
  }
  const byContext = new Map<string, { files: string[]; depth: number }>();
  for (const [file, d] of depth) {
    const ctx = contextOf.get(file);
    if (!ctx) continue;
    const e = byContext.get(ctx) ?? { files: [], depth: d };
    e.files.push(file);
    e.depth = Math.min(e.depth, d);
    byContext.set(ctx, e);
  }
  return [...byContext.entries()]
    .map(([context, e]) => ({ context, files: e.files.length, depth: e.depth, examples: e.files.sort().slice(0, 5) }))
    .sort((a, b) => a.depth - b.depth || b.files - a.files || a.context.localeCompare(b.context));
}
