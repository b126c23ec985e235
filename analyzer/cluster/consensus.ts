/**
 * Consensus clustering of the coupling graph into candidate contexts.
 *
 * 1. `runs` Louvain runs with seeds seed, seed+1, … (louvain.ts; Blondel et al. 2008).
 * 2. Until the runs agree or `maxRounds`: build the co-association graph on the current
 *    graph's edges, thresholded at τ (agreement.ts), and run Louvain on it again with the next
 *    seeds — Lancichinetti & Fortunato 2012, "Consensus clustering in complex networks",
 *    Sci. Rep. 2, 336, in the sparse form of Tandon et al. 2019, Phys. Rev. E 99, 042301. If
 *    they never agree, the last round's run of highest modularity wins.
 * 3. That partition is refined on the input graph by smart local moving (refine.ts; Waltman &
 *    van Eck 2013): groups of files Louvain left in the wrong community move to the right one
 *    as a whole. It only moves nodes between the communities it is given, never opens a new
 *    one, so the granularity stays what the runs agreed on; each move raises modularity.
 * 4. Constraints (constraints.ts): units contracted before, keep-apart enforced after.
 * 5. Contexts under `minContextSize` files merge into their most connected neighbour;
 *    with `contexts: N` the resolution is searched (resolution.ts) and surplus contexts merged
 *    by modularity gain (merge.ts).
 * 6. Files with no edge at all (nothing in any weighted layer links them to a non-hub file)
 *    are not guessed at: they go to one `unassigned` context, numbered last, confidence 0.
 * Numbering is canonical (partition.ts): largest context first, ties by smallest path; the
 * same graph, options and seed give the same result.
 */
import type { AbstractGraph } from 'graphology-types';
import { FicusError } from '../../core/index.js';
import type { ClusterOptions, ClusterResult } from '../model.js';
import { coAssociate, confidence, runsAgree, stability, type Run } from './agreement.js';
import { contractUnits, enforceApart, expandUnits, planConstraints, validateConstraints, type ConstraintPlan } from './constraints.js';
import { ClusterErrorCode } from './errors.js';
import { runLouvain, type LouvainRun } from './louvain.js';
import { ContextMerger } from './merge.js';
import { toNetwork } from './network.js';
import { canonicalNumbering, groupsOf, type Assignment } from './partition.js';
import { mulberry32 } from './random.js';
import { refinePartition } from './refine.js';
import { searchResolution } from './resolution.js';

export interface ClusterSettings {
  /** Contexts smaller than this are merged into a neighbour (default 2). */
  readonly minContextSize?: number;
  /** Co-association threshold τ (default 0.5). */
  readonly threshold?: number;
  /** Consensus rounds at most (default 6). */
  readonly maxRounds?: number;
  /** Resolution search range for `contexts` (default [0.05, 10]). */
  readonly resolutionRange?: readonly [number, number];
  /** Bisection steps of the search (default 12). */
  readonly searchSteps?: number;
}

export interface ClusterOutcome extends ClusterResult {
  /** Number of contexts, the unassigned one included. */
  readonly contexts: number;
  /** Index of the context of files with no edges, or null. */
  readonly unassigned: number | null;
  /** Pin name per pinned context. */
  readonly pinned: ReadonlyMap<number, string>;
  readonly rounds: number;
  readonly converged: boolean;
  readonly unmatchedGlobs: readonly string[];
}

function invalid(message: string, field: string, value: unknown): FicusError {
  return new FicusError(ClusterErrorCode.OPTIONS, message, { exitCode: 2, details: { field, value } });
}

function validate(o: ClusterOptions): void {
  if (!Number.isInteger(o.runs) || o.runs < 1 || o.runs > 1000) throw invalid(`runs is ${o.runs}; it must be an integer from 1 to 1000.`, 'runs', o.runs);
  if (!Number.isSafeInteger(o.seed)) throw invalid(`seed is ${o.seed}; it must be an integer.`, 'seed', o.seed);
  if (o.resolution !== undefined && !(o.resolution > 0 && Number.isFinite(o.resolution)))
    throw invalid(`resolution is ${o.resolution}; it must be a number > 0.`, 'resolution', o.resolution);
  if (o.contexts !== undefined && !(Number.isInteger(o.contexts) && o.contexts >= 1))
    throw invalid(`contexts is ${o.contexts}; it must be an integer ≥ 1.`, 'contexts', o.contexts);
}

export interface ConsensusPartition {
  readonly partition: ReadonlyMap<string, number>;
  /** The first round's runs on the input graph (what confidence and stability measure). */
  readonly firstRuns: readonly Run[];
  readonly rounds: number;
  readonly converged: boolean;
}

/** Salt of the refinement's random stream, so it does not replay a Louvain run's. */
const REFINE_STREAM = 0x2545f491;

/** Step 3 of the module header: `partition` refined on the graph's `weight`. */
function refineOn(graph: AbstractGraph, partition: Run, o: { seed: number; resolution: number }): Run {
  const network = toNetwork(graph, 'weight');
  const start = Int32Array.from(network.names, (n) => partition.get(n) ?? 0);
  const refined = refinePartition(network, start, o.resolution, mulberry32(o.seed ^ REFINE_STREAM));
  return new Map(network.names.map((n, i) => [n, refined.community[i]!] as const));
}

