/**
 * The git layer: logical coupling from co-change history (ingest/history.ts reads and decays
 * it). Files changed together again and again are coupled even when no import says so
 * (Gall, Hajek & Jazayeri 1998, "Detection of logical coupling based on product release
 * history", ICSM).
 *
 * Pairs below `minSupport` are dropped before normalising: a single co-change is as likely an
 * accident of how someone batched work as evidence of coupling, and mining work on version
 * histories keeps only rules with a minimum support for that reason (Zimmermann, Weißgerber,
 * Diehl & Zeller 2005, "Mining version histories to guide software changes", IEEE TSE 31(6)).
 * The default 0.5 is, in history.ts's units (decay / (n − 1) per commit of n analysed files):
 * one recent commit of 2–3 analysed files, two recent commits of up to 5, or one 2-file commit
 * a half-life ago; pairs seen only in one wide commit (1 / (n − 1) < 0.5) are noise to us.
 * The rest is scaled so the 95th-percentile pair weighs 1 (pairs.ts `toLayer`), so one pair
 * of files edited in lockstep for years does not flatten every other edge.
 */
import { FicusError } from '../../core/index.js';
import type { CoChangeHistory, EdgeLayer } from '../model.js';
import { GraphErrorCode } from './errors.js';
import { PairWeights, toLayer } from './pairs.js';

export interface GitLayerOptions {
  /** Pairs whose decayed co-change weight is below this are dropped (default 0.5). */
  minSupport?: number;
  /** Quantile mapped to weight 1 (default 0.95). */
  quantile?: number;
}

export const GIT_LAYER_DEFAULTS = Object.freeze({ minSupport: 0.5, quantile: 0.95 });

/** Error code for out-of-range layer options; a candidate for graph/errors.ts. */
export const GIT_LAYER_OPTION = GraphErrorCode.GIT_LAYER_OPTION;

function check(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new FicusError(GIT_LAYER_OPTION, `gitLayer option ${name} is ${value}; it must be a number from 0 to ${max}`, {
      exitCode: 2,
      details: { option: name, value },
    });
  }
  return value;
}

/** Co-change coupling as a layer; an unavailable history gives an empty layer with its note. */
export function gitLayer(history: CoChangeHistory, options: GitLayerOptions = {}): EdgeLayer {
  const minSupport = check('minSupport', options.minSupport ?? GIT_LAYER_DEFAULTS.minSupport, Number.MAX_VALUE);
  const quantile = check('quantile', options.quantile ?? GIT_LAYER_DEFAULTS.quantile, 1);
  if (!history.available) return { signal: 'git', edges: [], note: history.note ?? 'no git history' };

  const acc = new PairWeights();
  for (const p of history.pairs) if (p.w >= minSupport) acc.add(p.a, p.b, p.w);
  const notes = history.note === undefined ? [] : [history.note];
  if (history.pairs.length === 0) {
    notes.push(`no two analysed files changed in the same commit (${history.commits} commits read)`);
  } else if (acc.size === 0) {
    notes.push(`no pair of files changed together often enough (support ≥ ${minSupport}; ${history.pairs.length} pairs below it)`);
  }
  const note = notes.length > 0 ? notes.join('; ') : undefined;
  return toLayer('git', acc, { quantile }, note);
}
