/**
 * The semantic layer: files that use the same domain vocabulary (ingest/terms.ts splits their
 * identifiers into terms) belong together, the idea of semantic clustering (Kuhn, Ducasse &
 * Gîrba 2007, "Semantic clustering: Identifying topics in source code", IST 49(3)).
 *
 * - Weights: TF-IDF with sublinear tf, w(d, t) = (1 + ln tf) · ln(N / df_t), and cosine
 *   similarity between files (Salton & Buckley 1988, "Term-weighting approaches in automatic
 *   text retrieval", IP&M 24(5)). Kuhn et al. go on to LSI; on identifier terms already cut to
 *   domain words plain TF-IDF separates domains well and needs no SVD.
 * - Corpus stop words: terms in more than `maxDocFreq` files (default max(10, ⌊N/4⌋)) are
 *   dropped from the vectors: in this codebase they are technical words, not a domain's. The
 *   floor keeps small projects' domain words (3 of 8 files say `invoice`).
 * - Terms in one file only stay in that file's norm (the cosine stays exact) but are left out
 *   of the inverted index, since they can match nothing.
 * - Neighbours: each file is linked to its `topK` most similar files with similarity ≥
 *   `minSimilarity` (ties by path); a pair found from both sides keeps one weight (merge
 *   'max'). Scores come from an inverted index (term → files), one accumulator pass per file,
 *   so the cost is Σ_t df_t² over the indexed terms, bounded by the df cap, never N² over all
 *   pairs; edges are at most N · topK.
 * The layer is max-normalised (cosines are already in [0, 1], no outlier to clip).
 */
import { FicusError } from '../../core/index.js';
import type { EdgeLayer, FileFacts } from '../model.js';
import { GraphErrorCode } from './errors.js';
import { PairWeights, toLayer } from './pairs.js';

export interface SemanticLayerOptions {
  /** Neighbours kept per file (default 5). */
  topK?: number;
  /** Lowest cosine similarity linked (default 0.15). */
  minSimilarity?: number;
  /** Terms used by more than this many files are ignored (default max(10, ⌊0.25 · N⌋)). */
  maxDocFreq?: number;
}

export const SEMANTIC_LAYER_DEFAULTS = Object.freeze({ topK: 5, minSimilarity: 0.15, docFreqShare: 0.25, docFreqFloor: 10 });

/** Error code for out-of-range layer options; a candidate for graph/errors.ts. */
export const SEMANTIC_LAYER_OPTION = GraphErrorCode.SEMANTIC_LAYER_OPTION;

function check(name: string, value: number, min: number, max: number, integer: boolean): number {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    const valid = integer ? `an integer ≥ ${min}` : `a number from ${min} to ${max}`;
    throw new FicusError(SEMANTIC_LAYER_OPTION, `semanticLayer option ${name} is ${value}; it must be ${valid}`, {
      exitCode: 2,
      details: { option: name, value },
    });
  }
  return value;
}

/** Sparse matrix rows in CSR form: row r holds cols/vals[start[r] .. start[r + 1]). */
interface Csr {
  readonly start: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
}

function csr(rows: readonly (readonly [number, number])[][]): Csr {
  const start = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) start[i + 1] = start[i]! + rows[i]!.length;
  const cols = new Int32Array(start[rows.length]!);
  const vals = new Float64Array(cols.length);
  let k = 0;
  for (const row of rows) {
    for (const [c, v] of row) {
      cols[k] = c;
      vals[k++] = v;
    }
  }
  return { start, cols, vals };
}

/** Vocabulary coupling: each file to its most similar files (see the module header). */
export function semanticLayer(files: readonly FileFacts[], options: SemanticLayerOptions = {}): EdgeLayer {
  const topK = check('topK', options.topK ?? SEMANTIC_LAYER_DEFAULTS.topK, 1, Number.MAX_SAFE_INTEGER, true);
  const minSim = check('minSimilarity', options.minSimilarity ?? SEMANTIC_LAYER_DEFAULTS.minSimilarity, 0, 1, false);
  const docs = [...files].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  const n = docs.length;
  const maxDf = check(
    'maxDocFreq',
    options.maxDocFreq ?? Math.max(SEMANTIC_LAYER_DEFAULTS.docFreqFloor, Math.floor(SEMANTIC_LAYER_DEFAULTS.docFreqShare * n)),
    1,
    Infinity,
    false,
  );

  // Terms sorted, so every sum runs in one order whatever the input's key order.
  const tfs = docs.map((d) =>
    Object.entries(d.terms)
      .filter(([, tf]) => Number.isFinite(tf) && tf > 0)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
  );
  const df = new Map<string, number>();
  for (const terms of tfs) for (const [t] of terms) df.set(t, (df.get(t) ?? 0) + 1);
  if (df.size === 0) return { signal: 'semantic', edges: [], note: 'no identifier terms found' };

  const indexed = [...df]
    .filter(([, k]) => k >= 2 && k <= maxDf)
    .map(([t]) => t)
    .sort();
  const termId = new Map(indexed.map((t, i) => [t, i]));
  const norms = new Float64Array(n);
  const docRows = tfs.map((terms, d) => {
    const row: [number, number][] = [];
    let sq = 0;
    for (const [t, tf] of terms) {
      const k = df.get(t)!;
      if (k > maxDf) continue;
      const w = (1 + Math.log(tf)) * Math.log(n / k);
      sq += w * w;
      const id = termId.get(t);
      if (id !== undefined && w > 0) row.push([id, w]);
    }
    norms[d] = Math.sqrt(sq);
    return row; // term ids follow the sorted terms
  });
  const postRows: [number, number][][] = indexed.map(() => []);
  docRows.forEach((row, d) => row.forEach(([id, w]) => postRows[id]!.push([d, w])));
  const byDoc = csr(docRows);
  const byTerm = csr(postRows);

  const acc = new PairWeights();
  const dot = new Float64Array(n);
  const touched: number[] = [];
  const best: { e: number; s: number }[] = [];
  for (let d = 0; d < n; d++) {
    for (let i = byDoc.start[d]!; i < byDoc.start[d + 1]!; i++) {
      const t = byDoc.cols[i]!;
      const w = byDoc.vals[i]!;
      for (let j = byTerm.start[t]!; j < byTerm.start[t + 1]!; j++) {
        const e = byTerm.cols[j]!;
        if (e === d) continue;
        if (dot[e] === 0) touched.push(e);
        dot[e] = dot[e]! + w * byTerm.vals[j]!;
      }
    }
    best.length = 0;
    for (const e of touched) {
      const s = Math.min(1, dot[e]! / (norms[d]! * norms[e]!));
      dot[e] = 0;
      if (!(s >= minSim)) continue;
      let k = best.length;
      while (k > 0 && (best[k - 1]!.s < s || (best[k - 1]!.s === s && best[k - 1]!.e > e))) k--;
      if (k < topK) best.splice(k, 0, { e, s });
      if (best.length > topK) best.pop();
    }
    touched.length = 0;
    for (const { e, s } of best) acc.add(docs[d]!.path, docs[e]!.path, s, 'max');
  }
  const note = acc.size === 0 ? `no two files share enough vocabulary (cosine ≥ ${minSim})` : undefined;
  return toLayer('semantic', acc, {}, note);
}
