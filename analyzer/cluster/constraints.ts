/**
 * User constraints on clustering (model.ts ClusterConstraints): pins, keep-together groups
 * and keep-apart pairs, matched with minimatch globs (`dot: true`) against posix paths
 * relative to the root. minimatch rather than `path.matchesGlob`: the latter is still
 * experimental on Node 20 (prints a warning) and absent before 20.17, below our engines range.
 *
 * Before clustering, files that must share a context (pinned to one name, or in one
 * keep-together group) are contracted into one node whose edges sum the members' edges, so
 * the algorithm places them as one unit and pulls their neighbours along. After clustering,
 * keep-apart pairs (and different pin names, implicitly kept apart) that share a context are
 * split: the smaller side's units move to their next-best context (most weight to it, not
 * holding the other side), or to a new context when they have none. `validateConstraints`
 * checks the final assignment. Contradictory constraints are rejected up front.
 */
import { UndirectedGraph } from 'graphology';
import { minimatch } from 'minimatch';
import type { AbstractGraph } from 'graphology-types';
import { FicusError } from '../../core/index.js';
import type { ClusterConstraints } from '../model.js';
import { ClusterErrorCode } from './errors.js';
import { groupsOf, type Assignment } from './partition.js';

export interface ApartRule {
  readonly label: string;
  readonly a: ReadonlySet<string>;
  readonly b: ReadonlySet<string>;
}

export interface ConstraintPlan {
  /** Representative (smallest member) per file of a multi-file unit; other files map to themselves. */
  readonly unitOf: ReadonlyMap<string, string>;
  /** Members per representative, for units of two or more files. */
  readonly units: ReadonlyMap<string, readonly string[]>;
  /** Pin name per pinned file. */
  readonly pinOf: ReadonlyMap<string, string>;
  readonly apart: readonly ApartRule[];
  /** Globs that matched no file in the graph. */
  readonly unmatched: readonly string[];
}

const conflict = (message: string, details: Record<string, unknown>): FicusError =>
  new FicusError(ClusterErrorCode.CONSTRAINT_CONFLICT, message, { exitCode: 2, details });

/** Resolve globs against the graph's files and check the constraints can all hold. */
export function planConstraints(files: readonly string[], constraints: ClusterConstraints | undefined): ConstraintPlan {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (x: string, y: string): void => {
    const [rx, ry] = [find(x), find(y)];
    if (rx !== ry) parent.set(rx < ry ? ry : rx, rx < ry ? rx : ry);
  };
  const unmatched: string[] = [];
  const match = (globs: readonly string[]): string[] => {
    const out = new Set<string>();
    for (const g of globs) {
      const hits = files.filter((f) => minimatch(f, g, { dot: true }));
      if (hits.length === 0) unmatched.push(g);
      for (const h of hits) out.add(h);
    }
    return [...out].sort();
  };
  const pinOf = new Map<string, string>();
  const pinned = new Map<string, string[]>();
  for (const name of Object.keys(constraints?.pin ?? {}).sort()) {
    const hits = match(constraints!.pin[name]!);
    for (const f of hits) {
      const other = pinOf.get(f);
      if (other !== undefined)
        throw conflict(`"${f}" is pinned to both "${other}" and "${name}"; pin each file to one context.`, { file: f, pins: [other, name] });
      pinOf.set(f, name);
    }
    pinned.set(name, hits);
    for (const f of hits) union(hits[0]!, f);
  }
  for (const group of constraints?.keepTogether ?? []) {
    const hits = match(group);
    for (const f of hits) union(hits[0]!, f);
  }
  const apart: ApartRule[] = [];
  for (const [ga, gb] of constraints?.keepApart ?? []) {
    apart.push({ label: `${ga} ↔ ${gb}`, a: new Set(match([ga])), b: new Set(match([gb])) });
  }
  const names = [...pinned.keys()];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      apart.push({ label: `pin ${names[i]} ↔ pin ${names[j]}`, a: new Set(pinned.get(names[i]!)), b: new Set(pinned.get(names[j]!)) });
    }
  }
  const unitOf = new Map<string, string>();
  const units = new Map<string, string[]>();
  for (const f of [...files].sort()) {
    const r = find(f);
    unitOf.set(f, r);
    (units.get(r) ?? units.set(r, []).get(r)!).push(f);
  }
  for (const [r, members] of units) if (members.length < 2) units.delete(r);
  for (const [r, members] of units) {
    const names = new Set(members.flatMap((m) => (pinOf.has(m) ? [pinOf.get(m)!] : [])));
    if (names.size > 1) throw conflict(`Files kept together are pinned to different contexts (${[...names].join(', ')}).`, { unit: r, pins: [...names] });
    for (const rule of apart) {
      const inA = members.some((m) => rule.a.has(m));
      const inB = members.some((m) => rule.b.has(m));
      if (inA && inB) throw conflict(`Keep-apart ${rule.label} splits files that must stay together (with "${r}").`, { rule: rule.label, unit: r });
    }
  }
  for (const rule of apart) {
    const both = [...rule.a].find((f) => rule.b.has(f));
    if (both) throw conflict(`"${both}" matches both sides of keep-apart ${rule.label}.`, { rule: rule.label, file: both });
  }
  return { unitOf, units, pinOf, apart, unmatched };
}

