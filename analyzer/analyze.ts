/**
 * The analyzer end to end: ingest → signal layers → hubs out → consensus clustering → names,
 * metrics → plan (seams, data ownership, extraction order) → the Decomposition contract.
 * Pure apart from reading the source tree and `git log`; writing files is the caller's job.
 *
 * @example
 * const { decomposition } = await analyze('/repos/shop', { seed: 42 });
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { buildContexts, contextIds, graphView, lowConfidence, type Grouping } from './assemble.js';
import { clusterGraph } from './cluster/consensus.js';
import { DECOMPOSITION_SCHEMA_VERSION, type Decomposition } from './decomposition.js';
import { buildCouplingGraph } from './graph/build.js';
import { gitLayer } from './graph/git.js';
import { semanticLayer } from './graph/semantic.js';
import { ingest, readCoChange } from './ingest/index.js';
import { computeMetrics } from './metrics/index.js';
import { SIGNALS, type ClusterConstraints, type EdgeLayer, type FileFacts, type SignalName } from './model.js';
import { mulberry32 } from './cluster/random.js';
import { layoutGraph } from './plan/layout.js';
import { extractionPlan } from './plan/order.js';
import { tableOwnership } from './plan/ownership.js';
import { findSeams } from './plan/seams.js';
import { dissolveInfrastructure } from './plan/infrastructure.js';
import { UNASSIGNED_ID } from './assemble.js';
import type { UndirectedGraph } from 'graphology';

const run = promisify(execFile);

export type AnalyzeStage = 'ingest' | 'history' | 'graph' | 'cluster' | 'plan';

export interface AnalyzeOptions {
  readonly tsconfig?: string;
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Signals to use (default all). */
  readonly signals?: readonly SignalName[];
  readonly weights?: Partial<Record<SignalName, number>>;
  readonly resolution?: number;
  readonly contexts?: number;
  readonly seed?: number;
  readonly runs?: number;
  readonly constraints?: ClusterConstraints;
  /** The command line recorded in the result, to reproduce it. */
  readonly command?: string;
  readonly version?: string;
  readonly onProgress?: (stage: AnalyzeStage, done: number, total: number) => void;
  /** Injected clock for `run.generatedAt`. */
  readonly now?: () => Date;
}

export interface Analysis {
  readonly decomposition: Decomposition;
  /** Per-file facts, for `--impact` and further queries. */
  readonly files: readonly FileFacts[];
  readonly contextOf: ReadonlyMap<string, string>;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_RUNS = 10;

async function headCommit(root: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

async function extraLayers(root: string, files: readonly FileFacts[], signals: ReadonlySet<SignalName>): Promise<EdgeLayer[]> {
  const out: EdgeLayer[] = [];
  if (signals.has('git')) out.push(gitLayer(await readCoChange(root, files.map((f) => f.path))));
  if (signals.has('semantic')) out.push(semanticLayer(files));
  return out;
}

export async function analyze(root: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const progress = options.onProgress ?? (() => undefined);
  const seed = options.seed ?? DEFAULT_SEED;
  const runs = options.runs ?? DEFAULT_RUNS;
  const signals = new Set<SignalName>(options.signals ?? SIGNALS);
  const ingested = await ingest(root, {
    ...(options.tsconfig !== undefined && { tsconfig: options.tsconfig }),
    ...(options.include !== undefined && { include: options.include }),
    ...(options.exclude !== undefined && { exclude: options.exclude }),
    onProgress: (done, total) => progress('ingest', done, total),
  });
  const files = ingested.files;
  const facts = new Map(files.map((f) => [f.path, f]));

  progress('history', 0, 1);
  const extra = await extraLayers(ingested.root, files, signals);
  progress('history', 1, 1);

  progress('graph', 0, 1);
  const weights: Partial<Record<SignalName, number>> = { ...options.weights };
  for (const s of SIGNALS) if (!signals.has(s)) weights[s] = 0;
  const built = buildCouplingGraph(files, { weights, extraLayers: extra, ...(options.constraints && { constraints: options.constraints }) });
  const graph = built.graph as unknown as UndirectedGraph;
  progress('graph', 1, 1);

  progress('cluster', 0, 1);
  const clustered = clusterGraph(graph, {
    seed,
    runs,
    ...(options.contexts !== undefined ? { contexts: options.contexts } : { resolution: options.resolution ?? 1 }),
    ...(options.constraints && { constraints: options.constraints }),
  });
  progress('cluster', 1, 1);

  progress('plan', 0, 1);
  const keep = new Set([...clustered.pinned.keys(), ...(clustered.unassigned === null ? [] : [clustered.unassigned])]);
  const infra = dissolveInfrastructure(graph, clustered.assignment, facts, keep);
  const grouping: Grouping = { ...clustered, assignment: infra.assignment, kernel: [...built.hubs.map((h) => h.path), ...infra.kernel].sort() };
  const { names, contextOf } = contextIds(facts, grouping);
  const metrics = computeMetrics(graph, contextOf, files);
  const contexts = buildContexts(facts, grouping, names, contextOf, (id) => metrics.contexts.get(id) ?? { cohesion: 0, coupling: 0 });
  const pairWeight = (a: string, b: string): number => (graph.hasEdge(a, b) ? Number(graph.getEdgeAttribute(graph.edge(a, b)!, 'weight')) : 0);
  const seams = findSeams(files, contextOf, pairWeight).filter((s) => s.from !== UNASSIGNED_ID && s.to !== UNASSIGNED_ID);
  const tables = tableOwnership(files, contextOf);
  const plan = extractionPlan(
    contexts.filter((c) => c.id !== UNASSIGNED_ID),
    seams,
    tables,
  );
  const positions = layoutGraph(graph, contextOf, mulberry32(seed));
  progress('plan', 1, 1);

  const layerEdges = new Map(built.layers.map((l) => [l.signal, l]));
  const decomposition: Decomposition = {
    schemaVersion: DECOMPOSITION_SCHEMA_VERSION,
    source: {
      root: ingested.root,
      commit: await headCommit(ingested.root),
      files: files.length,
      lines: ingested.totalLines,
      tsconfig: ingested.tsconfig,
      failed: ingested.failed.map((p) => ({ path: p.path, reason: p.reason })),
      unresolvedImports: ingested.unresolvedImports,
    },
    signals: SIGNALS.filter((s) => signals.has(s)).map((name) => {
      const layer = layerEdges.get(name);
      return {
        name,
        weight: built.weights[name],
        edges: layer?.edges.length ?? 0,
        ...(layer?.note !== undefined && { note: layer.note }),
      };
    }),
    contexts,
    seams,
    tables,
    order: plan.map((p) => p.context),
    plan,
    lowConfidence: lowConfidence(graph, grouping, contextOf),
    metrics: metrics.global,
    graph: graphView(graph, facts, grouping, contextOf, positions),
    run: {
      tool: 'ficus',
      version: options.version ?? '0.0.0',
      command: options.command ?? `ficus analyze ${root}`,
      seed,
      runs,
      resolution: clustered.resolution,
      generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    },
  };
  return { decomposition, files, contextOf };
}