/** Steps 1–3 of the module header on one graph. */
export function consensusPartition(
  graph: AbstractGraph,
  o: { seed: number; runs: number; resolution: number; threshold: number; maxRounds: number },
): ConsensusPartition {
  // Each round's consensus graph lives on the input's edges as an attribute (agreement.ts
  // coAssociate): two attributes alternate, and both are removed before returning.
  const attrs = ['__consensus_a', '__consensus_b'] as const;
  let weight: string = 'weight';
  let runs: LouvainRun[] = [];
  let firstRuns: Run[] = [];
  let agreed: Run | undefined;
  let rounds = o.maxRounds;
  try {
    for (let round = 0; round < o.maxRounds && agreed === undefined; round++) {
      runs = Array.from({ length: o.runs }, (_, i) => runLouvain(graph, { seed: o.seed + round * o.runs + i, resolution: o.resolution, weight }));
      const partitions = runs.map((r) => r.communities);
      if (round === 0) firstRuns = partitions;
      if (runsAgree(partitions)) {
        [agreed, rounds] = [partitions[0]!, round + 1];
        break;
      }
      const next = attrs[round % 2]!;
      coAssociate(graph, partitions, o.threshold, next, round === 0 ? undefined : weight);
      weight = next;
    }
  } finally {
    if (weight !== 'weight') graph.forEachEdge((edge) => void (graph.removeEdgeAttribute(edge, attrs[0]), graph.removeEdgeAttribute(edge, attrs[1])));
  }
  const chosen = agreed ?? runs.reduce((a, b) => (b.modularity > a.modularity ? b : a)).communities;
  return { partition: refineOn(graph, chosen, o), firstRuns, rounds, converged: agreed !== undefined };
}

function apartTokens(plan: ConstraintPlan): Map<string, string[]> {
  const out = new Map<string, string[]>();
  plan.apart.forEach((rule, i) => {
    for (const [side, files] of [
      ['a', rule.a],
      ['b', rule.b],
    ] as const) {
      for (const f of files) (out.get(f) ?? out.set(f, []).get(f)!).push(`${i}:${side}`);
    }
  });
  return out;
}

/** Cluster a coupling graph (see the module header). */
export function clusterGraph(graph: AbstractGraph, options: ClusterOptions, settings: ClusterSettings = {}): ClusterOutcome {
  validate(options);
  const minSize = settings.minContextSize ?? 2;
  const files = [...graph.nodes()].sort();
  const plan = planConstraints(files, options.constraints);
  const tokens = apartTokens(plan);
  const bound = (f: string): boolean => plan.units.has(plan.unitOf.get(f) ?? f) || plan.pinOf.has(f);
  const isolated = files.filter((f) => graph.degree(f) === 0 && !bound(f));
  const isolatedSet = new Set(isolated);
  const clustered = files.filter((f) => !isolatedSet.has(f));
  const work = contractUnits(graph, plan);
  for (const f of isolated) work.dropNode(f);
  const sizeOf = (n: string): number => plan.units.get(n)?.length ?? 1;
  const [lo, hi] = settings.resolutionRange ?? [0.05, 10];
  let resolution = options.resolution ?? 1;
  if (options.contexts !== undefined) {
    resolution = searchResolution(work, options.contexts, { seed: options.seed, range: [lo, hi], steps: settings.searchSteps ?? 12, minSize, sizeOf });
  }

  const attempt = (gamma: number): { assignment: Assignment; cons: ConsensusPartition } => {
    const cons = consensusPartition(work, {
      seed: options.seed,
      runs: options.runs,
      resolution: gamma,
      threshold: settings.threshold ?? 0.5,
      maxRounds: settings.maxRounds ?? 6,
    });
    let assignment = expandUnits(cons.partition, plan, clustered);
    const locked = (a: Assignment): Set<number> => new Set([...plan.pinOf.keys()].flatMap((f) => (a.has(f) ? [a.get(f)!] : [])));
    const small = new ContextMerger(graph, assignment, tokens, locked(assignment));
    small.mergeSmall(minSize);
    assignment = enforceApart(graph, small.result(), plan);
    if (options.contexts !== undefined) {
      const down = new ContextMerger(graph, assignment, tokens, locked(assignment));
      down.mergeToCount(options.contexts, gamma);
      assignment = down.result();
    }
    return { assignment, cons };
  };
  let { assignment, cons } = attempt(resolution);
  for (let i = 0; options.contexts !== undefined && i < 3 && groupsOf(assignment).size < options.contexts && resolution < hi; i++) {
    resolution = Math.min(hi, resolution * 1.5);
    ({ assignment, cons } = attempt(resolution));
  }
  validateConstraints(assignment, plan);

  const unassignedLabel = Math.max(-1, ...assignment.values()) + 1;
  for (const f of isolated) assignment.set(f, unassignedLabel);
  const final = canonicalNumbering(assignment, new Set([unassignedLabel]));
  const unassigned = isolated.length > 0 ? final.get(isolated[0]!)! : null;
  const runs = cons.firstRuns.map((run) => expandUnits(run, plan, clustered));
  const withoutIsolated = new Map([...final].filter(([f]) => !isolatedSet.has(f)));
  const stab = stability(withoutIsolated, runs);
  const conf = confidence(withoutIsolated, runs);
  for (const f of isolated) conf.set(f, 0);
  const count = new Set(final.values()).size;
  const pinned = new Map<number, string>();
  for (const [f, name] of plan.pinOf) if (final.has(f)) pinned.set(final.get(f)!, name);
  return {
    assignment: final,
    stability: Array.from({ length: count }, (_, i) => (i === unassigned ? 0 : (stab.get(i) ?? 0))),
    confidence: new Map([...conf].sort(([x], [y]) => (x < y ? -1 : 1))),
    resolution,
    contexts: count,
    unassigned,
    pinned,
    rounds: cons.rounds,
    converged: cons.converged,
    unmatchedGlobs: plan.unmatched,
  };
}
