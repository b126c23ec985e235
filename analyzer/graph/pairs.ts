/**
 * Accumulating undirected file-pair weights into an EdgeLayer: the one place that keys pairs
 * (a < b), links a group of files without an O(n²) blow-up, and normalises a layer so its
 * strongest edge weighs 1 (the EdgeLayer contract in model.ts).
 */
import type { EdgeLayer, SignalName, WeightedEdge } from '../model.js';

const SEP = '\u0000';

/** How to merge a new contribution into an existing pair weight. */
export type Merge = 'sum' | 'max';

/** Undirected pair weights keyed by (a < b). */
export class PairWeights {
  private readonly weights = new Map<string, number>();

  add(x: string, y: string, w: number, merge: Merge = 'sum'): void {
    if (x === y || !(w > 0)) return;
    const key = x < y ? `${x}${SEP}${y}` : `${y}${SEP}${x}`;
    const old = this.weights.get(key);
    if (old === undefined) this.weights.set(key, w);
    else this.weights.set(key, merge === 'sum' ? old + w : Math.max(old, w));
  }

  get(x: string, y: string): number {
    return this.weights.get(x < y ? `${x}${SEP}${y}` : `${y}${SEP}${x}`) ?? 0;
  }

  get size(): number {
    return this.weights.size;
  }

  /** Edges sorted by (a, b), so every consumer sees one deterministic order. */
  edges(): WeightedEdge[] {
    const out: WeightedEdge[] = [];
    for (const [key, w] of this.weights) {
      const i = key.indexOf(SEP);
      out.push({ a: key.slice(0, i), b: key.slice(i + 1), w });
    }
    return out.sort((p, q) => (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : p.b > q.b ? 1 : 0));
  }
}

/**
 * A 32-bit hash of a string and a salt that depends on the text only: FNV-1a (Fowler, Noll &
 * Vo, public domain) over the UTF-16 code units, then MurmurHash3's fmix32 finaliser (Austin
 * Appleby, public domain) so nearby paths land far apart.
 */
function hash32(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ Math.imul(salt + 1, 0x9e3779b9)) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Link every pair of a group with weight `w` when the group has at most `cap + 1` members;
 * above that, link each member to `cap` others as the union of `cap / 2` Hamiltonian cycles,
 * cycle c visiting the members in the order of a hash of (path, c). That keeps the group
 * connected with O(n·cap) edges instead of O(n²), and gives each member at most `cap` edges'
 * worth of weight from the group, which is intended: a group that large (a table touched by
 * hundreds of files, a stem shared by hundreds) is weak evidence for any one pair.
 *
 * Why random-looking cycles and not neighbours in sorted order: the group says all its
 * members belong together, symmetrically, so its sparse stand-in must have no cheap cut a
 * clique lacks. A union of random Hamiltonian cycles is, with high probability, an expander
 * (Friedman 2008, "A proof of Alon's second eigenvalue conjecture and related problems",
 * Memoirs AMS 195; Hoory, Linial & Wigderson 2006, "Expander graphs and their applications",
 * Bull. AMS 43(4)), and an expander approximates every cut of the complete graph (Spielman &
 * Teng 2011, "Spectral sparsification of graphs", SIAM J. Comput. 40(4)). A ring lattice in
 * path order does not: its arcs — runs of alphabetically adjacent files — are cut by only
 * O(cap²) edges, and modularity splits a large group along them (the ring of cliques of
 * Fortunato & Barthélemy 2007, "Resolution limit in community detection", PNAS 104(1)).
 * The order depends on the paths only, so the same files give the same edges.
 */
export function linkGroup(
  acc: PairWeights,
  members: readonly string[],
  w: number | ((x: string, y: string) => number),
  cap: number,
  merge: Merge = 'sum',
): void {
  const sorted = [...new Set(members)].sort();
  const n = sorted.length;
  if (n < 2) return;
  const weigh = typeof w === 'number' ? () => w : w;
  const link = (x: string, y: string): void => acc.add(x, y, weigh(x, y), merge);
  if (n <= cap + 1) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) link(sorted[i]!, sorted[j]!);
    return;
  }
  const cycles = Math.max(1, Math.floor(cap / 2));
  const seen = new Set<number>();
  const keys = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let c = 0; c < cycles; c++) {
    for (let i = 0; i < n; i++) keys[i] = hash32(sorted[i]!, c);
    order.sort((x, y) => keys[x]! - keys[y]! || x - y);
    for (let k = 0; k < n; k++) {
      const [x, y] = [order[k]!, order[(k + 1) % n]!];
      const pair = x < y ? x * n + y : y * n + x;
      if (seen.has(pair)) continue;
      seen.add(pair);
      link(sorted[x]!, sorted[y]!);
    }
  }
}

export interface NormaliseOptions {
  /**
   * Scale so this quantile of the edge weights maps to 1 and clip above it (1 = plain
   * max-normalisation). A quantile below 1 stops one extreme pair (a file with 300 calls to
   * another) from squashing every other edge of the layer towards 0, which would silently
   * change the layer's effective weight in the combination.
   */
  quantile?: number;
}

/** Build a layer whose strongest edge weighs exactly 1; drops non-positive weights. */
export function toLayer(signal: SignalName, acc: PairWeights, options: NormaliseOptions = {}, note?: string): EdgeLayer {
  const edges = acc.edges();
  if (edges.length === 0) return note === undefined ? { signal, edges } : { signal, edges, note };
  const q = Math.min(1, Math.max(0, options.quantile ?? 1));
  const sorted = edges.map((e) => e.w).sort((x, y) => x - y);
  const scale = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const out = edges.map((e) => ({ a: e.a, b: e.b, w: Math.min(1, e.w / scale) }));
  return note === undefined ? { signal, edges: out } : { signal, edges: out, note };
}
