/**
 * Merging contexts after clustering, on the context-level graph:
 * - small contexts (fewer than `minSize` files) go to the neighbour context they share the
 *   most weight with — a singleton is not a service;
 * - `--contexts N`: while there are more than N contexts, merge the connected pair with the
 *   largest modularity gain ΔQ = e_xy/m − γ·s_x·s_y/(2m²) (Newman 2004, "Fast algorithm for
 *   detecting community structure in networks", Phys. Rev. E 69, 066133; with the resolution
 *   γ of Reichardt & Bornholdt 2006), or the two smallest when none is connected.
 * Merges never join contexts holding the two sides of a keep-apart rule (or two different
 * pins), and contexts in `locked` (pinned) keep their number when merged with.
 */
import type { AbstractGraph } from 'graphology-types';
import type { Assignment } from './partition.js';

export class ContextMerger {
  private readonly adj = new Map<number, Map<number, number>>();
  private readonly strength = new Map<number, number>();
  private readonly size = new Map<number, number>();
  private readonly smallest = new Map<number, string>();
  private readonly tokens = new Map<number, Set<string>>();
  private readonly into = new Map<number, number>();
  private total = 0;

  /**
   * @param apartTokens per file, the keep-apart sides it is on (`"3:a"`); two contexts whose
   *   token sets hold `i:a` and `i:b` may not merge.
   */
  constructor(
    graph: AbstractGraph,
    private readonly assignment: ReadonlyMap<string, number>,
    apartTokens: ReadonlyMap<string, readonly string[]> = new Map(),
    private readonly locked: ReadonlySet<number> = new Set(),
    weight = 'weight',
  ) {
    for (const [file, c] of assignment) {
      this.size.set(c, (this.size.get(c) ?? 0) + 1);
      if (!this.smallest.has(c) || file < this.smallest.get(c)!) this.smallest.set(c, file);
      if (!this.adj.has(c)) this.adj.set(c, new Map());
      if (!this.tokens.has(c)) this.tokens.set(c, new Set());
      for (const t of apartTokens.get(file) ?? []) this.tokens.get(c)!.add(t);
    }
    graph.forEachEdge((_e, attr, s, t) => {
      const [cs, ct] = [assignment.get(s), assignment.get(t)];
      if (cs === undefined || ct === undefined) return;
      const w = Number(attr[weight] ?? 1);
      this.total += w;
      this.strength.set(cs, (this.strength.get(cs) ?? 0) + w);
      this.strength.set(ct, (this.strength.get(ct) ?? 0) + w);
      if (cs === ct) return;
      this.adj.get(cs)!.set(ct, (this.adj.get(cs)!.get(ct) ?? 0) + w);
      this.adj.get(ct)!.set(cs, (this.adj.get(ct)!.get(cs) ?? 0) + w);
    });
  }

  get count(): number {
    return this.size.size;
  }

  private allowed(x: number, y: number): boolean {
    if (this.locked.has(x) && this.locked.has(y)) return false;
    const tx = this.tokens.get(x)!;
    for (const t of this.tokens.get(y)!) {
      const other = t.endsWith(':a') ? `${t.slice(0, -2)}:b` : `${t.slice(0, -2)}:a`;
      if (tx.has(other)) return false;
    }
    return true;
  }

  /** Merge x into y (y keeps its number; if x is locked the roles swap). */
  private merge(x: number, y: number): void {
    if (this.locked.has(x)) [x, y] = [y, x];
    const ax = this.adj.get(x)!;
    const ay = this.adj.get(y)!;
    for (const [z, w] of ax) {
      const az = this.adj.get(z)!;
      az.delete(x);
      if (z === y) continue;
      ay.set(z, (ay.get(z) ?? 0) + w);
      az.set(y, (az.get(y) ?? 0) + w);
    }
    ay.delete(x);
    this.adj.delete(x);
    this.strength.set(y, (this.strength.get(y) ?? 0) + (this.strength.get(x) ?? 0));
    this.size.set(y, this.size.get(y)! + this.size.get(x)!);
    if (this.smallest.get(x)! < this.smallest.get(y)!) this.smallest.set(y, this.smallest.get(x)!);
    for (const t of this.tokens.get(x)!) this.tokens.get(y)!.add(t);
    for (const m of [this.size, this.strength, this.smallest, this.tokens]) m.delete(x);
    this.into.set(x, y);
  }

  private order(x: number, y: number): number {
    const d = this.size.get(x)! - this.size.get(y)!;
    return d !== 0 ? d : this.smallest.get(x)! < this.smallest.get(y)! ? -1 : 1;
  }

  /** Merge contexts below `minSize` into their most connected allowed neighbour, smallest first. */
  mergeSmall(minSize: number): void {
    const stuck = new Set<number>();
    for (;;) {
      const small = [...this.size.keys()]
        .filter((c) => this.size.get(c)! < minSize && !stuck.has(c) && !this.locked.has(c))
        .sort((x, y) => this.order(x, y));
      const x = small[0];
      if (x === undefined) return;
      let best: number | undefined;
      let bestW = 0;
      for (const [y, w] of this.adj.get(x)!) {
        if (!this.allowed(x, y)) continue;
        if (w > bestW || (w === bestW && best !== undefined && this.order(y, best) > 0)) [best, bestW] = [y, w];
      }
      if (best === undefined) stuck.add(x);
      else this.merge(x, best);
    }
  }

  /** Merge down to at most `n` contexts by best modularity gain (see the module header). */
  mergeToCount(n: number, resolution: number): void {
    const m = this.total || 1;
    while (this.size.size > n) {
      let pick: [number, number] | undefined;
      let bestGain = -Infinity;
      for (const [x, row] of this.adj) {
        for (const [y, w] of row) {
          if (y <= x || !this.allowed(x, y)) continue;
          const gain = w / m - (resolution * (this.strength.get(x) ?? 0) * (this.strength.get(y) ?? 0)) / (2 * m * m);
          if (gain > bestGain) [bestGain, pick] = [gain, [x, y]];
        }
      }
      if (!pick) {
        const all = [...this.size.keys()].sort((x, y) => this.order(x, y));
        outer: for (let i = 0; i < all.length; i++) {
          for (let j = i + 1; j < all.length; j++) {
            if (this.allowed(all[i]!, all[j]!)) {
              pick = [all[i]!, all[j]!];
              break outer;
            }
          }
        }
      }
      if (!pick) return;
      this.merge(pick[0], pick[1]);
    }
  }

  /** The assignment after merges (numbers of surviving contexts). */
  result(): Assignment {
    const resolve = (c: number): number => {
      let r = c;
      while (this.into.has(r)) r = this.into.get(r)!;
      return r;
    };
    return new Map([...this.assignment].map(([f, c]) => [f, resolve(c)]));
  }
}
