/**
 * Finding the Louvain resolution γ that yields a requested number of contexts (`--contexts N`).
 * The number of communities grows (almost) monotonically with γ (Reichardt & Bornholdt 2006;
 * Lambiotte, Delvenne & Barahona 2014, "Random walks, Markov processes and the multiscale
 * modular organization of complex networks", IEEE TNSE 1(2)), so bisection on log γ between
 * 0.05 and 10 finds the smallest probed γ giving at least N contexts of the minimum size;
 * the caller then merges down to exactly N (merge.ts). Each probe is one Louvain run with the
 * base seed, so the search is deterministic and costs `steps` runs.
 */
import type { AbstractGraph } from 'graphology-types';
import { runLouvain } from './louvain.js';

export interface ResolutionSearch {
  readonly seed: number;
  readonly range: readonly [number, number];
  readonly steps: number;
  /** Communities smaller than this (in files) are not counted: they will be merged. */
  readonly minSize: number;
  /** Files behind a node (contracted units count their members). */
  readonly sizeOf?: (node: string) => number;
}

/** Count of communities of at least `minSize` files at resolution γ (at least 1). */
export function contextsAt(graph: AbstractGraph, resolution: number, search: ResolutionSearch): number {
  const { communities } = runLouvain(graph, { seed: search.seed, resolution });
  const sizes = new Map<number, number>();
  for (const [node, c] of communities) sizes.set(c, (sizes.get(c) ?? 0) + (search.sizeOf?.(node) ?? 1));
  return Math.max(1, [...sizes.values()].filter((s) => s >= search.minSize).length);
}

/** Smallest probed resolution giving at least `target` contexts (or the upper bound). */
export function searchResolution(graph: AbstractGraph, target: number, search: ResolutionSearch): number {
  let [lo, hi] = search.range;
  if (contextsAt(graph, hi, search) < target) return hi;
  if (contextsAt(graph, lo, search) >= target) return lo;
  for (let i = 0; i < search.steps; i++) {
    const mid = Math.sqrt(lo * hi);
    if (contextsAt(graph, mid, search) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
