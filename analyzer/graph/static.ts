/**
 * The static layer: coupling from resolved references (imports, calls, construction,
 * inheritance, type uses), in both directions, one undirected edge per file pair.
 *
 * Pair score = Σ over references a→b and b→a of kindWeight(kind) · (1 + ln count). The log
 * keeps a file that calls another 200 times from counting 200 times one that calls it once
 * (sublinear term weighting, Salton & Buckley 1988, "Term-weighting approaches in automatic
 * text retrieval", IP&M 24(5)); the layer is then scaled so its 95th-percentile pair weighs 1
 * (clipped above; see pairs.ts `toLayer`).
 */
import type { EdgeLayer, FileFacts, RefKind } from '../model.js';
import { PairWeights, toLayer } from './pairs.js';
import { REF_KIND_WEIGHTS } from './weights.js';

export interface StaticLayerOptions {
  /** Per kind weights, merged over REF_KIND_WEIGHTS. */
  kindWeights?: Partial<Record<RefKind, number>>;
  /** Quantile mapped to weight 1 (default 0.95). */
  quantile?: number;
}

/** Static coupling between files; references to files not in `files` are ignored. */
export function staticLayer(files: readonly FileFacts[], options: StaticLayerOptions = {}): EdgeLayer {
  const kindWeights = { ...REF_KIND_WEIGHTS, ...options.kindWeights };
  const known = new Set(files.map((f) => f.path));
  const acc = new PairWeights();
  let refs = 0;
  for (const file of files) {
    for (const ref of file.references) {
      if (ref.to === file.path || !known.has(ref.to)) continue;
      const count = Math.max(1, ref.count);
      acc.add(file.path, ref.to, (kindWeights[ref.kind] ?? 0) * (1 + Math.log(count)));
      refs++;
    }
  }
  const note = refs === 0 ? 'no resolved references between analysed files' : undefined;
  return toLayer('static', acc, { quantile: options.quantile ?? 0.95 }, note);
}
