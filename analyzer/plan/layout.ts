/**
 * Node positions for the report's graph view, computed here so the browser does not have to:
 * ForceAtlas2 (Jacomy et al., "ForceAtlas2, a continuous graph layout algorithm for handy
 * network visualization", PLoS ONE 2014) over the combined coupling graph, started from a
 * seeded arrangement where each context's files begin near their own anchor on a circle (so
 * the layout converges quickly and contexts stay legible). Deterministic for a seed.
 *
 * The layout runs on a sparsified copy: each file keeps its `LAYOUT_NEIGHBOURS` strongest ties
 * (the union over both ends), which is what shapes a drawing — the long tail of weak pairs (a
 * 350k-line tree has ~35 ties per file) only costs attraction work per iteration.
 */
import { UndirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import type { ForceAtlas2SynchronousLayoutParameters } from 'graphology-layout-forceatlas2';

// The package is CommonJS; its default export arrives as the module object under NodeNext.
const forceAtlas2 = ((forceAtlas2Module as unknown as { default?: unknown }).default ?? forceAtlas2Module) as {
  (graph: UndirectedGraph, params: ForceAtlas2SynchronousLayoutParameters): Record<string, { x: number; y: number }>;
  inferSettings(order: number): Record<string, unknown>;
};

/** Strongest ties kept per file for the layout. */
export const LAYOUT_NEIGHBOURS = 10;

function sparsified(graph: UndirectedGraph, k: number): UndirectedGraph {
  const out = new UndirectedGraph();
  graph.forEachNode((n) => out.addNode(n));
  graph.forEachNode((n) => {
    const ties: [string, number][] = [];
    graph.forEachEdge(n, (_e, attr, s, t) => {
      const other = s === n ? t : s;
      if (other !== n) ties.push([other, Number(attr.weight ?? 1)]);
    });
    ties.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [other, w] of ties.slice(0, k)) if (!out.hasEdge(n, other)) out.addUndirectedEdge(n, other, { weight: w });
  });
  return out;
}

export function layoutGraph(
  graph: UndirectedGraph,
  contextOf: ReadonlyMap<string, string>,
  random: () => number,
): Map<string, { x: number; y: number }> {
  const layout = sparsified(graph, LAYOUT_NEIGHBOURS);
  const contexts = [...new Set(contextOf.values())].sort();
  const anchor = new Map(contexts.map((c, i) => [c, (2 * Math.PI * i) / Math.max(1, contexts.length)]));
  const radius = 10 * Math.sqrt(layout.order);
  layout.forEachNode((node) => {
    const angle = anchor.get(contextOf.get(node) ?? '') ?? 0;
    layout.mergeNodeAttributes(node, {
      x: radius * Math.cos(angle) + (random() - 0.5) * radius * 0.3,
      y: radius * Math.sin(angle) + (random() - 0.5) * radius * 0.3,
    });
  });
  const iterations = layout.order > 2000 ? 60 : layout.order > 500 ? 120 : 200;
  const settings = { ...forceAtlas2.inferSettings(layout.order), barnesHutOptimize: layout.order > 500 };
  const positions = forceAtlas2(layout, { iterations, settings, getEdgeWeight: 'weight' });
  const out = new Map<string, { x: number; y: number }>();
  for (const [node, p] of Object.entries(positions)) {
    out.set(node, { x: Math.round(p.x * 100) / 100, y: Math.round(p.y * 100) / 100 });
  }
  return out;
}