/** Contract each unit into its representative; edge weights between units are summed. */
export function contractUnits(graph: AbstractGraph, plan: ConstraintPlan, weight = 'weight'): UndirectedGraph {
  // A unit keeps its internal weight as a self-loop, the standard contraction for Louvain
  // (Blondel et al. 2008, phase 2): without it a unit looks weakly tied and merges into anything.
  const out = new UndirectedGraph({ allowSelfLoops: true });
  const rep = (n: string): string => plan.unitOf.get(n) ?? n;
  for (const n of [...graph.nodes()].sort()) if (rep(n) === n) out.addNode(n);
  if (plan.units.size === 0 && !graph.multi) {
    // Nothing to contract: the same edges in the same (a, b) order as below, without keying and
    // summing every pair (a third of the clustering time at 350k lines).
    const edges: [string, string, number][] = [];
    graph.forEachEdge((_e, attr, s, t) => void (s !== t && edges.push(s < t ? [s, t, Number(attr[weight] ?? 1)] : [t, s, Number(attr[weight] ?? 1)])));
    const before = (x: readonly [string, string, number], y: readonly [string, string, number]): boolean => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
    if (edges.some((e, i) => i > 0 && !before(edges[i - 1]!, e))) edges.sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
    for (const [a, b, w] of edges) out.addUndirectedEdge(a, b, { weight: w });
    return out;
  }
  const sums = new Map<string, number>();
  graph.forEachEdge((_e, attr, s, t) => {
    const [a, b] = [rep(s), rep(t)].sort() as [string, string];
    if (a === b && s === t) return;
    const key = `${a}\u0000${b}`;
    sums.set(key, (sums.get(key) ?? 0) + Number(attr[weight] ?? 1));
  });
  for (const key of [...sums.keys()].sort()) {
    const [a, b] = key.split('\u0000') as [string, string];
    out.addUndirectedEdge(a, b, { weight: sums.get(key)! });
  }
  return out;
}

/** Expand a partition of the contracted graph back to every file. */
export function expandUnits(partition: ReadonlyMap<string, number>, plan: ConstraintPlan, files: readonly string[]): Assignment {
  const out: Assignment = new Map();
  for (const f of files) {
    const c = partition.get(plan.unitOf.get(f) ?? f);
    if (c !== undefined) out.set(f, c);
  }
  return out;
}

/** Whether merging two contexts would break a keep-apart rule or join two pins. */
export function mergeForbidden(plan: ConstraintPlan, assignment: ReadonlyMap<string, number>): (x: number, y: number) => boolean {
  const sides = plan.apart.map((rule) => ({
    a: new Set([...rule.a].flatMap((f) => (assignment.has(f) ? [assignment.get(f)!] : []))),
    b: new Set([...rule.b].flatMap((f) => (assignment.has(f) ? [assignment.get(f)!] : []))),
  }));
  return (x, y) => sides.some((s) => (s.a.has(x) && s.b.has(y)) || (s.a.has(y) && s.b.has(x)));
}

/** Split contexts that hold both sides of a keep-apart rule (see the module header). */
export function enforceApart(graph: AbstractGraph, assignment: Assignment, plan: ConstraintPlan, weight = 'weight'): Assignment {
  const out = new Map(assignment);
  for (const rule of plan.apart) {
    for (const [ctx, members] of [...groupsOf(out).entries()].sort(([x], [y]) => x - y)) {
      const inA = members.filter((m) => rule.a.has(m));
      const inB = members.filter((m) => rule.b.has(m));
      if (inA.length === 0 || inB.length === 0) continue;
      const [moving, staying] = inB.length <= inA.length ? [inB, rule.a] : [inA, rule.b];
      const units = new Set(moving.map((m) => plan.unitOf.get(m) ?? m));
      const moved = members.filter((m) => units.has(plan.unitOf.get(m) ?? m));
      const blocked = new Set([...staying].flatMap((f) => (out.has(f) ? [out.get(f)!] : [])));
      const pull = new Map<number, number>();
      for (const m of moved) {
        if (!graph.hasNode(m)) continue;
        graph.forEachEdge(m, (_e, attr, s, t) => {
          const c = out.get(s === m ? t : s);
          if (c === undefined || c === ctx || blocked.has(c)) return;
          pull.set(c, (pull.get(c) ?? 0) + Number(attr[weight] ?? 1));
        });
      }
      let target = Math.max(-1, ...out.values()) + 1;
      let best = 0;
      for (const [c, w] of [...pull.entries()].sort(([x], [y]) => x - y)) if (w > best) [best, target] = [w, c];
      for (const m of moved) out.set(m, target);
    }
  }
  return out;
}

/** Throw if the final assignment breaks a constraint (a bug or an impossible combination). */
export function validateConstraints(assignment: ReadonlyMap<string, number>, plan: ConstraintPlan): void {
  for (const [rep, members] of plan.units) {
    const ctx = new Set(members.map((m) => assignment.get(m)));
    if (ctx.size > 1) throw conflict(`Files kept together with "${rep}" ended in ${ctx.size} contexts.`, { unit: rep });
  }
  const forbidden = mergeForbidden(plan, assignment);
  for (const c of new Set(assignment.values())) {
    if (forbidden(c, c)) throw conflict(`Context ${c} still holds both sides of a keep-apart rule.`, { context: c });
  }
}
