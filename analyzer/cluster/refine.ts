/**
 * Refining a partition to a better modularity optimum: the smart local moving (SLM) algorithm
 * of Waltman & van Eck 2013, "A smart local moving algorithm for large-scale modularity-based
 * community detection", Eur. Phys. J. B 86, 471, started from the partition Louvain found.
 *
 * Louvain (Blondel et al. 2008) freezes its early decisions: once a file has joined a
 * community on the first level, the aggregate that holds it moves as one, so a group of files
 * that went the wrong way early (a concept whose files were reached through a shared word
 * before their domain's use cases) can never leave. Traag, Waltman & van Eck 2019 ("From
 * Louvain to Leiden: guaranteeing well-connected communities", Sci. Rep. 9, 5233) show how
 * common such stuck, badly connected communities are. SLM undoes them, level by level:
 * 1. local moving of single nodes (each to the neighbouring community of largest gain, until
 *    none improves; a queue of nodes whose neighbourhood changed, visited in a seeded order);
 * 2. each community is split into sub-communities by local moving inside it, from singletons;
 * 3. the sub-communities become the nodes of an aggregate network, each starting in its
 *    community, and steps 1–3 repeat there — so a misplaced group moves as a whole.
 * Every move raises modularity, so the result is never worse than the start. Deterministic
 * for a network, start and random source.
 */
import { aggregate, modularityOf, type Network } from './network.js';

/** Gains closer than this count as equal (no move on floating-point noise). */
const EPS = 1e-12;

/** Relabel 0..count−1 in order of first appearance. */
function renumber(labels: Int32Array): { labels: Int32Array; count: number } {
  const map = new Map<number, number>();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = map.get(labels[i]!);
    if (c === undefined) map.set(labels[i]!, (c = map.size));
    out[i] = c;
  }
  return { labels: out, count: map.size };
}

function shuffled(n: number, rng: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * Local moving on `net` from `community` (labels in 0..size−1, changed in place). With
 * `within`, a node only joins communities of neighbours with the same `within` label.
 */
export function localMoves(net: Network, community: Int32Array, resolution: number, rng: () => number, within?: Int32Array): void {
  const { size, start, nbr, w, strength } = net;
  const m2 = net.total;
  if (m2 === 0) return;
  const sum = new Float64Array(size);
  for (let i = 0; i < size; i++) sum[community[i]!]! += strength[i]!;
  const toCommunity = new Float64Array(size);
  const seen: number[] = [];
  const queue = Array.from(shuffled(size, rng));
  const queued = new Uint8Array(size).fill(1);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head]!;
    queued[i] = 0;
    const own = community[i]!;
    const k = strength[i]!;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const j = nbr[p]!;
      if (within && within[j] !== within[i]) continue;
      const c = community[j]!;
      if (toCommunity[c] === 0) seen.push(c);
      toCommunity[c]! += w[p]!;
    }
    sum[own]! -= k;
    let best = own;
    let bestGain = toCommunity[own]! - (resolution * k * sum[own]!) / m2;
    for (const c of seen) {
      const gain = toCommunity[c]! - (resolution * k * sum[c]!) / m2;
      if (gain > bestGain + EPS) [best, bestGain] = [c, gain];
    }
    for (const c of seen) toCommunity[c] = 0;
    seen.length = 0;
    sum[best]! += k;
    if (best === own) continue;
    community[i] = best;
    for (let p = start[i]!; p < start[i + 1]!; p++) {
      const j = nbr[p]!;
      if (!queued[j] && community[j] !== best && (!within || within[j] === within[i])) {
        queued[j] = 1;
        queue.push(j);
      }
    }
    // Keep the queue's consumed head from growing without bound on long runs.
    if (head > size && head * 2 > queue.length) {
      queue.splice(0, head + 1);
      head = -1;
    }
  }
}

export interface Refined {
  /** Community per node, numbered 0..count−1 in node order of first appearance. */
  readonly community: Int32Array;
  readonly count: number;
  readonly modularity: number;
}

/** SLM from `start` (see the module header); `start` is not changed. */
export function refinePartition(net: Network, start: Int32Array, resolution: number, rng: () => number): Refined {
  let level = net;
  let community = renumber(start).labels;
  const maps: Int32Array[] = [];
  for (;;) {
    localMoves(level, community, resolution, rng);
    community = renumber(community).labels;
    const split = Int32Array.from({ length: level.size }, (_, i) => i);
    localMoves(level, split, resolution, rng, community);
    const sub = renumber(split);
    if (sub.count === level.size) break;
    const next = new Int32Array(sub.count);
    for (let i = 0; i < level.size; i++) next[sub.labels[i]!] = community[i]!;
    maps.push(sub.labels);
    level = aggregate(level, sub.labels, sub.count);
    community = next;
  }
  for (let k = maps.length - 1; k >= 0; k--) {
    const map = maps[k]!;
    const up = community;
    community = Int32Array.from(map, (s) => up[s]!);
  }
  const out = renumber(community);
  return { community: out.labels, count: out.count, modularity: modularityOf(net, out.labels, resolution) };
}
