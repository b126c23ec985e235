/**
 * The graph stage end to end: build the static, data and folders layers from the facts, take
 * in layers built elsewhere (git, semantic), detect hubs, and combine everything minus the
 * hubs into the graph the cluster stage runs on.
 *
 * @example
 * const { graph, hubs } = buildCouplingGraph(ingest.files, { extraLayers: [gitLayer, semanticLayer] });
 * const result = clusterGraph(graph, { seed: 1, runs: 10 });
 */
import { minimatch } from 'minimatch';
import type { ClusterConstraints, EdgeLayer, FileFacts, SignalName } from '../model.js';
import { combineLayers, validateSignalWeights, type CouplingGraph } from './combine.js';
import { dataLayer, type DataLayerOptions } from './data.js';
import { foldersLayerWithLayout, type FoldersLayerOptions } from './folders.js';
import { detectHubs, type Hub, type HubOptions } from './hubs.js';
import type { FolderLayout } from './layout.js';
import { staticLayer, type StaticLayerOptions } from './static.js';
import { usecaseLayer, type UsecaseLayerOptions } from './usecases.js';
import { DEFAULT_SIGNAL_WEIGHTS } from './weights.js';

export interface BuildGraphOptions {
  /** Merged over DEFAULT_SIGNAL_WEIGHTS. */
  weights?: Partial<Record<SignalName, number>>;
  /** Layers built by other stages (git co-change, semantic); replace built ones of the same signal. */
  extraLayers?: readonly EdgeLayer[];
  /** Hub detection settings, or false to keep every file in the graph. */
  hubs?: HubOptions | false;
  /** Files these constraints name are never treated as hubs (the user placed them). */
  constraints?: ClusterConstraints;
  static?: StaticLayerOptions;
  data?: DataLayerOptions;
  folders?: FoldersLayerOptions;
  usecases?: UsecaseLayerOptions;
}

export interface BuiltGraph {
  readonly graph: CouplingGraph;
  readonly layers: readonly EdgeLayer[];
  readonly hubs: readonly Hub[];
  readonly layout: FolderLayout;
  readonly weights: Readonly<Record<SignalName, number>>;
}

function constrainedFiles(paths: readonly string[], c: ClusterConstraints | undefined): Set<string> {
  if (!c) return new Set();
  const globs = [...Object.values(c.pin).flat(), ...c.keepTogether.flat(), ...c.keepApart.flat()];
  return new Set(paths.filter((p) => globs.some((g) => minimatch(p, g, { dot: true }))));
}

/** Build all layers, detect hubs and combine (see the module header). */
export function buildCouplingGraph(files: readonly FileFacts[], options: BuildGraphOptions = {}): BuiltGraph {
  if (options.weights) validateSignalWeights(options.weights);
  const weights = { ...DEFAULT_SIGNAL_WEIGHTS, ...options.weights };
  const { layer: folders, layout } = foldersLayerWithLayout(files, options.folders);
  const built = [staticLayer(files, options.static), dataLayer(files, options.data), folders];
  const extra = options.extraLayers ?? [];
  const layers = [...built.filter((l) => !extra.some((e) => e.signal === l.signal)), ...extra];
  const paths = files.map((f) => f.path);
  let hubs: Hub[] = [];
  if (options.hubs !== false) {
    const keep = constrainedFiles(paths, options.constraints);
    hubs = detectHubs(files, layers, { weights, ...options.hubs }).filter((h) => !keep.has(h.path));
  }
  const hubSet = new Set(hubs.map((h) => h.path));
  // Use cases are followed around the hubs (through a logger or db client everything reaches everything).
  if (!extra.some((e) => e.signal === 'usecases')) layers.push(usecaseLayer(files, hubSet, options.usecases));
  const graph = combineLayers(layers, weights, hubSet, paths);
  return { graph, layers, hubs, layout, weights };
}
