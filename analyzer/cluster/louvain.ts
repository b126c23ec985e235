/**
 * One seeded Louvain run on a weighted undirected graph (graphology-communities-louvain).
 *
 * - Blondel, Guillaume, Lambiotte & Lefebvre 2008, "Fast unfolding of communities in large
 *   networks", J. Stat. Mech. P10008 — the algorithm.
 * - Reichardt & Bornholdt 2006, "Statistical mechanics of community detection", Phys. Rev. E
 *   74, 016110, and Lambiotte, Delvenne & Barahona 2008/2014, "Laplacian dynamics and
 *   multiscale modular structure in networks" — the resolution γ (> 1: more, smaller
 *   communities; < 1: fewer, larger).
 * - Lancichinetti & Fortunato 2012, "Consensus clustering in complex networks", Sci. Rep. 2,
 *   336 — why several seeded runs are combined (consensus.ts): Louvain's result depends on
 *   the node visiting order, which is what the seed fixes.
 */
import louvainImport from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';
import { mulberry32 } from './random.js';

type Louvain = typeof louvainImport.default;
// The package is CommonJS (`module.exports = fn`) while its typings declare `export default`:
// under NodeNext the default import is the function itself at run time.
const mod = louvainImport as unknown as Louvain & { default?: Louvain };
const louvain: Louvain = typeof mod.default === 'function' ? mod.default : mod;

export interface LouvainRun {
  /** Community per node, numbered from 0 in the library's order. */
  readonly communities: ReadonlyMap<string, number>;
  readonly count: number;
  /** Modularity of the result at the run's resolution. */
  readonly modularity: number;
}

export interface LouvainRunOptions {
  readonly seed: number;
  readonly resolution?: number;
  /** Edge attribute holding the weight (default 'weight'). */
  readonly weight?: string;
}

/** Run Louvain once with a seeded node order. Nodes without edges get a community of their own. */
export function runLouvain(graph: AbstractGraph, options: LouvainRunOptions): LouvainRun {
  if (graph.order === 0) return { communities: new Map(), count: 0, modularity: 0 };
  if (graph.size === 0) {
    const communities = new Map(graph.nodes().map((n, i) => [n, i] as const));
    return { communities, count: communities.size, modularity: 0 };
  }
  const out = louvain.detailed(graph, {
    getEdgeWeight: options.weight ?? 'weight',
    resolution: options.resolution ?? 1,
    rng: mulberry32(options.seed),
    fastLocalMoves: true,
    randomWalk: true,
  });
  return { communities: new Map(Object.entries(out.communities)), count: out.count, modularity: out.modularity };
}
