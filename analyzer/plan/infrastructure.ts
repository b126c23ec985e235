/**
 * Infrastructure clusters are not contexts. Clustering sometimes groups the plumbing that hub
 * detection (graph/hubs.ts) left in the graph — bootstrapping, config, logging, an event bus —
 * into a "context" of its own. A candidate service owns data or serves an API; a group that
 * does neither and whose files mostly have no domain name (stemWords) is dissolved: its
 * nameless files join the shared kernel, and each file with a domain name moves to the
 * context it is most strongly coupled to (or the kernel when it has no tie to any).
 * Pinned contexts are never dissolved.
 */
import type { AbstractGraph } from 'graphology-types';
import { stemWords } from '../graph/names.js';
import type { FileFacts } from '../model.js';

export interface Dissolved {
  readonly assignment: Map<string, number>;
  /** Files moved into the shared kernel. */
  readonly kernel: readonly string[];
  /** Context indices that were dissolved. */
  readonly dissolved: readonly number[];
}

/** Share of nameless members at or above which a data-less, API-less group is infrastructure. */
const NAMELESS_SHARE = 0.5;

function weightOf(graph: AbstractGraph, edge: string): number {
  const w = Number(graph.getEdgeAttribute(edge, 'weight'));
  return Number.isFinite(w) && w > 0 ? w : 0;
}

export function dissolveInfrastructure(
  graph: AbstractGraph,
  assignment: ReadonlyMap<string, number>,
  facts: ReadonlyMap<string, FileFacts>,
  keep: ReadonlySet<number> = new Set(),
): Dissolved {
  const groups = new Map<number, string[]>();
  for (const [path, idx] of assignment) (groups.get(idx) ?? groups.set(idx, []).get(idx)!).push(path);
  const infra = new Set<number>();
  for (const [idx, members] of groups) {
    if (keep.has(idx) || members.length === 0) continue;
    const servesOrOwns = members.some((m) => (facts.get(m)?.tables.length ?? 0) > 0 || (facts.get(m)?.endpoints.length ?? 0) > 0);
    if (servesOrOwns) continue;
    const nameless = members.filter((m) => stemWords(m).length === 0).length;
    if (nameless / members.length >= NAMELESS_SHARE) infra.add(idx);
  }
  const out = new Map(assignment);
  const kernel: string[] = [];
  if (infra.size === 0) return { assignment: out, kernel, dissolved: [] };
  for (const idx of [...infra].sort((a, b) => a - b)) {
    for (const m of [...groups.get(idx)!].sort()) {
      out.delete(m);
      if (stemWords(m).length === 0 || !graph.hasNode(m)) {
        kernel.push(m);
        continue;
      }
      const ties = new Map<number, number>();
      graph.forEachEdge(m, (edge, _attrs, s, t) => {
        const other = s === m ? t : s;
        const g = assignment.get(other);
        if (g !== undefined && !infra.has(g)) ties.set(g, (ties.get(g) ?? 0) + weightOf(graph, edge));
      });
      const best = [...ties].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
      if (best === undefined) kernel.push(m);
      else out.set(m, best[0]);
    }
  }
  return { assignment: out, kernel: kernel.sort(), dissolved: [...infra].sort((a, b) => a - b) };
}
