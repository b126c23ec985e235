import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import type { FileFacts, RefKind } from '../model.js';
import { computeMetrics, contextScores, domainDependencies, mono2microMetrics, partitionModularity } from './index.js';

type Ref = readonly [to: string, kind: RefKind, count: number];

function file(path: string, refs: readonly Ref[] = []): FileFacts {
  return { path, lines: 10, references: refs.map(([to, kind, count]) => ({ to, kind, symbols: [], count })), tables: [], endpoints: [], terms: {} };
}

function graphOf(edges: readonly (readonly [string, string, number])[], nodes: readonly string[] = []): UndirectedGraph {
  const g = new UndirectedGraph();
  for (const n of nodes) g.mergeNode(n);
  for (const [a, b, weight] of edges) g.mergeEdge(a, b, { weight });
  return g;
}

const partition = (groups: Record<string, readonly string[]>): Map<string, string> =>
  new Map(Object.entries(groups).flatMap(([id, paths]) => paths.map((p) => [p, id] as const)));

const mono = (contextOf: ReadonlyMap<string, string>, files: readonly FileFacts[]) => mono2microMetrics(domainDependencies(contextOf, files));

// Two triangles a-b-c and d-e-f, internal edges 0.5, joined by a bridge c-d of weight 1.
const twoTriangles = (): UndirectedGraph =>
  graphOf([
    ['a', 'b', 0.5],
    ['b', 'c', 0.5],
    ['a', 'c', 0.5],
    ['d', 'e', 0.5],
    ['e', 'f', 0.5],
    ['d', 'f', 0.5],
    ['c', 'd', 1],
  ]);
const byTriangle = partition({ x: ['a', 'b', 'c'], y: ['d', 'e', 'f'] });

describe('partitionModularity', () => {
  it('matches a hand calculation on two weighted triangles', () => {
    // m = 6·0.5 + 1 = 4, 2m = 8. Context x: internal weight 1.5 (Σin = 2·1.5 = 3),
    // degrees a 1, b 1, c 2 → Σtot = 4. Same for y.
    // Q = 2·(3/8 − (4/8)²) = 2·(0.375 − 0.25) = 0.25.
    expect(partitionModularity(twoTriangles(), byTriangle)).toBeCloseTo(0.25, 10);
  });

  it('uses the weights: with every edge weight 1 the same partition scores 5/14', () => {
    // m = 7, 2m = 14. x: Σin = 6, Σtot = 2+2+3 = 7. Q = 2·(6/14 − (7/14)²) = 6/7 − 1/2 = 5/14.
    const g = twoTriangles();
    g.forEachEdge((e) => g.setEdgeAttribute(e, 'weight', 1));
    expect(partitionModularity(g, byTriangle)).toBeCloseTo(5 / 14, 10);
  });

  it('is 0 for one context holding everything and negative for a partition against the structure', () => {
    // One community: Q = Σin/2m − (Σtot/2m)² = 1 − 1 = 0.
    expect(partitionModularity(twoTriangles(), partition({ all: ['a', 'b', 'c', 'd', 'e', 'f'] }))).toBeCloseTo(0, 10);
    // {a,d}, {b,e}, {c,f}: no edge inside any, Q = −Σ(Σtot/8)² = −((1+2)²+(1+1)²+(2+1)²)/64 = −22/64.
    const across = partition({ p: ['a', 'd'], q: ['b', 'e'], r: ['c', 'f'] });
    expect(partitionModularity(twoTriangles(), across)).toBeCloseTo(-22 / 64, 10);
  });

  it('gives 0 instead of throwing for an empty graph, an edgeless graph and zero weights', () => {
    expect(partitionModularity(new UndirectedGraph(), new Map())).toBe(0);
    expect(partitionModularity(graphOf([], ['a', 'b']), partition({ x: ['a'], y: ['b'] }))).toBe(0);
    expect(partitionModularity(graphOf([['a', 'b', 0]]), partition({ x: ['a', 'b'] }))).toBe(0);
  });

  it('puts a node missing from contextOf in a community of its own', () => {
    // Path a-b-c, weights 1, m = 2, 2m = 4; x = {a, b}: Σin = 2, Σtot = 3; {c}: Σin = 0, Σtot = 1.
    // Q = 2/4 − (3/4)² + 0 − (1/4)² = 0.5 − 0.5625 − 0.0625 = −0.125.
    const g = graphOf([
      ['a', 'b', 1],
      ['b', 'c', 1],
    ]);
    expect(partitionModularity(g, partition({ x: ['a', 'b'] }))).toBeCloseTo(-0.125, 10);
  });
});

