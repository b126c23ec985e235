/**
 * Default weights: how much each signal counts when layers are combined, and how much each
 * kind of static reference counts inside the static layer. Every layer is normalised to a
 * strongest edge of 1 before these apply, so the numbers compare like with like.
 *
 * Why these values (tuned on synthetic layered and feature-organised monoliths, see
 * graph/synthetic.ts and cluster/quality.test.ts, and chosen to degrade gracefully when a
 * signal is missing):
 * - static 1.0: the backbone, present in every codebase. Alone it clusters layered monoliths
 *   by layer or around hubs (Mitchell & Mancoridis 2006, "On the automatic modularization of
 *   software systems using the Bunch tool", IEEE TSE 32(3)); hence the other signals.
 * - folders 0.8: the naming prior (shared file-name stems across layer folders, feature
 *   folders); the strongest domain evidence a layered monolith has, but only a prior — it can
 *   not see that `OrderAudit` belongs to reporting. Anquetil & Lethbridge 1999 ("Recovering
 *   software architecture from the names of source files", JSME 11(3)) found file names to be
 *   a better clustering criterion than many structural ones.
 * - data 0.6: shared tables are the coupling a service split must actually break
 *   (Mono2Micro and most database-aware decomposition work weigh it heavily), but ORMs and
 *   report queries read many tables, so it is IDF-discounted in the layer and kept below static.
 * - usecases 0.6: files reached from the same route declarations (usecases.ts) — the vertical
 *   slice a layered monolith's folders hide; Mono2Micro's main signal, here without traces, so
 *   kept at the data layer's weight.
 * - git 0.5: co-change (Gall, Hajek & Jazayeri 1998, "Detection of logical coupling based on
 *   product release history", ICSM) is noisy on young or squash-merged repositories.
 * - semantic 0.5: identifier vocabulary (Kuhn, Ducasse & Gîrba 2007, "Semantic clustering",
 *   IST 49(3)) separates domains well but also links files by shared technical words.
 */
import type { RefKind, SignalName } from '../model.js';

export const DEFAULT_SIGNAL_WEIGHTS: Readonly<Record<SignalName, number>> = Object.freeze({
  static: 1.0,
  data: 0.6,
  usecases: 0.6,
  git: 0.5,
  semantic: 0.5,
  folders: 0.8,
});

/**
 * Per reference kind. Behavioural uses (calls, construction, inheritance) say a file cannot
 * work without the other; a value import is usually followed by such a use (and then adds a
 * little); type-only uses and type imports are contracts, cheap to cut at a service boundary.
 */
export const REF_KIND_WEIGHTS: Readonly<Record<RefKind, number>> = Object.freeze({
  call: 1.0,
  new: 1.0,
  extends: 1.0,
  implements: 0.8,
  import: 0.5,
  type: 0.4,
  'import-type': 0.2,
});
