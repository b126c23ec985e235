/**
 * A weighted undirected graph in compressed sparse row form, for the refinement loops
 * (refine.ts) that visit every node's neighbours many times: typed arrays instead of
 * graphology's string-keyed maps. Nodes are numbered in the graph's node order; an aggregated
 * network (one node per group of nodes) keeps the weight inside each group as a self-loop, so
 * modularity is the same on the aggregate as on the network it came from.
 *
 * Modularity with resolution γ (Newman & Girvan 2004, "Finding and evaluating community
 * structure in networks", Phys. Rev. E 69, 026113; Reichardt & Bornholdt 2006):
 * Q = Σ_c [ in_c / 2m − γ (S_c / 2m)² ], in_c the weight inside c counted from both ends,
 * S_c the total strength of c.
 */
import type { AbstractGraph } from 'graphology-types';

export interface Network {
  /** Node names, index = node number (empty for aggregates). */
  readonly names: readonly string[];
  readonly size: number;
  /** Neighbours of node i: nbr/w[start[i] .. start[i + 1]), no self-loops. */
  readonly start: Int32Array;
  readonly nbr: Int32Array;
  readonly w: Float64Array;
  /** Strength (weighted degree, self-loop counted twice) per node. */
  readonly strength: Float64Array;
  /** Self-loop weight per node (weight inside an aggregated group). */
  readonly loop: Float64Array;
  /** Σ strength = 2m. */
  readonly total: number;
}

/** Edge weight as graphology-communities-louvain reads it: a non-number counts 1. */
const weightOf = (value: unknown): number => (typeof value === 'number' && !Number.isNaN(value) ? value : 1);

/** The network of `graph` under the edge attribute `weight` (edges of weight ≤ 0 left out). */
export function toNetwork(graph: AbstractGraph, weight = 'weight'): Network {
  const index = new Map<string, number>();
  const names: string[] = [];
  graph.forEachNode((n) => void (index.set(n, names.length), names.push(n)));
  const size = names.length;
  const start = new Int32Array(size + 1);
  graph.forEachEdge((_e, attr, s, t) => {
    if (s === t || !(weightOf(attr[weight]) > 0)) return;
    start[index.get(s)! + 1]!++;
    start[index.get(t)! + 1]!++;
  });
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, size);
  const nbr = new Int32Array(start[size]!);
  const w = new Float64Array(start[size]!);
  const strength = new Float64Array(size);
  const loop = new Float64Array(size);
  let total = 0;
  graph.forEachEdge((_e, attr, s, t) => {
    const x = weightOf(attr[weight]);
    if (!(x > 0)) return;
    const [a, b] = [index.get(s)!, index.get(t)!];
    if (a === b) {
      loop[a]! += x;
      strength[a]! += 2 * x;
      total += 2 * x;
      return;
    }
    nbr[fill[a]!] = b;
    w[fill[a]!++] = x;
    nbr[fill[b]!] = a;
    w[fill[b]!++] = x;
    strength[a]! += x;
    strength[b]! += x;
    total += 2 * x;
  });
  return { names, size, start, nbr, w, strength, loop, total };
}

/** One node per group (`group[i]` in 0..count−1), edges between groups summed, weight inside kept as a self-loop. */
export function aggregate(net: Network, group: Int32Array, count: number): Network {
  const rows: Map<number, number>[] = Array.from({ length: count }, () => new Map());
  const strength = new Float64Array(count);
  const loop = new Float64Array(count);
  for (let i = 0; i < net.size; i++) {
    const a = group[i]!;
    strength[a]! += net.strength[i]!;
    loop[a]! += net.loop[i]!;
    const row = rows[a]!;
    for (let p = net.start[i]!; p < net.start[i + 1]!; p++) {
      const b = group[net.nbr[p]!]!;
      // Each internal edge is seen from both ends: half from each.
      if (a === b) loop[a]! += net.w[p]! / 2;
      else row.set(b, (row.get(b) ?? 0) + net.w[p]!);
    }
  }
  const start = new Int32Array(count + 1);
  for (let a = 0; a < count; a++) start[a + 1] = start[a]! + rows[a]!.size;
  const nbr = new Int32Array(start[count]!);
  const w = new Float64Array(start[count]!);
  for (let a = 0; a < count; a++) {
    let p = start[a]!;
    for (const [b, x] of [...rows[a]!].sort(([u], [v]) => u - v)) {
      nbr[p] = b;
      w[p++] = x;
    }
  }
  return { names: [], size: count, start, nbr, w, strength, loop, total: net.total };
}

/** Modularity of `community` (node → label in 0..size−1) at resolution γ. */
export function modularityOf(net: Network, community: Int32Array, resolution: number): number {
  if (net.total === 0) return 0;
  const inside = new Float64Array(net.size);
  const sum = new Float64Array(net.size);
  for (let i = 0; i < net.size; i++) {
    const c = community[i]!;
    sum[c]! += net.strength[i]!;
    inside[c]! += 2 * net.loop[i]!;
    for (let p = net.start[i]!; p < net.start[i + 1]!; p++) if (community[net.nbr[p]!] === c) inside[c]! += net.w[p]!;
  }
  let q = 0;
  for (let c = 0; c < net.size; c++) if (sum[c]! > 0) q += inside[c]! / net.total - resolution * (sum[c]! / net.total) ** 2;
  return q;
}
