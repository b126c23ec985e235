/**
 * Combining the per-signal layers into the one weighted graph the clustering runs on: a
 * graphology UndirectedGraph with a node per file (isolated ones too) and per edge the summed
 * weight plus each signal's contribution (`signals`), so the report can say why two files
 * are coupled. Excluded files (the shared kernel, hubs.ts) get no node.
 */
import { UndirectedGraph } from 'graphology';
import { FicusError } from '../../core/index.js';
import { SIGNALS, type EdgeLayer, type SignalName } from '../model.js';
import { GraphErrorCode } from './errors.js';

export interface CouplingEdge {
  /** Σ over signals of weight(signal) · layer weight. */
  weight: number;
  /** Each signal's weighted contribution (only signals present on this edge). */
  signals: Partial<Record<SignalName, number>>;
}

export type CouplingGraph = UndirectedGraph<Record<string, unknown>, CouplingEdge>;

/** Reject weights that are not finite and ≥ 0, naming the bad one. */
export function validateSignalWeights(weights: Readonly<Partial<Record<string, number>>>): void {
  for (const [name, w] of Object.entries(weights)) {
    if (!(SIGNALS as readonly string[]).includes(name)) {
      throw new FicusError(GraphErrorCode.SIGNAL_WEIGHT, `Unknown signal "${name}"; valid signals: ${SIGNALS.join(', ')}.`, {
        exitCode: 2,
        details: { signal: name },
      });
    }
    if (w === undefined || !Number.isFinite(w) || w < 0) {
      throw new FicusError(GraphErrorCode.SIGNAL_WEIGHT, `Weight of signal "${name}" is ${String(w)}; it must be a finite number ≥ 0.`, {
        exitCode: 2,
        details: { signal: name, weight: w },
      });
    }
  }
}

/**
 * @param nodes every file that must appear (isolated ones included); layer endpoints are added too.
 * @example combineLayers([staticLayer(files), foldersLayer(files)], DEFAULT_SIGNAL_WEIGHTS, hubSet, files.map((f) => f.path))
 */
export function combineLayers(
  layers: readonly EdgeLayer[],
  weights: Readonly<Partial<Record<SignalName, number>>>,
  exclude: ReadonlySet<string> = new Set(),
  nodes: Iterable<string> = [],
): CouplingGraph {
  validateSignalWeights(weights);
  const names = new Set<string>(nodes);
  const pairs = new Map<string, Map<string, CouplingEdge>>();
  for (const layer of layers) {
    const w = weights[layer.signal] ?? 0;
    for (const e of layer.edges) {
      names.add(e.a);
      names.add(e.b);
      if (w === 0 || !(e.w > 0) || e.a === e.b || exclude.has(e.a) || exclude.has(e.b)) continue;
      const [a, b] = e.a < e.b ? [e.a, e.b] : [e.b, e.a];
      let row = pairs.get(a);
      if (!row) pairs.set(a, (row = new Map()));
      let edge = row.get(b);
      if (!edge) row.set(b, (edge = { weight: 0, signals: {} }));
      edge.weight += w * e.w;
      edge.signals[layer.signal] = (edge.signals[layer.signal] ?? 0) + w * e.w;
    }
  }
  const graph: CouplingGraph = new UndirectedGraph({ allowSelfLoops: false });
  for (const name of [...names].sort()) if (!exclude.has(name)) graph.addNode(name);
  for (const a of [...pairs.keys()].sort()) {
    const row = pairs.get(a)!;
    for (const b of [...row.keys()].sort()) graph.addUndirectedEdge(a, b, row.get(b)!);
  }
  return graph;
}
