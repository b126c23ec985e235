/**
 * Builds the view data the HTML report embeds for its graph, search and context panel
 * (view-data.ts) from a Decomposition: files by index, the graph's precomputed positions,
 * per-context seams in and out with the symbols crossing them.
 */
import type { Decomposition } from '../../analyzer/index.js';
import type { ViewData } from './view-data.js';

const MAX_SYMBOLS = 12;

export function buildView(d: Decomposition, colors: ReadonlyMap<string, string>): ViewData {
  const ctxIndex = new Map(d.contexts.map((c, i) => [c.id, i]));
  const nodeIndex = new Map<string, number>();
  const placed = new Map(d.graph.nodes.map((n) => [n.id, n]));
  const nodes: ViewData['nodes'][number][] = [];
  // Every member gets a node. Files the clustering graph does not hold (the shared kernel was
  // taken out before clustering) are set on a ring around the layout, so they can be found
  // without pretending to a position.
  const xs = d.graph.nodes.map((n) => n.x);
  const ys = d.graph.nodes.map((n) => n.y);
  const cx = xs.length ? (Math.min(...xs) + Math.max(...xs)) / 2 : 0;
  const cy = ys.length ? (Math.min(...ys) + Math.max(...ys)) / 2 : 0;
  const radius = xs.length ? 0.62 * Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 1) : 1;
  const unplaced = d.contexts.flatMap((c) => c.members.filter((m) => !placed.has(m)));
  const ring = new Map(unplaced.map((m, i) => [m, (2 * Math.PI * i) / Math.max(1, unplaced.length)]));
  for (const c of d.contexts) {
    for (const m of c.members) {
      const g = placed.get(m);
      const angle = ring.get(m) ?? 0;
      nodeIndex.set(m, nodes.length);
      nodes.push({
        id: m,
        c: ctxIndex.get(c.id)!,
        x: g?.x ?? cx + radius * Math.cos(angle),
        y: g?.y ?? cy + radius * Math.sin(angle),
        l: g?.lines ?? 0,
        conf: g?.confidence ?? 1,
      });
    }
  }
  const edges: [number, number, number][] = [];
  for (const e of d.graph.edges) {
    const a = nodeIndex.get(e.a);
    const b = nodeIndex.get(e.b);
    if (a !== undefined && b !== undefined) edges.push([a, b, Math.round(e.w * 1000) / 1000]);
  }
  const contexts = d.contexts.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    color: colors.get(c.id) ?? '#999',
    files: c.metrics.files,
    lines: c.metrics.lines,
    stability: c.metrics.stability,
    members: c.members.map((m) => nodeIndex.get(m)!),
    tables: c.tables.map((t) => ({ name: t.name, access: t.access })),
    endpoints: c.endpoints.map((e) => `${e.method} ${e.path}`),
    outbound: d.seams.filter((s) => s.from === c.id && ctxIndex.has(s.to)).map((s) => ({ to: ctxIndex.get(s.to)!, calls: s.calls, symbols: s.symbols.slice(0, MAX_SYMBOLS) })),
    inbound: d.seams.filter((s) => s.to === c.id && ctxIndex.has(s.from)).map((s) => ({ from: ctxIndex.get(s.from)!, calls: s.calls, symbols: s.symbols.slice(0, MAX_SYMBOLS) })),
  }));
  return { contexts, nodes, edges };
}

/** JSON safe to place inside a `<script>` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
