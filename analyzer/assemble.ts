/**
 * Turning a clustering into the parts of the Decomposition contract that describe contexts:
 * names, members, endpoints, tables, per-context metrics, the files the clustering was least
 * sure of, and the graph view (positions precomputed, weak edges capped) for the report.
 */
import type { AbstractGraph } from 'graphology-types';
import type { Decomposition, DecompositionContext } from './decomposition.js';
import type { FileFacts, TableAccess } from './model.js';
import { nameContexts, slug } from './plan/naming.js';
import { round, SHARED_KERNEL_ID } from './plan/seams.js';

/** Files under this confidence are listed for the architect. */
export const LOW_CONFIDENCE = 0.7;
const MAX_LOW_CONFIDENCE = 60;
/** The graph view keeps at most this many edges per node on average (strongest first). */
const EDGES_PER_NODE = 6;
export const UNASSIGNED_ID = 'unassigned';

export interface Grouping {
  /** Context index per clustered file. */
  readonly assignment: ReadonlyMap<string, number>;
  readonly stability: readonly number[];
  readonly confidence: ReadonlyMap<string, number>;
  readonly unassigned: number | null;
  readonly pinned: ReadonlyMap<number, string>;
  /** Shared-kernel files (hubs), kept out of the clustering. */
  readonly kernel: readonly string[];
}

export interface ContextMetricsInput {
  readonly cohesion: number;
  readonly coupling: number;
}

/** Context id per file, plus the contexts in index order (shared kernel last). */
export function contextIds(facts: ReadonlyMap<string, FileFacts>, g: Grouping): { ids: string[]; names: { id: string; name: string; naming: string[] }[]; contextOf: Map<string, string> } {
  const groups = new Map<number, FileFacts[]>();
  for (const [path, idx] of g.assignment) {
    const f = facts.get(path);
    if (f) (groups.get(idx) ?? groups.set(idx, []).get(idx)!).push(f);
  }
  const order = [...groups.keys()].sort((a, b) => a - b);
  const auto = nameContexts(order.map((i) => groups.get(i)!));
  const taken = new Set<string>([SHARED_KERNEL_ID, UNASSIGNED_ID]);
  const names = order.map((idx, k) => {
    if (idx === g.unassigned) return { id: UNASSIGNED_ID, name: 'Unassigned', naming: ['no coupling to any other file'] };
    const pin = g.pinned.get(idx);
    const base = pin !== undefined ? { id: slug(pin), name: pin, naming: ['pinned in the config'] } : auto[k]!;
    let id = base.id;
    for (let n = 2; taken.has(id); n++) id = `${base.id}-${n}`;
    taken.add(id);
    return { ...base, id };
  });
  const idOf = new Map(order.map((idx, k) => [idx, names[k]!.id]));
  const contextOf = new Map<string, string>();
  for (const [path, idx] of g.assignment) contextOf.set(path, idOf.get(idx)!);
  for (const path of g.kernel) contextOf.set(path, SHARED_KERNEL_ID);
  return { ids: names.map((n) => n.id), names, contextOf };
}

function tablesOf(members: readonly FileFacts[]): { name: string; access: TableAccess }[] {
  const access = new Map<string, TableAccess>();
  for (const f of members) for (const t of f.tables) if (access.get(t.table) !== 'write') access.set(t.table, t.access);
  return [...access].map(([name, a]) => ({ name, access: a })).sort((a, b) => a.name.localeCompare(b.name));
}

function endpointsOf(members: readonly FileFacts[]): DecompositionContext['endpoints'] {
  return members
    .flatMap((f) => f.endpoints.map((e) => ({ method: e.method.toUpperCase(), path: e.path, file: f.path, line: e.line })))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method) || a.file.localeCompare(b.file));
}

