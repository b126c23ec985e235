/**
 * How much the seeded runs agree — the raw material of consensus clustering (Lancichinetti &
 * Fortunato 2012, "Consensus clustering in complex networks", Sci. Rep. 2, 336; Strehl &
 * Ghosh 2002, "Cluster ensembles", JMLR 3, for the co-association matrix).
 * - `coAssociate` / `consensusGraph`: co-association D_ij (share of runs putting i and j together) on the
 *   pairs that are edges of the current graph only — the sparse variant of Tandon, Albeshri,
 *   Thayananthan, Alhalabi & Fortunato 2019, "Fast consensus clustering in complex networks",
 *   Phys. Rev. E 99, 042301 — thresholded at τ; a node whose every pair falls below τ keeps
 *   its strongest one, so nothing is cut loose by the threshold alone.
 * - `stability`: mean co-association over all member pairs of a context, computed exactly
 *   from per-run overlap counts (Σ_runs Σ_k C(n_k,2) / (runs · C(n,2))), no pair matrix.
 * - `confidence`: per file, the share of runs that put it with the plurality of its final
 *   context (the run community holding most of the context's members).
 */
import { UndirectedGraph } from 'graphology';
import type { AbstractGraph } from 'graphology-types';
import { groupsOf } from './partition.js';

export type Run = ReadonlyMap<string, number>;

/**
 * Co-association on the edges of `graph`, thresholded at `threshold`, written in place as the
 * edge attribute `into` (0 for an edge below the threshold, i.e. absent from the consensus
 * graph) — the consensus graph of every round is a subgraph of the input's edges, so one graph
 * carries them all and no graph is rebuilt per round. Edges whose `from` attribute is 0 (cut in
 * an earlier round) stay cut. Returns how many edges are kept.
 */
export function coAssociate(graph: AbstractGraph, runs: readonly Run[], threshold: number, into: string, from?: string): number {
  const index = new Map<string, number>();
  graph.forEachNode((n) => void index.set(n, index.size));
  const labels = runs.map((run) => {
    const a = new Int32Array(index.size).fill(-1);
    for (const [n, c] of run) {
      const i = index.get(n);
      if (i !== undefined) a[i] = c;
    }
    return a;
  });
  const bestD = new Float64Array(index.size);
  const bestEdge: (string | undefined)[] = new Array(index.size);
  const bestOther: (string | undefined)[] = new Array(index.size);
  let kept = 0;
  graph.forEachEdge((edge, attr, s, t) => {
    const i = index.get(s)!;
    const j = index.get(t)!;
    let d = 0;
    if (from === undefined || Number(attr[from]) > 0) {
      let together = 0;
      for (const l of labels) if (l[i] === l[j] && l[i] !== -1) together++;
      d = together / runs.length;
    }
    if (d > 0) {
      for (const [x, y] of [
        [i, t],
        [j, s],
      ] as const) {
        if (d > bestD[x]! || (d === bestD[x] && y < bestOther[x]!)) {
          bestD[x] = d;
          bestEdge[x] = edge;
          bestOther[x] = y;
        }
      }
    }
    const w = d >= threshold ? d : 0;
    if (w > 0) kept++;
    graph.setEdgeAttribute(edge, into, w);
  });
  // A node whose every pair fell below τ keeps its strongest one, so nothing is cut loose by the threshold alone.
  for (let x = 0; x < index.size; x++) {
    const edge = bestEdge[x];
    if (edge !== undefined && bestD[x]! < threshold && Number(graph.getEdgeAttribute(edge, into)) === 0) {
      graph.setEdgeAttribute(edge, into, bestD[x]!);
      kept++;
    }
  }
  return kept;
}

/** Co-association graph on the edges of `graph`, thresholded at `threshold`, as a new graph (see `coAssociate`). */
export function consensusGraph(graph: AbstractGraph, runs: readonly Run[], threshold: number): UndirectedGraph {
  const attr = '__coassociation';
  coAssociate(graph, runs, threshold, attr);
  const out = new UndirectedGraph({ allowSelfLoops: false });
  for (const n of graph.nodes()) out.addNode(n);
  graph.forEachEdge((edge, a, s, t) => {
    const w = Number(a[attr]);
    if (w > 0) out.addUndirectedEdge(s, t, { weight: w });
    graph.removeEdgeAttribute(edge, attr);
  });
  return out;
}

/** Whether all runs are the same partition (labels may differ). */
export function runsAgree(runs: readonly Run[]): boolean {
  const first = runs[0];
  if (!first) return true;
  return runs.every((run) => {
    const map = new Map<number, number>();
    const back = new Map<number, number>();
    for (const [n, c] of first) {
      const d = run.get(n);
      if (d === undefined) return false;
      if ((map.has(c) && map.get(c) !== d) || (back.has(d) && back.get(d) !== c)) return false;
      map.set(c, d);
      back.set(d, c);
    }
    return true;
  });
}

/** Mean co-association among each context's members (1 for a single-file context). */
export function stability(assignment: ReadonlyMap<string, number>, runs: readonly Run[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const [ctx, members] of groupsOf(assignment)) {
    const n = members.length;
    if (n < 2 || runs.length === 0) {
      out.set(ctx, n < 2 ? 1 : 0);
      continue;
    }
    let pairs = 0;
    for (const run of runs) {
      const counts = new Map<number | undefined, number>();
      for (const m of members) counts.set(run.get(m), (counts.get(run.get(m)) ?? 0) + 1);
      for (const [label, k] of counts) if (label !== undefined) pairs += (k * (k - 1)) / 2;
    }
    out.set(ctx, pairs / (runs.length * ((n * (n - 1)) / 2)));
  }
  return out;
}

/** Share of runs that put each file with the plurality of its final context. */
export function confidence(assignment: ReadonlyMap<string, number>, runs: readonly Run[]): Map<string, number> {
  const out = new Map<string, number>();
  const groups = groupsOf(assignment);
  for (const members of groups.values()) for (const m of members) out.set(m, 0);
  if (runs.length === 0) return out;
  for (const run of runs) {
    for (const members of groups.values()) {
      const counts = new Map<number, number>();
      for (const m of members) {
        const l = run.get(m);
        if (l !== undefined) counts.set(l, (counts.get(l) ?? 0) + 1);
      }
      let plurality: number | undefined;
      let most = 0;
      for (const [l, k] of counts) if (k > most || (k === most && plurality !== undefined && l < plurality)) [plurality, most] = [l, k];
      for (const m of members) if (plurality !== undefined && run.get(m) === plurality) out.set(m, out.get(m)! + 1);
    }
  }
  for (const [m, k] of out) out.set(m, k / runs.length);
  return out;
}
