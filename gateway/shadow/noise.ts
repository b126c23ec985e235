/**
 * Learning which differences are noise, per route, from live traffic — after Twitter's Diffy
 * (P. Khanduri, "Diffy: Testing services without writing tests", Twitter Engineering blog,
 * 2015; github.com/twitter/diffy). Diffy sends each request to a primary, a secondary (a second
 * instance of the same known-good code) and the candidate; whatever differs between primary and
 * secondary is non-determinism (timestamps, ids, random order), not a regression. Here the
 * secondary is a second call to the same side as the primary.
 *
 * A path is noise when either
 *   - `secondary`: primary and secondary differed on it at least `minSecondary` (2) times; or
 *   - `ever-changing`: over at least `minComparisons` (50) comparisons since the path was first
 *     seen it differed in ≥ `differRatio` (95 %) of them, and its values keep changing on both
 *     sides — distinct primary values ≥ `distinctRatio` (90 %) of its differences, and the same
 *     for the shadow's values. A field that differs every time while the primary's value is
 *     constant (or the shadow is stuck on one wrong value, or the field is missing on one side)
 *     is a real, stable bug and is never learnt as noise.
 *
 * Array indices are normalised (`$.items[3].updatedAt` and `$.items[7].updatedAt` count as
 * `$.items[*].updatedAt`). Distinct values are counted with a fixed table of up to 64 32-bit
 * FNV-1a hashes per side and path; once a table is full the ratio is taken over the
 * observations it took to fill it. Memory is bounded: at most `maxPaths` (10 000) tracked paths
 * per route; when full, the least-seen 10 % are dropped (noise paths last). Deterministic: no
 * clocks or timers — recency is a counter of observations.
 *
 * Records whose differences include an `error` entry (no answer) or the truncation marker are
 * not learnt from, and are never noise.
 */
import type { Difference } from '../model.js';
import { isTruncationMarker } from './compare.js';
import { wildcardIndices } from './jsonpath.js';

export interface NoiseOptions {
  /** Secondary differences on a path before it is noise (default 2). */
  readonly minSecondary?: number;
  /** Comparisons since a path was first seen before the ever-changing rule applies (default 50). */
  readonly minComparisons?: number;
  /** Share of those comparisons the path must differ in (default 0.95). */
  readonly differRatio?: number;
  /** Distinct values per difference, on each side (default 0.9). */
  readonly distinctRatio?: number;
  /** Tracked paths per route (default 10 000). */
  readonly maxPaths?: number;
  /** Distinct values remembered per side and path (default 64). */
  readonly maxDistinct?: number;
}

export type NoiseReason = 'secondary' | 'ever-changing';

export interface NoisePath {
  /** Normalised path (`$.items[*].updatedAt`, `headers.date`). */
  readonly path: string;
  readonly reason: NoiseReason;
  /** Times primary and secondary differed on it. */
  readonly secondary: number;
  /** Comparisons since it was first seen. */
  readonly comparisons: number;
  /** Comparisons it differed in. */
  readonly differed: number;
  /** Distinct primary / shadow values seen (at most maxDistinct). */
  readonly distinctPrimary: number;
  readonly distinctShadow: number;
}

const DEFAULTS = { minSecondary: 2, minComparisons: 50, differRatio: 0.95, distinctRatio: 0.9, maxPaths: 10_000, maxDistinct: 64 };

/** Counts distinct values in a fixed table of hashes; stops growing once full. */
class Distinct {
  private hashes: Uint32Array | null = null;
  size = 0;
  /** Observations so far, frozen when the table filled up. */
  observations = 0;

  add(hash: number, cap: number): void {
    if (this.size >= cap) return;
    this.observations++;
    const t = (this.hashes ??= new Uint32Array(cap));
    for (let i = 0; i < this.size; i++) if (t[i] === hash) return;
    t[this.size++] = hash;
  }

  ratio(): number {
    return this.observations === 0 ? 0 : this.size / this.observations;
  }
}

interface PathStats {
  secondary: number;
  differed: number;
  /** Comparisons counted before this path was first seen. */
  firstAt: number;
  lastAt: number;
  readonly primary: Distinct;
  readonly shadow: Distinct;
}

