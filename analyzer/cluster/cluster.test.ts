import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { isFicusError } from '../../core/index.js';
import { adjustedRandIndex } from '../metrics/ari.js';
import type { ClusterOptions } from '../model.js';
import { clusterGraph, type ClusterOutcome } from './consensus.js';
import { ClusterErrorCode } from './errors.js';
import { mulberry32 } from './random.js';

/** Files of planted group `g`: `src/<g>/f0.ts` … */
const groupFiles = (g: string, size: number): string[] => Array.from({ length: size }, (_, i) => `src/${g}/f${i}.ts`);

type Link = readonly [a: string, b: string, weight: number];

/**
 * Planted partition: each group a clique with internal edge weight 1, plus the given links
 * between groups (and any extra nodes with no edge at all).
 */
function planted(
  groups: Record<string, number>,
  links: readonly Link[] = [],
  isolated: readonly string[] = [],
): { graph: UndirectedGraph; truth: Map<string, string> } {
  const graph = new UndirectedGraph();
  const truth = new Map<string, string>();
  for (const [g, size] of Object.entries(groups)) {
    const files = groupFiles(g, size);
    for (const f of files) {
      graph.addNode(f);
      truth.set(f, g);
    }
    for (let i = 0; i < files.length; i++) for (let j = i + 1; j < files.length; j++) graph.addUndirectedEdge(files[i]!, files[j]!, { weight: 1 });
  }
  for (const n of isolated) graph.addNode(n);
  for (const [a, b, weight] of links) graph.mergeUndirectedEdge(a, b, { weight });
  return { graph, truth };
}

/** Three groups of 8, each tied to the next by one weak edge (weight 0.1). */
const threeGroups = (): ReturnType<typeof planted> =>
  planted({ a: 8, b: 8, c: 8 }, [
    ['src/a/f0.ts', 'src/b/f0.ts', 0.1],
    ['src/b/f1.ts', 'src/c/f1.ts', 0.1],
    ['src/c/f2.ts', 'src/a/f2.ts', 0.1],
  ]);

/** An unstructured weighted random graph (G(n, p), weights 0.2–1.2), seeded. */
function randomGraph(n: number, p: number, seed: number): UndirectedGraph {
  const rnd = mulberry32(seed);
  const graph = new UndirectedGraph();
  const name = (i: number): string => `src/n${String(i).padStart(2, '0')}.ts`;
  for (let i = 0; i < n; i++) graph.addNode(name(i));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rnd() < p) graph.addUndirectedEdge(name(i), name(j), { weight: 0.2 + rnd() });
  return graph;
}

const OPTIONS: ClusterOptions = { seed: 7, runs: 8, resolution: 1 };

const ctx = (out: ClusterOutcome, file: string): number => {
  const c = out.assignment.get(file);
  if (c === undefined) throw new Error(`${file} has no context`);
  return c;
};

/** Context numbers the files of a planted group ended in. */
const contextsOf = (out: ClusterOutcome, files: readonly string[]): Set<number> => new Set(files.map((f) => ctx(out, f)));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isFicusError(err) ? err.code : `not a FicusError: ${String(err)}`;
  }
  return undefined;
}

