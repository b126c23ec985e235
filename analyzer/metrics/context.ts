/**
 * Per-context cohesion and coupling on the combined coupling graph (the weights every signal
 * contributed), as the Decomposition's context metrics describe them:
 *
 * - cohesion = W_in / (n(n−1)/2), clipped to [0, 1]: the weighted density of the context,
 *   its internal weight over what n files could have if every pair were tied with weight 1
 *   (0 for a context of fewer than 2 files);
 * - coupling = W_out / (W_in + W_out): the share of the weight touching the context that
 *   crosses to another context (0 when no edge touches it).
 *
 * The pair follows the cohesion/coupling split of structural modularity (Jin et al. 2019,
 * "Service candidate identification from monolithic systems based on execution traces",
 * IEEE TSE 47(5)) on the weighted graph instead of call counts; graph density is the standard
 * one (graphology-metrics' `density`, here with weights summed instead of edges counted).
 */
import type { AbstractGraph } from 'graphology-types';
import { SHARED_KERNEL_ID } from '../plan/seams.js';
import { edgeWeight } from './weight.js';

export interface ContextScore {
  readonly cohesion: number;
  readonly coupling: number;
}

/**
 * Cohesion and coupling of every context in `contextOf` but the shared kernel (which is a
 * library to be, not a service, and is not in the graph). Graph nodes missing from
 * `contextOf` count as a context of their own when they are the other end of a crossing edge.
 */
export function contextScores(graph: AbstractGraph, contextOf: ReadonlyMap<string, string>): Map<string, ContextScore> {
  const size = new Map<string, number>();
  for (const id of contextOf.values()) if (id !== SHARED_KERNEL_ID) size.set(id, (size.get(id) ?? 0) + 1);
  const inside = new Map<string, number>();
  const crossing = new Map<string, number>();
  const add = (acc: Map<string, number>, id: string | undefined, w: number): void => {
    if (id !== undefined) acc.set(id, (acc.get(id) ?? 0) + w);
  };
  graph.forEachEdge((_edge, attributes, source, target) => {
    const w = edgeWeight(attributes);
    if (w === 0 || source === target) return;
    const a = contextOf.get(source);
    const b = contextOf.get(target);
    if (a !== undefined && a === b) add(inside, a, w);
    else {
      add(crossing, a, w);
      add(crossing, b, w);
    }
  });
  const out = new Map<string, ContextScore>();
  for (const [id, n] of size) {
    const wIn = inside.get(id) ?? 0;
    const wOut = crossing.get(id) ?? 0;
    const pairs = (n * (n - 1)) / 2;
    out.set(id, {
      cohesion: pairs > 0 ? Math.min(1, wIn / pairs) : 0,
      coupling: wIn + wOut > 0 ? wOut / (wIn + wOut) : 0,
    });
  }
  return out;
}