export function buildContexts(
  facts: ReadonlyMap<string, FileFacts>,
  g: Grouping,
  names: readonly { id: string; name: string; naming: string[] }[],
  contextOf: ReadonlyMap<string, string>,
  metricsOf: (id: string) => ContextMetricsInput,
): DecompositionContext[] {
  const members = new Map<string, FileFacts[]>();
  for (const [path, id] of contextOf) {
    const f = facts.get(path);
    if (f) (members.get(id) ?? members.set(id, []).get(id)!).push(f);
  }
  const stabilityById = new Map<string, number>();
  const indexOf = new Map<string, number>();
  for (const [path, idx] of g.assignment) indexOf.set(contextOf.get(path)!, idx);
  for (const [id, idx] of indexOf) stabilityById.set(id, g.stability[idx] ?? 0);
  const one = (id: string, name: string, naming: string[], kind: DecompositionContext['kind']): DecompositionContext => {
    const files = (members.get(id) ?? []).sort((a, b) => a.path.localeCompare(b.path));
    const m = metricsOf(id);
    return {
      id,
      name,
      kind,
      naming,
      members: files.map((f) => f.path),
      metrics: {
        files: files.length,
        lines: files.reduce((n, f) => n + f.lines, 0),
        cohesion: round(m.cohesion),
        coupling: round(m.coupling),
        stability: round(kind === 'shared-kernel' ? 1 : stabilityById.get(id) ?? 0),
      },
      endpoints: endpointsOf(files),
      tables: tablesOf(files),
    };
  };
  const out = names.map((n) => one(n.id, n.name, n.naming, 'domain'));
  if (g.kernel.length > 0) out.push(one(SHARED_KERNEL_ID, 'Shared kernel', ['used across contexts: logger, db client, config, shared models'], 'shared-kernel'));
  return out;
}

/** The strongest other context a file is tied to, by combined edge weight. */
function alternativeOf(graph: AbstractGraph, file: string, own: string, contextOf: ReadonlyMap<string, string>): string | null {
  if (!graph.hasNode(file)) return null;
  const w = new Map<string, number>();
  graph.forEachEdge(file, (_e, attr, s, t) => {
    const other = contextOf.get(s === file ? t : s);
    if (other && other !== own) w.set(other, (w.get(other) ?? 0) + Number((attr as { weight?: number }).weight ?? 0));
  });
  let best: string | null = null;
  let bestW = 0;
  for (const [c, x] of [...w].sort(([a], [b]) => a.localeCompare(b))) if (x > bestW) [best, bestW] = [c, x];
  return best;
}

export function lowConfidence(graph: AbstractGraph, g: Grouping, contextOf: ReadonlyMap<string, string>): Decomposition['lowConfidence'] {
  return [...g.confidence]
    .filter(([, c]) => c < LOW_CONFIDENCE)
    .sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
    .slice(0, MAX_LOW_CONFIDENCE)
    .map(([path, c]) => {
      const context = contextOf.get(path)!;
      return { path, context, confidence: round(c), alternative: alternativeOf(graph, path, context, contextOf) };
    });
}

/** The report's graph: every clustered file with its position; the strongest edges only. */
export function graphView(
  graph: AbstractGraph,
  facts: ReadonlyMap<string, FileFacts>,
  g: Grouping,
  contextOf: ReadonlyMap<string, string>,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): Decomposition['graph'] {
  const nodes = [...contextOf.keys()]
    .filter((p) => graph.hasNode(p))
    .sort()
    .map((id) => ({
      id,
      context: contextOf.get(id)!,
      lines: facts.get(id)?.lines ?? 0,
      confidence: round(g.confidence.get(id) ?? 1),
      x: positions.get(id)?.x ?? 0,
      y: positions.get(id)?.y ?? 0,
    }));
  const edges: Decomposition['graph']['edges'] = [];
  graph.forEachEdge((_e, attr, s, t) => {
    const a = attr as { weight?: number; signals?: Record<string, number> };
    const [x, y] = s < t ? [s, t] : [t, s];
    const signals = Object.fromEntries(Object.entries(a.signals ?? {}).map(([k, v]) => [k, round(v)]));
    edges.push({ a: x, b: y, w: round(Number(a.weight ?? 0)), signals });
  });
  edges.sort((p, q) => q.w - p.w || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
  const cap = Math.max(200, nodes.length * EDGES_PER_NODE);
  return { nodes, edges: edges.slice(0, cap), truncated: edges.length > cap };
}