describe('contextScores', () => {
  it('is the weighted density inside and the crossing share of the weight', () => {
    // x: internal 1.5 over 3 possible pairs → cohesion 0.5; crossing 1 → coupling 1/(1.5+1) = 0.4.
    const scores = contextScores(twoTriangles(), byTriangle);
    expect(scores.get('x')).toEqual({ cohesion: 0.5, coupling: 0.4 });
    expect(scores.get('y')).toEqual({ cohesion: 0.5, coupling: 0.4 });
  });

  it('clips cohesion at 1, gives 0 for single files and untouched contexts, and leaves the kernel out', () => {
    // p: one pair, weight 3 → 3/1 clipped to 1, no crossing → coupling 0.
    // q: single file tied to r with weight 2 → cohesion 0 (n < 2), coupling 2/2 = 1.
    // unassigned: two files without edges → 0 and 0. shared-kernel: not scored.
    const g = graphOf(
      [
        ['p1', 'p2', 3],
        ['q1', 'r1', 2],
      ],
      ['u1', 'u2'],
    );
    const contextOf = partition({ p: ['p1', 'p2'], q: ['q1'], r: ['r1'], unassigned: ['u1', 'u2'], 'shared-kernel': ['k1'] });
    const scores = contextScores(g, contextOf);
    expect(scores.get('p')).toEqual({ cohesion: 1, coupling: 0 });
    expect(scores.get('q')).toEqual({ cohesion: 0, coupling: 1 });
    expect(scores.get('unassigned')).toEqual({ cohesion: 0, coupling: 0 });
    expect(scores.has('shared-kernel')).toBe(false);
    expect([...scores.keys()].sort()).toEqual(['p', 'q', 'r', 'unassigned']);
  });
});

