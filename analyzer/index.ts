/**
 * The analyzer's public face: `analyze()` from a source tree to a Decomposition, the
 * Decomposition contract and its validation, the config file schema, and the derived
 * drafts (gateway routes, CDC mappings) and impact queries.
 */
export { analyze, DEFAULT_RUNS, DEFAULT_SEED, type Analysis, type AnalyzeOptions, type AnalyzeStage } from './analyze.js';
export {
  DECOMPOSITION_SCHEMA_VERSION,
  DecompositionSchema,
  type Decomposition,
  type DecompositionContext,
  type PlanStep,
  type Seam,
  type TableOwnership,
} from './decomposition.js';
export { validateDecomposition } from './contract.js';
export { AnalyzeConfigSchema, type AnalyzeConfig } from './config.js';
export { SIGNALS, type ClusterConstraints, type FileFacts, type SignalName } from './model.js';
export { gatewayDraft, cdcDrafts, type GatewayDraft, type CdcDraft } from './plan/drafts.js';
export { impactOf, type ImpactEntry } from './plan/impact.js';
export { SHARED_KERNEL_ID } from './plan/seams.js';
export { UNASSIGNED_ID } from './assemble.js';
export { adjustedRandIndex } from './metrics/ari.js';
export { mulberry32 } from './cluster/random.js';
export { readTruth, scoreAgainstTruth, truthLabels, type Truth, type TruthScore } from './truth.js';