describe('clusterGraph on a planted partition', () => {
  it('recovers three dense groups exactly (up to relabelling)', () => {
    const { graph, truth } = threeGroups();
    const out = clusterGraph(graph, OPTIONS);
    expect(out.assignment.size).toBe(24);
    expect(adjustedRandIndex(out.assignment, truth)).toBe(1);
    expect(out.contexts).toBe(3);
    expect(out.unassigned).toBeNull();
    expect(out.pinned.size).toBe(0);
    expect(out.unmatchedGlobs).toEqual([]);
  });

  it('gives stability 1 per context and confidence 1 per file when every run agrees', () => {
    const { graph } = threeGroups();
    const out = clusterGraph(graph, OPTIONS);
    expect(out.stability).toEqual([1, 1, 1]);
    expect(out.confidence.size).toBe(24);
    for (const c of out.confidence.values()) expect(c).toBe(1);
    expect(out.converged).toBe(true);
  });

  it('is deterministic per seed: same assignment, confidence, stability and resolution', () => {
    const graph = randomGraph(30, 0.15, 2);
    const opts: ClusterOptions = { seed: 42, runs: 5, resolution: 1 };
    const first = clusterGraph(graph, opts);
    const second = clusterGraph(randomGraph(30, 0.15, 2), opts);
    // The graph is ambiguous enough that the runs disagree, so this is not trivially stable.
    expect(Math.min(...first.confidence.values())).toBeLessThan(1);
    expect([...second.assignment]).toEqual([...first.assignment]);
    expect([...second.confidence]).toEqual([...first.confidence]);
    expect(second.stability).toEqual(first.stability);
    expect(second.resolution).toBe(first.resolution);
    expect(second.rounds).toBe(first.rounds);
  });

  it('keeps stability and confidence in [0, 1], with one stability per context, when runs disagree', () => {
    for (const graphSeed of [1, 2, 3]) {
      const out = clusterGraph(randomGraph(30, 0.15, graphSeed), { seed: 9, runs: 5 });
      expect(out.stability).toHaveLength(out.contexts);
      expect(new Set(out.assignment.values()).size).toBe(out.contexts);
      expect(out.confidence.size).toBe(30);
      for (const s of out.stability) expect(s >= 0 && s <= 1).toBe(true);
      for (const c of out.confidence.values()) expect(c >= 0 && c <= 1).toBe(true);
      expect(Math.min(...out.stability)).toBeLessThan(1);
    }
  });

  it('numbers contexts canonically: largest first, whatever the seed', () => {
    const { graph } = planted({ small: 4, big: 9, mid: 6 }, [
      ['src/small/f0.ts', 'src/big/f0.ts', 0.1],
      ['src/big/f1.ts', 'src/mid/f1.ts', 0.1],
    ]);
    for (const seed of [3, 11]) {
      const out = clusterGraph(graph, { seed, runs: 4, resolution: 1 });
      expect(contextsOf(out, groupFiles('big', 9))).toEqual(new Set([0]));
      expect(contextsOf(out, groupFiles('mid', 6))).toEqual(new Set([1]));
      expect(contextsOf(out, groupFiles('small', 4))).toEqual(new Set([2]));
    }
  });

  it('puts files with no edge in one unassigned context, numbered last, confidence and stability 0', () => {
    const loners = ['src/lonely/x.ts', 'src/lonely/y.ts'];
    const { graph, truth } = planted({ a: 8, b: 8 }, [['src/a/f0.ts', 'src/b/f0.ts', 0.1]], loners);
    const out = clusterGraph(graph, OPTIONS);
    expect(out.contexts).toBe(3);
    expect(out.unassigned).toBe(2);
    for (const f of loners) {
      expect(out.assignment.get(f)).toBe(2);
      expect(out.confidence.get(f)).toBe(0);
    }
    expect(out.stability).toEqual([1, 1, 0]);
    const clustered = new Map([...out.assignment].filter(([f]) => !loners.includes(f)));
    expect(adjustedRandIndex(clustered, truth)).toBe(1);
  });
});

