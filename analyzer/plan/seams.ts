/**
 * Seams: where the code of one candidate context uses another's. Each cross-context
 * reference (call, new, extends/implements, type use, import) is a place a future service
 * boundary cuts; the symbols used are the candidate API of the context being used.
 * References into the shared kernel are not seams (it becomes a library, not a service).
 */
import type { FileFacts } from '../model.js';
import type { Seam } from '../decomposition.js';

export const SHARED_KERNEL_ID = 'shared-kernel';

/** Combined coupling weight between two files, if any. */
export type PairWeight = (a: string, b: string) => number;

const MAX_LINKS = 12;

interface SeamAcc {
  symbols: Set<string>;
  calls: number;
  weight: number;
  links: Map<string, { from: string; to: string; symbols: Set<string>; calls: number }>;
  pairs: Set<string>;
}

export function findSeams(
  files: readonly FileFacts[],
  contextOf: ReadonlyMap<string, string>,
  pairWeight: PairWeight,
): Seam[] {
  const acc = new Map<string, SeamAcc>();
  for (const file of files) {
    const from = contextOf.get(file.path);
    if (!from || from === SHARED_KERNEL_ID) continue;
    for (const ref of file.references) {
      const to = contextOf.get(ref.to);
      if (!to || to === from || to === SHARED_KERNEL_ID) continue;
      const key = `${from}\u0000${to}`;
      let seam = acc.get(key);
      if (!seam) {
        seam = { symbols: new Set(), calls: 0, weight: 0, links: new Map(), pairs: new Set() };
        acc.set(key, seam);
      }
      const linkKey = `${file.path}\u0000${ref.to}`;
      let link = seam.links.get(linkKey);
      if (!link) {
        link = { from: file.path, to: ref.to, symbols: new Set(), calls: 0 };
        seam.links.set(linkKey, link);
      }
      for (const s of ref.symbols) {
        seam.symbols.add(s);
        link.symbols.add(s);
      }
      seam.calls += ref.count;
      link.calls += ref.count;
      if (!seam.pairs.has(linkKey)) {
        seam.pairs.add(linkKey);
        seam.weight += pairWeight(file.path, ref.to);
      }
    }
  }
  const seams: Seam[] = [];
  for (const [key, s] of acc) {
    const [from, to] = key.split('\u0000') as [string, string];
    const links = [...s.links.values()]
      .sort((x, y) => y.calls - x.calls || x.from.localeCompare(y.from) || x.to.localeCompare(y.to))
      .slice(0, MAX_LINKS)
      .map((l) => ({ from: l.from, to: l.to, symbols: [...l.symbols].sort() }));
    seams.push({ from, to, symbols: [...s.symbols].sort(), calls: s.calls, weight: round(s.weight), links });
  }
  return seams.sort((a, b) => b.calls - a.calls || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
