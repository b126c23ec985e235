/**
 * cdc: change data capture — the public face of the part. Named re-exports only.
 */
export {
  UNAVAILABLE,
  type CdcValue,
  type ChangeEvent,
  type ControlMessage,
  type DataCollectionCount,
  type DecodedMessage,
  type Op,
  type Position,
  type PostgresPosition,
  type Row,
  type TransactionInfo,
} from './model.js';
export { CdcDecodeError, CdcErrorCode, type CdcDecodeErrorCode } from './errors.js';
export { decodeKey, decodeMessage, describePosition, type DecodeOptions, type KafkaMessage } from './events/message.js';
export { formatJsonLine, jsonValue, toJsonLine, UNAVAILABLE_JSON, type JsonValue } from './events/normalize.js';
export { UNAVAILABLE_PLACEHOLDER, UNAVAILABLE_PLACEHOLDER_BASE64 } from './events/json.js';
export { HEARTBEAT_TOPIC_PREFIX } from './events/control.js';
export { OPS, SNAPSHOT_MARKERS } from './events/envelope.js';
export {
  CdcConfigSchema,
  COERCE_TYPES,
  type CdcConfig,
  type TableMapping,
  type ColumnRule,
  type ConflictPolicy,
  type KafkaSinkConfig,
  type KafkaSourceConfig,
  type MysqlSinkConfig,
  type PostgresSinkConfig,
  type PostgresSourceConfig,
} from './config/schema.js';
export { cdcRules, loadCdcConfig, parseCdcConfig } from './config/load.js';
export { compileTableMapping, findMapping, mapEvent, type CompiledTableMapping } from './transform/map.js';
export type { TargetChange } from './transform/types.js';
export { openPostgresSink, type PostgresSink, type PostgresSinkOptions } from './sinks/postgres.js';
export { openKafkaSink, type KafkaSinkOptions } from './sinks/kafka.js';
export { openMysqlSink, type MysqlSink, type MysqlSinkOptions } from './sinks/mysql.js';
export { describeSink, openSink } from './sinks/open.js';
export type { ApplyResult, DeadLetter, Sink, SinkBatch } from './sinks/types.js';
export { createKafkaSource, type KafkaSourceOptions } from './sources/kafka.js';
export { SourceErrorCode } from './sources/errors.js';
export type { DecodedBatch, Source, SourceBatch, SourceEvents, SourceHandler, SourceMessage } from './sources/types.js';
export { createPostgresSource, type PostgresSourceOptions } from './sources/postgres/source.js';
export { createSource, describeSource, postgresSourceTables, type CreateSourceOptions } from './sources/open.js';
export { dropSlot, listSlots, type SlotInfo } from './sources/postgres/slot.js';
export type { SnapshotProgress } from './sources/postgres/snapshot.js';
export { PgSourceErrorCode } from './sources/postgres/errors.js';
export { createPipeline, type Pipeline, type PipelineOptions, type PipelineSummary } from './pipeline.js';
export { createPipelineMetrics, serveMetrics, type PipelineMetrics } from './pipeline/metrics.js';
export { PipelineErrorCode } from './pipeline/errors.js';
export { verifyCdc, type VerifyOptions, type VerifyProgress } from './verify/verify.js';
export { VerifyErrorCode } from './verify/errors.js';
export type {
  ChunkMethod,
  ChunkSummary,
  ColumnDiff,
  DifferentRow,
  KeyValues,
  MismatchedChunk,
  Mismatches,
  NotCompared,
  TableStatus,
  TableVerifyResult,
  VerifyResult,
} from './verify/types.js';