/** 32-bit FNV-1a over the value's JSON (undefined → "~"). */
function hashValue(v: unknown): number {
  const s = v === undefined ? '~' : (JSON.stringify(v) ?? '~');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function learnable(differences: readonly Difference[]): boolean {
  for (const d of differences) if (d.kind === 'error' || isTruncationMarker(d)) return false;
  return true;
}

/** One route's noise model; the gateway keeps one per route. */
export class NoiseModel {
  private readonly o: typeof DEFAULTS;
  private readonly paths = new Map<string, PathStats>();
  private comparisons = 0;
  private skipped = 0;
  private tick = 0;

  constructor(options: NoiseOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** Comparisons learnt from, and records skipped (no answer, truncated, not compared). */
  get counts(): { comparisons: number; skipped: number; paths: number } {
    return { comparisons: this.comparisons, skipped: this.skipped, paths: this.paths.size };
  }

  /** Differences between the primary and a second call to the same side: all of them are noise. */
  observeSecondary(differences: readonly Difference[]): void {
    if (!learnable(differences)) return;
    this.tick++;
    for (const path of this.distinctPaths(differences).keys()) this.stats(path).secondary++;
  }

  /**
   * One comparison of primary and shadow. `compared` is false when no comparison took place
   * (the shadow did not answer, the body was not read): nothing is learnt then.
   */
  observe(differences: readonly Difference[], compared = true): void {
    if (!compared || !learnable(differences)) {
      this.skipped++;
      return;
    }
    this.tick++;
    if (differences.length > 0) this.learn(differences);
    this.comparisons++;
  }

  /** `n` comparisons that found nothing (as `observe([])` n times). */
  observeSame(n: number): void {
    this.tick += n;
    this.comparisons += n;
  }

  private learn(differences: readonly Difference[]): void {
    for (const [path, d] of this.distinctPaths(differences)) {
      const s = this.stats(path);
      s.differed++;
      s.primary.add(hashValue(d.primary), this.o.maxDistinct);
      s.shadow.add(hashValue(d.shadow), this.o.maxDistinct);
    }
  }

  /** True when there is at least one difference and every one is on a noise path. */
  isNoise(differences: readonly Difference[]): boolean {
    if (differences.length === 0 || !learnable(differences)) return false;
    for (const d of differences) {
      const s = this.paths.get(wildcardIndices(d.path));
      if (s === undefined || this.reason(s) === null) return false;
    }
    return true;
  }

  /** The noise paths, sorted by path, for the admin API. */
  snapshot(): NoisePath[] {
    const out: NoisePath[] = [];
    for (const [path, s] of this.paths) {
      const reason = this.reason(s);
      if (reason === null) continue;
      out.push({
        path,
        reason,
        secondary: s.secondary,
        comparisons: this.comparisons - s.firstAt,
        differed: s.differed,
        distinctPrimary: s.primary.size,
        distinctShadow: s.shadow.size,
      });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private reason(s: PathStats): NoiseReason | null {
    const o = this.o;
    if (s.secondary >= o.minSecondary) return 'secondary';
    const comparisons = this.comparisons - s.firstAt;
    if (comparisons < o.minComparisons || s.differed < o.differRatio * comparisons) return null;
    return s.primary.ratio() >= o.distinctRatio && s.shadow.ratio() >= o.distinctRatio ? 'ever-changing' : null;
  }

  /** Normalised path → its first difference, each path once per record. */
  private distinctPaths(differences: readonly Difference[]): Map<string, Difference> {
    const out = new Map<string, Difference>();
    for (const d of differences) {
      const path = wildcardIndices(d.path);
      if (!out.has(path)) out.set(path, d);
    }
    return out;
  }

  private stats(path: string): PathStats {
    let s = this.paths.get(path);
    if (s === undefined) {
      if (this.paths.size >= this.o.maxPaths) this.evict();
      s = { secondary: 0, differed: 0, firstAt: this.comparisons, lastAt: this.tick, primary: new Distinct(), shadow: new Distinct() };
      this.paths.set(path, s);
    }
    s.lastAt = this.tick;
    return s;
  }

  /** Drops the least-seen 10 % of tracked paths (noise paths last, then the least recent). */
  private evict(): void {
    const ranked = [...this.paths].map(([path, s]) => ({ path, noise: this.reason(s) !== null, seen: s.secondary + s.differed, lastAt: s.lastAt }));
    ranked.sort((a, b) => Number(a.noise) - Number(b.noise) || a.seen - b.seen || a.lastAt - b.lastAt || (a.path < b.path ? -1 : 1));
    const drop = Math.max(1, Math.floor(this.paths.size / 10));
    for (let i = 0; i < drop && i < ranked.length; i++) this.paths.delete(ranked[i]!.path);
  }
}
