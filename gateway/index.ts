/**
 * gateway: the strangler-fig reverse proxy — per-route modes (monolith, shadow, canary,
 * service), sticky canary cohorts, shadowing with response diffs recorded to a store, an
 * admin API with metrics, hot reload. The public face; cli/ and reports/ use only this.
 */
export { buildGateway, judgeFor, type Gateway, type GatewayOptions } from './app.js';
export { buildAdmin, type AdminOptions } from './admin/app.js';
export { primeIoPaths, type PrimeReport } from './proxy/prime.js';
export { createReloader, type Reloader, type ReloaderOptions } from './config/reload.js';
export { inProcessLoader, threadLoader, type ConfigLoader, type ThreadLoader } from './config/loader.js';
export { loadGatewayConfig, parseGatewayConfig, gatewayRules, isLoopback, type GatewayConfig } from './config/load.js';
export { GatewayConfigSchema, MODES, type Mode, type RouteConfig, type CompareConfig } from './config/schema.js';
export { GatewayErrorCode } from './errors.js';
export type { DiffRecord, DiffStore, DiffQuery, Difference, RecordedRequest, RecordedResponse, RouteChange, RouteSettings, Target } from './model.js';
export { GatewayRuntime, type ChangeLogEntry, type Snapshot } from './runtime.js';
export { bucketOf, inCanary } from './routing/cohort.js';
export { routeOrder } from './routing/order.js';
export { createComparer } from './shadow/compare.js';
export { inlineJudge, threadJudge, type JudgePort, type ThreadJudge } from './shadow/judges.js';
export { openDiffStore } from './store/index.js';
export { readDiffFile, listDiffFiles } from './store/index.js';
export { replay, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type ReplayOptions, type ReplayProgress } from './replay/run.js';
export { failed as replayFailed, summarise as summariseReplay } from './replay/classify.js';
export { isPostgresUrl } from './replay/load.js';
export { REPLAY_CLASSES, REPLAY_SCHEMA_VERSION, type ReplayClass, type ReplayOutcome, type ReplayResult, type ReplaySummary } from './replay/model.js';
export { readTallies, tallyFileFor, sumTallies } from './store/index.js';
export { TALLY_BUCKET_MS, type ComparisonOutcome, type ComparisonTally, type DifferenceKind, type TallyQuery } from './model.js';
export { RolloutController, ROLLOUT_ACTIONS, type RolloutAction, type RolloutView } from './rollout/controller.js';
export {
  createFileStateStore,
  createMemoryStateStore,
  PHASES as ROLLOUT_PHASES,
  type RolloutPhase,
  type RolloutState,
  type RolloutStateStore,
} from './rollout/state.js';
export type { GateReport, GateCheck } from './rollout/gates.js';
