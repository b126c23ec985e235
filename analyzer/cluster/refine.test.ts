import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { partitionModularity } from '../metrics/modularity.js';
import { runLouvain } from './louvain.js';
import { aggregate, modularityOf, toNetwork, type Network } from './network.js';
import { mulberry32 } from './random.js';
import { localMoves, refinePartition } from './refine.js';

function clique(graph: UndirectedGraph, prefix: string, size: number, weight = 1): string[] {
  const files = Array.from({ length: size }, (_, i) => `${prefix}${i}`);
  for (const f of files) graph.addNode(f);
  for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) graph.addUndirectedEdge(files[i]!, files[j]!, { weight });
  return files;
}

/**
 * Two big groups a and b, and a small tight group c that belongs with b (tied to every b
 * file) but is tied to a few a files too. Started with c inside a — as Louvain leaves it
 * when c's files meet a first — no single file of c gains by leaving its mates.
 */
function misplaced(): { graph: UndirectedGraph; a: string[]; b: string[]; c: string[] } {
  const graph = new UndirectedGraph();
  const a = clique(graph, 'a', 12);
  const b = clique(graph, 'b', 12);
  const c = clique(graph, 'c', 6, 2);
  for (const x of c) for (const y of b) graph.addUndirectedEdge(x, y, { weight: 0.15 });
  for (const x of c) for (const y of a.slice(0, 3)) graph.addUndirectedEdge(x, y, { weight: 0.1 });
  return { graph, a, b, c };
}

const labelsOf = (net: Network, of: (name: string) => number): Int32Array => Int32Array.from(net.names, of);

function randomGraph(n: number, p: number, seed: number): UndirectedGraph {
  const rnd = mulberry32(seed);
  const graph = new UndirectedGraph();
  for (let i = 0; i < n; i++) graph.addNode(`n${i}`);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rnd() < p) graph.addUndirectedEdge(`n${i}`, `n${j}`, { weight: 0.2 + rnd() });
  return graph;
}

describe('network', () => {
  it('computes the same modularity as graphology-metrics', () => {
    const graph = randomGraph(40, 0.2, 3);
    const net = toNetwork(graph);
    const community = labelsOf(net, (n) => Number(n.slice(1)) % 4);
    const expected = partitionModularity(graph, new Map(net.names.map((n, i) => [n, String(community[i])])));
    expect(modularityOf(net, community, 1)).toBeCloseTo(expected, 12);
  });

  it('keeps modularity when nodes are aggregated within their communities', () => {
    const net = toNetwork(randomGraph(40, 0.2, 4));
    const group = labelsOf(net, (n) => Math.floor(Number(n.slice(1)) / 2));
    const community = labelsOf(net, (n) => Math.floor(Number(n.slice(1)) / 10));
    const agg = aggregate(net, group, 20);
    const lifted = Int32Array.from({ length: 20 }, (_, g) => Math.floor(g / 5));
    expect(modularityOf(agg, lifted, 1.3)).toBeCloseTo(modularityOf(net, community, 1.3), 12);
  });
});

describe('refinePartition (smart local moving)', () => {
  it('moves a misplaced group as a whole where single-file moves cannot', () => {
    const { graph, a, c } = misplaced();
    const net = toNetwork(graph);
    const start = labelsOf(net, (n) => (n.startsWith('b') ? 1 : 0));
    const moved = start.slice();
    localMoves(net, moved, 1, mulberry32(1));
    expect(moved).toEqual(start);
    const refined = refinePartition(net, start, 1, mulberry32(1));
    const of = (f: string): number => refined.community[net.names.indexOf(f)]!;
    expect(refined.count).toBe(2);
    expect(new Set(c.map(of))).toEqual(new Set([of('b0')]));
    expect(of(a[0]!)).not.toBe(of('b0'));
    expect(refined.modularity).toBeGreaterThan(modularityOf(net, start, 1));
  });

  it('never lowers modularity and is deterministic for a random source', () => {
    const graph = randomGraph(80, 0.08, 9);
    const net = toNetwork(graph);
    for (let seed = 0; seed < 5; seed++) {
      const start = labelsOf(net, (n) => Number(n.slice(1)) % 7);
      const one = refinePartition(net, start, 1, mulberry32(seed));
      const two = refinePartition(net, start, 1, mulberry32(seed));
      expect(two).toEqual(one);
      expect(one.modularity).toBeGreaterThanOrEqual(modularityOf(net, start, 1) - 1e-12);
    }
  });

  it('starts from a Louvain run and never opens a community: the count can only fall', () => {
    const graph = randomGraph(120, 0.05, 11);
    const net = toNetwork(graph);
    for (let seed = 0; seed < 4; seed++) {
      const run = runLouvain(graph, { seed });
      const refined = refinePartition(
        net,
        labelsOf(net, (n) => run.communities.get(n)!),
        1,
        mulberry32(seed),
      );
      expect(refined.count).toBeLessThanOrEqual(run.count);
      expect(refined.modularity).toBeGreaterThanOrEqual(run.modularity - 1e-9);
    }
  });
});