describe('clusterGraph with a target number of contexts', () => {
  // Four groups of 6 in two pairs: a–b and c–d tied by three edges each, the pairs by one faint edge.
  const fourGroups = (): ReturnType<typeof planted> =>
    planted({ a: 6, b: 6, c: 6, d: 6 }, [
      ['src/a/f0.ts', 'src/b/f0.ts', 0.5],
      ['src/a/f1.ts', 'src/b/f1.ts', 0.5],
      ['src/a/f2.ts', 'src/b/f2.ts', 0.5],
      ['src/c/f0.ts', 'src/d/f0.ts', 0.5],
      ['src/c/f1.ts', 'src/d/f1.ts', 0.5],
      ['src/c/f2.ts', 'src/d/f2.ts', 0.5],
      ['src/b/f3.ts', 'src/c/f3.ts', 0.05],
    ]);

  it('contexts: 2 on four planted groups yields two contexts joining the closely tied pairs', () => {
    const { graph } = fourGroups();
    const out = clusterGraph(graph, { seed: 5, runs: 6, contexts: 2 });
    expect(out.contexts).toBe(2);
    const ab = contextsOf(out, [...groupFiles('a', 6), ...groupFiles('b', 6)]);
    const cd = contextsOf(out, [...groupFiles('c', 6), ...groupFiles('d', 6)]);
    expect(ab.size).toBe(1);
    expect(cd.size).toBe(1);
    expect(ab).not.toEqual(cd);
    expect(out.stability).toHaveLength(2);
  });

  it('contexts: 4 recovers the four groups, with the searched resolution inside the default range', () => {
    const { graph, truth } = fourGroups();
    const out = clusterGraph(graph, { seed: 5, runs: 6, contexts: 4 });
    expect(out.contexts).toBe(4);
    expect(adjustedRandIndex(out.assignment, truth)).toBe(1);
    expect(out.resolution).toBeGreaterThanOrEqual(0.05);
    expect(out.resolution).toBeLessThanOrEqual(10);
  });
});

describe('clusterGraph constraints', () => {
  it('pin forces matching files into the named context even against the graph', () => {
    const { graph } = threeGroups();
    // src/a/f3.ts belongs with group a by every edge it has; the pin moves it to group b's context,
    // and the rest of group a, which is not pinned, stays a context of its own.
    const out = clusterGraph(graph, { ...OPTIONS, constraints: { pin: { Billing: ['src/b/**', 'src/a/f3.ts'] }, keepTogether: [], keepApart: [] } });
    const billing = ctx(out, 'src/b/f0.ts');
    expect(contextsOf(out, [...groupFiles('b', 8), 'src/a/f3.ts'])).toEqual(new Set([billing]));
    expect(ctx(out, 'src/a/f0.ts')).not.toBe(billing);
    expect([...out.pinned]).toEqual([[billing, 'Billing']]);
  });

  it('pinning one file names the context the graph puts it in', () => {
    const { graph, truth } = threeGroups();
    const out = clusterGraph(graph, { ...OPTIONS, constraints: { pin: { Audit: ['src/c/f7.ts'] }, keepTogether: [], keepApart: [] } });
    const audit = ctx(out, 'src/c/f7.ts');
    expect([...out.pinned]).toEqual([[audit, 'Audit']]);
    expect(contextsOf(out, groupFiles('c', 8))).toEqual(new Set([audit]));
    expect(adjustedRandIndex(out.assignment, truth)).toBe(1);
  });

  it('two pins are kept apart even when the graph ties their files together', () => {
    const { graph } = threeGroups();
    const out = clusterGraph(graph, {
      ...OPTIONS,
      constraints: { pin: { Left: ['src/a/f0.ts'], Right: ['src/a/f1.ts'] }, keepTogether: [], keepApart: [] },
    });
    expect(ctx(out, 'src/a/f0.ts')).not.toBe(ctx(out, 'src/a/f1.ts'));
    expect(out.pinned.get(ctx(out, 'src/a/f0.ts'))).toBe('Left');
    expect(out.pinned.get(ctx(out, 'src/a/f1.ts'))).toBe('Right');
  });

  it('keepTogether puts two weakly tied groups in one context', () => {
    const { graph } = threeGroups();
    const out = clusterGraph(graph, { ...OPTIONS, constraints: { pin: {}, keepTogether: [['src/a/**', 'src/b/**']], keepApart: [] } });
    expect(contextsOf(out, [...groupFiles('a', 8), ...groupFiles('b', 8)]).size).toBe(1);
    // Group c, tied to a and b by two edges of 0.1 against 28 inside, is not swallowed by the unit.
    expect(ctx(out, 'src/c/f0.ts')).not.toBe(ctx(out, 'src/a/f0.ts'));
    expect(out.contexts).toBe(2);
  });

  it('keepApart separates two files the graph ties strongly', () => {
    const { graph } = threeGroups();
    graph.setEdgeAttribute(graph.edge('src/a/f0.ts', 'src/a/f1.ts')!, 'weight', 10);
    const out = clusterGraph(graph, { ...OPTIONS, constraints: { pin: {}, keepTogether: [], keepApart: [['src/a/f0.ts', 'src/a/f1.ts']] } });
    expect(ctx(out, 'src/a/f0.ts')).not.toBe(ctx(out, 'src/a/f1.ts'));
    // Only the moved side leaves: the rest of group a stays together.
    expect(
      contextsOf(
        out,
        groupFiles('a', 8).filter((f) => f !== 'src/a/f1.ts'),
      ).size,
    ).toBe(1);
  });

  it('reports globs that match no file', () => {
    const { graph } = threeGroups();
    const out = clusterGraph(graph, {
      ...OPTIONS,
      constraints: { pin: { Billing: ['src/billing/**'] }, keepTogether: [['src/a/**', 'lib/**']], keepApart: [] },
    });
    expect([...out.unmatchedGlobs].sort()).toEqual(['lib/**', 'src/billing/**']);
    expect(out.pinned.size).toBe(0);
  });

  it('rejects contradictory constraints with ANL_CONSTRAINT_CONFLICT', () => {
    const { graph } = threeGroups();
    const run = (constraints: NonNullable<ClusterOptions['constraints']>) => () => clusterGraph(graph, { ...OPTIONS, constraints });
    // A file pinned to two contexts.
    expect(codeOf(run({ pin: { X: ['src/a/f0.ts'], Y: ['src/a/*.ts'] }, keepTogether: [], keepApart: [] }))).toBe(ClusterErrorCode.CONSTRAINT_CONFLICT);
    // Kept together and apart.
    expect(codeOf(run({ pin: {}, keepTogether: [['src/a/f0.ts', 'src/b/f0.ts']], keepApart: [['src/a/f0.ts', 'src/b/f0.ts']] }))).toBe(
      ClusterErrorCode.CONSTRAINT_CONFLICT,
    );
    // Kept together while pinned to different contexts.
    expect(codeOf(run({ pin: { X: ['src/a/f0.ts'], Y: ['src/b/f0.ts'] }, keepTogether: [['src/a/f0.ts', 'src/b/f0.ts']], keepApart: [] }))).toBe(
      ClusterErrorCode.CONSTRAINT_CONFLICT,
    );
    // A file on both sides of a keep-apart rule.
    expect(codeOf(run({ pin: {}, keepTogether: [], keepApart: [['src/a/*', 'src/a/f0.ts']] }))).toBe(ClusterErrorCode.CONSTRAINT_CONFLICT);
  });
});