describe('Mono2Micro metrics on static references', () => {
  // Two clean clusters of 3 files, plus a kernel file k and an unassigned file u.
  const clean = partition({ x: ['x1', 'x2', 'x3'], y: ['y1', 'y2', 'y3'], 'shared-kernel': ['k'], unassigned: ['u'] });
  const cleanFiles = [
    file('x1', [
      ['x2', 'call', 2],
      ['x2', 'type', 4],
      ['x3', 'new', 1],
      ['k', 'call', 5],
      ['y1', 'type', 7],
    ]),
    file('x2', [
      ['x3', 'call', 1],
      ['y2', 'import-type', 1],
    ]),
    file('y1', [
      ['y2', 'call', 3],
      ['u', 'call', 2],
    ]),
    file('y2', [['y3', 'call', 1]]),
    file('k', [['x1', 'call', 9]]),
    file('u', [['y3', 'call', 1]]),
  ];

  it('gives ICP 0, IFN 0 and SM from cohesion alone for two clean clusters', () => {
    // Only type uses cross x and y, and they do not count: ICP 0, no interface file: IFN 0.
    // μx = 3 pairs (x1→x2, x1→x3, x2→x3), μy = 2 (y1→y2, y2→y3), N = 3 each, σxy = 0:
    // SM = (3/9 + 2/9)/2 − 0 = 5/18 = 0.27777… → 0.2778.
    // Both partitions have 3 files (< 5): NED = 1 − 0/6 = 1.
    expect(mono(clean, cleanFiles)).toEqual({ sm: 0.2778, icp: 0, ifn: 0, ned: 1 });
  });

  it('leaves shared-kernel and unassigned files and references touching them out', () => {
    // Without k, u and their references the result is the same; a kernel file calling x1 does
    // not make x1 an interface, and x1 → k does not count as a crossing use.
    const noKernel = partition({ x: ['x1', 'x2', 'x3'], y: ['y1', 'y2', 'y3'] });
    const bare = cleanFiles.filter((f) => f.path !== 'k' && f.path !== 'u');
    expect(mono(clean, cleanFiles)).toEqual(mono(noKernel, bare));
    const deps = domainDependencies(clean, cleanFiles).dependencies;
    expect(deps.some((d) => ['k', 'u'].includes(d.from) || ['k', 'u'].includes(d.to))).toBe(false);
  });

  it('scores crossing references: ICP by use sites, IFN by interface files, SM below 0 when ties across win', () => {
    // x = {x1, x2}, y = {y1, y2}. Use sites per directed pair:
    //   x1→x2 3 (call), y1→y2 1 (call), x2→y1 1 (call),
    //   y2→x1 1 (new; its value import is the same dependency, not counted again),
    //   x1→y2 2 (value import only, stands in for unseen uses).
    // ICP = (1 + 1 + 2) / (3 + 1 + 1 + 1 + 2) = 4/8 = 0.5.
    // Interfaces: x has x1 (from y2), y has y1 (from x2) and y2 (from x1): IFN = (1 + 2)/2 = 1.5.
    // SM = (1/4 + 1/4)/2 − σxy/(2·2·2) with σxy = 3 pairs = 0.25 − 0.375 = −0.125.
    // NED = 1 − 0/4 = 1.
    const contextOf = partition({ x: ['x1', 'x2'], y: ['y1', 'y2'] });
    const files = [
      file('x1', [
        ['x2', 'call', 3],
        ['y2', 'import', 2],
      ]),
      file('x2', [['y1', 'call', 1]]),
      file('y1', [['y2', 'call', 1]]),
      file('y2', [
        ['x1', 'import', 1],
        ['x1', 'new', 1],
      ]),
    ];
    expect(mono(contextOf, files)).toEqual({ sm: -0.125, icp: 0.5, ifn: 1.5, ned: 1 });
  });

  it('drops the coupling term of SM for a single partition', () => {
    // K = 1, N = 3, μ = 2 (a→b, b→c): SM = 2/9 = 0.2222.
    const contextOf = partition({ only: ['a', 'b', 'c'] });
    const files = [file('a', [['b', 'extends', 1]]), file('b', [['c', 'implements', 1]])];
    expect(mono(contextOf, files).sm).toBe(0.2222);
  });

  it('counts NED over partitions of 5 to 20 files, kernel and unassigned files excluded', () => {
    // Sizes 4, 5, 20, 21: non-extreme 5 + 20 = 25 of 50 → NED = 1 − 25/50 = 0.5.
    // 10 kernel and 3 unassigned files are not partitions and do not change it.
    const names = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const contextOf = partition({ a: names('a', 4), b: names('b', 5), c: names('c', 20), d: names('d', 21), 'shared-kernel': names('k', 10), unassigned: names('u', 3) });
    expect(mono(contextOf, []).ned).toBe(0.5);
  });

  it('is all zeros with no domain partition', () => {
    expect(mono(partition({ 'shared-kernel': ['k'], unassigned: ['u'] }), [file('u', [['k', 'call', 1]])])).toEqual({ sm: 0, icp: 0, ifn: 0, ned: 0 });
  });
});

describe('computeMetrics', () => {
  it('combines the graph metrics and the reference metrics with their basis', () => {
    const contextOf = new Map([...byTriangle, ['k', 'shared-kernel']]);
    const files = [file('a', [['b', 'call', 1]]), file('c', [['d', 'call', 1]]), file('k', [['a', 'call', 1]])];
    // Modularity 0.25 (above). References a→b inside x, c→d crossing: ICP 1/2, IFN (0 + 1)/2,
    // SM = (1/9 + 0)/2 − 1/(2·3·3) = 1/18 − 1/18 = 0. NED = 1.
    const metrics = computeMetrics(twoTriangles(), contextOf, files);
    expect(metrics.global).toEqual({ modularity: 0.25, sm: 0, icp: 0.5, ifn: 0.5, ned: 1, basis: 'static-reference-counts' });
    expect([...metrics.contexts.keys()].sort()).toEqual(['x', 'y']);
    expect(metrics.contexts.get('x')).toEqual({ cohesion: 0.5, coupling: 0.4 });
  });

  it('handles an empty analysis', () => {
    const metrics = computeMetrics(new UndirectedGraph(), new Map(), []);
    expect(metrics.global).toEqual({ modularity: 0, sm: 0, icp: 0, ifn: 0, ned: 0, basis: 'static-reference-counts' });
    expect(metrics.contexts.size).toBe(0);
  });
});
