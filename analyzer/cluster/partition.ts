/**
 * Partitions as plain maps (file → context number) and the few operations the cluster stage
 * needs on them: grouping, canonical numbering, and the context-level graph (weights between
 * and inside contexts) that merging works on.
 */
import type { AbstractGraph } from 'graphology-types';

export type Assignment = Map<string, number>;

/** Members per context, each list sorted. */
export function groupsOf(assignment: ReadonlyMap<string, number>): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const [file, c] of assignment) (groups.get(c) ?? groups.set(c, []).get(c)!).push(file);
  for (const members of groups.values()) members.sort();
  return groups;
}

/**
 * Renumber 0..K−1 by size (largest first), then by smallest member path, so the same
 * partition always gets the same numbers whatever labels the algorithm produced. Contexts in
 * `last` (e.g. the unassigned files) are numbered after all others.
 */
export function canonicalNumbering(assignment: ReadonlyMap<string, number>, last: ReadonlySet<number> = new Set()): Assignment {
  const groups = [...groupsOf(assignment).entries()].sort(([ca, a], [cb, b]) => {
    const la = last.has(ca) ? 1 : 0;
    const lb = last.has(cb) ? 1 : 0;
    if (la !== lb) return la - lb;
    if (a.length !== b.length) return b.length - a.length;
    return a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0;
  });
  const out: Assignment = new Map();
  groups.forEach(([, members], i) => {
    for (const m of members) out.set(m, i);
  });
  return new Map([...out.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

export interface ContextGraph {
  /** Weight between two contexts, keyed `min:max`. */
  readonly between: Map<string, number>;
  /** Total strength (weighted degree) per context. */
  readonly strength: Map<number, number>;
  /** Weight of edges inside each context. */
  readonly internal: Map<number, number>;
  /** Total edge weight of the graph (nodes not assigned ignored). */
  readonly total: number;
}

export const pairKey = (x: number, y: number): string => (x < y ? `${x}:${y}` : `${y}:${x}`);

/** Aggregate a weighted graph to its contexts. */
export function contextGraph(graph: AbstractGraph, assignment: ReadonlyMap<string, number>, weight = 'weight'): ContextGraph {
  const between = new Map<string, number>();
  const strength = new Map<number, number>();
  const internal = new Map<number, number>();
  let total = 0;
  graph.forEachEdge((_e, attr, s, t) => {
    const cs = assignment.get(s);
    const ct = assignment.get(t);
    if (cs === undefined || ct === undefined) return;
    const w = Number(attr[weight] ?? 1);
    total += w;
    strength.set(cs, (strength.get(cs) ?? 0) + w);
    strength.set(ct, (strength.get(ct) ?? 0) + w);
    if (cs === ct) internal.set(cs, (internal.get(cs) ?? 0) + w);
    else between.set(pairKey(cs, ct), (between.get(pairKey(cs, ct)) ?? 0) + w);
  });
  return { between, strength, internal, total };
}
