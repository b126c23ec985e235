/**
 * How much the seeded runs agree — the raw material of consensus clustering (Lancichinetti &
 * Fortunato 2012, "Consensus clustering in complex networks", Sci. Rep. 2, 336; Strehl &
 * Ghosh 2002, "Cluster ensembles", JMLR 3, for the co-association matrix).
 * - `consensusGraph`: co-association D_ij (share of runs putting i and j together) on the
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

/** Co-association graph on the edges of `graph`, thresholded at `threshold`. */
export function consensusGraph(graph: AbstractGraph, runs: readonly Run[], threshold: number): UndirectedGraph {
  const out = new UndirectedGraph({ allowSelfLoops: false });
  for (const n of graph.nodes()) out.addNode(n);
  const best = new Map<string, { other: string; d: number }>();
  const kept: [string, string, number][] = [];
  graph.forEachEdge((_e, _attr, s, t) => {
    let together = 0;
    for (const run of runs) if (run.get(s) === run.get(t)) together++;
    const d = together / runs.length;
    if (d <= 0) return;
    for (const [x, y] of [
      [s, t],
      [t, s],
    ] as const) {
      const b = best.get(x);
      if (!b || d > b.d || (d === b.d && y < b.other)) best.set(x, { other: y, d });
    }
    if (d >= threshold) kept.push([s, t, d]);
  });
  for (const [s, t, d] of kept) out.addUndirectedEdge(s, t, { weight: d });
  for (const n of graph.nodes()) {
    const b = best.get(n);
    if (b && b.d < threshold && !out.hasEdge(n, b.other)) out.addUndirectedEdge(n, b.other, { weight: b.d });
  }
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
