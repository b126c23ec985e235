/**
 * Mono2Micro's partition quality metrics, on static reference counts (dependencies.ts says
 * which references count and why) over the K domain partitions, the i-th with N_i files:
 *
 * - SM, structural modularity (higher is better), from Jin et al. 2019, "Service candidate
 *   identification from monolithic systems based on execution traces", IEEE TSE 47(5):
 *     SM = (1/K)·Σ_i μ_i/N_i² − (1/(K(K−1)/2))·Σ_{i<j} σ_ij/(2·N_i·N_j)
 *   with μ_i the directed file-to-file dependencies inside partition i and σ_ij those between
 *   i and j in either direction (distinct file pairs, not use sites); the second term is 0
 *   when K = 1. Each term is in [0, 1], so SM is in [−1, 1]: below 0 when the partitions are
 *   tied to each other more densely than inside.
 * - ICP, inter-partition call percentage (lower is better): use sites crossing partitions
 *   over all use sites, in [0, 1].
 * - IFN, interface number (lower is better): the mean over partitions of how many of their
 *   files are used from another partition (the service's interface), a count, not a share.
 * - NED, non-extreme distribution (lower is better): 1 − (files in partitions of 5 to 20
 *   files) / (files in partitions), in [0, 1].
 *
 * Kalia, Xiao, Krishna, Sinha, Vukovic & Banerjee 2021, "Mono2Micro: a practical and
 * effective tool for decomposing monolithic Java applications to microservices",
 * ESEC/FSE 2021, 1214–1224 — ICP, IFN, NED and the use of SM. With no domain partition
 * every metric is 0.
 */
import { round } from '../plan/seams.js';
import type { DomainDependencies } from './dependencies.js';

export interface Mono2MicroMetrics {
  readonly sm: number;
  readonly icp: number;
  readonly ifn: number;
  readonly ned: number;
}

/** Partitions of this many files (inclusive) are neither too small nor too large (NED). */
export const NED_MIN = 5;
export const NED_MAX = 20;

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function structuralModularity({ partitions, dependencies }: DomainDependencies): number {
  const k = partitions.size;
  const inside = new Map<string, number>();
  const between = new Map<string, number>();
  for (const d of dependencies) {
    if (d.fromPartition === d.toPartition) inside.set(d.fromPartition, (inside.get(d.fromPartition) ?? 0) + 1);
    else {
      const key = pairKey(d.fromPartition, d.toPartition);
      between.set(key, (between.get(key) ?? 0) + 1);
    }
  }
  let cohesion = 0;
  for (const [id, members] of partitions) cohesion += (inside.get(id) ?? 0) / members.size ** 2;
  let coupling = 0;
  const ids = [...partitions.keys()].sort();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      const sigma = between.get(pairKey(a, b)) ?? 0;
      coupling += sigma / (2 * partitions.get(a)!.size * partitions.get(b)!.size);
    }
  }
  return cohesion / k - (k > 1 ? coupling / ((k * (k - 1)) / 2) : 0);
}

export function mono2microMetrics(domain: DomainDependencies): Mono2MicroMetrics {
  const { partitions, dependencies } = domain;
  if (partitions.size === 0) return { sm: 0, icp: 0, ifn: 0, ned: 0 };
  let all = 0;
  let crossing = 0;
  const interfaces = new Set<string>();
  for (const d of dependencies) {
    all += d.count;
    if (d.fromPartition !== d.toPartition) {
      crossing += d.count;
      interfaces.add(d.to);
    }
  }
  let files = 0;
  let nonExtreme = 0;
  for (const members of partitions.values()) {
    files += members.size;
    if (members.size >= NED_MIN && members.size <= NED_MAX) nonExtreme += members.size;
  }
  return {
    sm: round(structuralModularity(domain)),
    icp: round(all > 0 ? crossing / all : 0),
    ifn: round(interfaces.size / partitions.size),
    ned: round(1 - nonExtreme / files),
  };
}
