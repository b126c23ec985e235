/**
 * The folders layer: a weak prior from names and paths (layout.ts decides what folders mean).
 * - Stem groups: files whose names share a concept stem across folders (`orderRoutes.ts`,
 *   `OrderController.ts`, `OrderRepository.ts`, `Order.ts` → `order`) are linked with weight
 *   1; multi-word stems also join their first word's group at 0.4 and last word's at 0.25
 *   (`OrderItemRepository` leans to `order`), and files of a feature folder join the
 *   folder's name group at 0.3 (hybrid trees: `modules/orders/*` ↔ `routes/orderRoutes.ts`).
 * - Feature groups: files sharing a feature key (layers and containers stripped from the
 *   path) are linked with 0.8 on feature-organised trees, 0.6 on mixed, 0.5 on layered ones
 *   (where such subfolders, e.g. `services/payment/`, are rarer and less telling). Layer
 *   folders themselves link nothing.
 * - Group size discount: × min(1, √(k₀/k)) for a group of k files (k₀ = 8 for stems, a
 *   concept across ~5 layers plus a few helpers; 24 for feature folders), groups holding more
 *   than half of all files are dropped, groups above 40 are linked sparsely (pairs.ts).
 * Pair weight = noisy-or of its strongest stem link s and feature link f: 1 − (1 − s)(1 − f).
 */
import type { EdgeLayer, FileFacts } from '../model.js';
import { detectFolderLayout, type FolderLayout, type FolderStyle } from './layout.js';
import { folderWord, stemWords } from './names.js';
import { PairWeights, linkGroup, toLayer } from './pairs.js';

export interface FoldersLayerOptions {
  /** Feature-folder weight per layout style. */
  featureWeight?: Partial<Record<FolderStyle, number>>;
  /** Largest group linked as a clique (default 40). */
  groupCap?: number;
}

const FEATURE_WEIGHT: Record<FolderStyle, number> = { feature: 0.8, mixed: 0.6, layered: 0.5, flat: 0 };
const STEM_TYPICAL = 8;
const FEATURE_TYPICAL = 24;

type Groups = Map<string, Map<string, number>>;

function join(groups: Groups, key: string, path: string, strength: number): void {
  let g = groups.get(key);
  if (!g) groups.set(key, (g = new Map()));
  g.set(path, Math.max(g.get(path) ?? 0, strength));
}

function linkGroups(groups: Groups, typical: number, scale: number, n: number, cap: number): PairWeights {
  const acc = new PairWeights();
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    const k = members.size;
    if (k < 2 || (n > 4 && k > n / 2)) continue;
    const discount = scale * Math.min(1, Math.sqrt(typical / k));
    const weigh = (x: string, y: string): number => discount * Math.min(members.get(x)!, members.get(y)!);
    linkGroup(acc, [...members.keys()], weigh, cap, 'max');
  }
  return acc;
}

/** Name and folder prior; returns the layer and the detected layout (for the report). */
export function foldersLayerWithLayout(
  files: readonly FileFacts[],
  options: FoldersLayerOptions = {},
): { layer: EdgeLayer; layout: FolderLayout } {
  const paths = files.map((f) => f.path);
  const layout = detectFolderLayout(paths);
  const cap = options.groupCap ?? 40;
  const stems: Groups = new Map();
  const features: Groups = new Map();
  for (const path of paths) {
    const words = stemWords(path);
    if (words.length > 0) {
      join(stems, words.join('-'), path, 1);
      if (words.length > 1) {
        join(stems, words[0]!, path, 0.4);
        join(stems, words[words.length - 1]!, path, 0.25);
      }
    }
    const feature = layout.featureOf.get(path) ?? '';
    if (feature) {
      join(features, feature, path, 1);
      const last = folderWord(feature.slice(feature.lastIndexOf('/') + 1));
      if (last.length >= 3) join(stems, last, path, 0.3);
    }
  }
  const n = paths.length;
  const byStem = linkGroups(stems, STEM_TYPICAL, 1, n, cap);
  const featureWeight = { ...FEATURE_WEIGHT, ...options.featureWeight }[layout.style];
  const byFeature = linkGroups(features, FEATURE_TYPICAL, featureWeight, n, cap);
  const acc = new PairWeights();
  for (const e of byStem.edges()) acc.add(e.a, e.b, e.w);
  for (const e of byFeature.edges()) acc.add(e.a, e.b, e.w * (1 - byStem.get(e.a, e.b)));
  const note = `folder layout: ${layout.style} (${Math.round(layout.layerShare * 100)}% of files under layer folders, ${Math.round(
    layout.featureShare * 100,
  )}% in feature folders)`;
  return { layer: toLayer('folders', acc, {}, note), layout };
}

/** Name and folder prior (see the module header). */
export function foldersLayer(files: readonly FileFacts[], options: FoldersLayerOptions = {}): EdgeLayer {
  return foldersLayerWithLayout(files, options).layer;
}
