/**
 * Weighted Newman–Girvan modularity of the contexts as a partition of the combined coupling
 * graph, computed by graphology-metrics (sparse formula, resolution 1):
 *
 *   Q = Σ_c [ Σ_c,in / 2m − (Σ_c,tot / 2m)² ]
 *
 * with m the total edge weight, Σ_c,in twice the weight inside context c and Σ_c,tot the
 * weighted degree of its files. 1 is the unreachable ideal, 0 is what a random partition
 * with the same degrees gives, negative is worse than random.
 *
 * - Newman & Girvan 2004, "Finding and evaluating community structure in networks",
 *   Phys. Rev. E 69, 026113 — the measure.
 * - Newman 2004, "Analysis of weighted networks", Phys. Rev. E 70, 056131 — the weighted form.
 */
import modularityImport from 'graphology-metrics/graph/modularity.js';
import type { AbstractGraph, Attributes } from 'graphology-types';
import { edgeWeight } from './weight.js';

type Modularity = typeof modularityImport.default;
// The package is CommonJS (`module.exports = fn`) while its typings declare `export default`:
// under NodeNext the default import is the function itself at run time.
const mod = modularityImport as unknown as Modularity & { default?: Modularity };
const modularity: Modularity = typeof mod.default === 'function' ? mod.default : mod;

/**
 * Modularity of the partition `contextOf` gives the graph's nodes. A node missing from
 * `contextOf` is a community of its own. A graph without edges, or whose edges all weigh
 * 0, has no community structure to measure: 0 (the library would throw or divide by 0).
 * @example partitionModularity(twoTrianglesAndABridge, new Map([['a', 'x'], …, ['f', 'y']])) // 5/14
 */
export function partitionModularity(graph: AbstractGraph, contextOf: ReadonlyMap<string, string>): number {
  if (graph.size === 0) return 0;
  let total = 0;
  graph.forEachEdge((_edge, attributes) => {
    total += edgeWeight(attributes);
  });
  if (total <= 0) return 0;
  return modularity(graph, {
    getNodeCommunity: (node: string) => contextOf.get(node) ?? `\u0000${node}`,
    getEdgeWeight: (_edge: string, attributes: Attributes) => edgeWeight(attributes),
  });
}