describe('clusterGraph option validation', () => {
  const { graph } = threeGroups();
  const bad: [string, ClusterOptions][] = [
    ['runs 0', { seed: 1, runs: 0 }],
    ['runs 1001', { seed: 1, runs: 1001 }],
    ['fractional runs', { seed: 1, runs: 2.5 }],
    ['non-integer seed', { seed: 1.5, runs: 3 }],
    ['NaN seed', { seed: Number.NaN, runs: 3 }],
    ['negative resolution', { seed: 1, runs: 3, resolution: -1 }],
    ['zero resolution', { seed: 1, runs: 3, resolution: 0 }],
    ['infinite resolution', { seed: 1, runs: 3, resolution: Number.POSITIVE_INFINITY }],
    ['contexts 0', { seed: 1, runs: 3, contexts: 0 }],
    ['fractional contexts', { seed: 1, runs: 3, contexts: 1.5 }],
  ];
  it.each(bad)('rejects %s with ANL_CLUSTER_OPTIONS', (_label, options) => {
    expect(codeOf(() => clusterGraph(graph, options))).toBe(ClusterErrorCode.OPTIONS);
  });

  it('accepts the edges of the valid ranges', () => {
    expect(codeOf(() => clusterGraph(graph, { seed: 0, runs: 1, resolution: 0.01 }))).toBeUndefined();
    expect(codeOf(() => clusterGraph(graph, { seed: -3, runs: 2, contexts: 1 }))).toBeUndefined();
  });
});
