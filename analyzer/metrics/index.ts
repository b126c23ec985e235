/**
 * The metrics stage: how good a decomposition is, globally and per context.
 *
 * - modularity (modularity.ts): Newman–Girvan Q of the contexts on the combined coupling graph;
 * - SM, ICP, IFN, NED (mono2micro.ts): Mono2Micro's metrics (Kalia et al. 2021, ESEC/FSE) on
 *   static reference counts between files of domain contexts (dependencies.ts), so they can
 *   be compared with published results while saying what they were computed on (`basis`);
 * - cohesion and coupling per context (context.ts), on the combined graph's weights;
 * - the adjusted Rand index (ari.ts), to score a decomposition against a known one.
 *
 * @example
 * const { global, contexts } = computeMetrics(graph, contextOf, files);
 * global.icp; // share of use sites crossing contexts
 * contexts.get('orders')?.coupling;
 */
import type { AbstractGraph } from 'graphology-types';
import type { FileFacts } from '../model.js';
import { round } from '../plan/seams.js';
import { contextScores, type ContextScore } from './context.js';
import { domainDependencies } from './dependencies.js';
import { partitionModularity } from './modularity.js';
import { mono2microMetrics, type Mono2MicroMetrics } from './mono2micro.js';

export interface GlobalMetrics extends Mono2MicroMetrics {
  readonly modularity: number;
  /** What icp, ifn, ned and sm were computed on. */
  readonly basis: 'static-reference-counts';
}

export interface Metrics {
  readonly global: GlobalMetrics;
  /** Per context id (every id in `contextOf` but the shared kernel). */
  readonly contexts: Map<string, ContextScore>;
}

/**
 * @param graph the combined coupling graph (edge attribute `weight`), shared kernel left out
 * @param contextOf context id per file, shared-kernel and unassigned files included
 * @param files the ingested facts, whose references the Mono2Micro metrics count
 */
export function computeMetrics(graph: AbstractGraph, contextOf: ReadonlyMap<string, string>, files: readonly FileFacts[]): Metrics {
  return {
    global: {
      modularity: round(partitionModularity(graph, contextOf)),
      ...mono2microMetrics(domainDependencies(contextOf, files)),
      basis: 'static-reference-counts',
    },
    contexts: contextScores(graph, contextOf),
  };
}

export { adjustedRandIndex } from './ari.js';
export { contextScores, type ContextScore } from './context.js';
export { domainDependencies, type Dependency, type DomainDependencies } from './dependencies.js';
export { partitionModularity } from './modularity.js';
export { mono2microMetrics, NED_MIN, NED_MAX, type Mono2MicroMetrics } from './mono2micro.js';
