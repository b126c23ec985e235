/**
 * Creating the source a CDC config names (`source.kafka` or `source.postgres`), resuming from
 * the positions the sink stored, so callers (the CLI) do not pick implementations themselves.
 * Also describes the source for a start-up line, credentials redacted.
 *
 * @example
 *   const source = createSource(config, { positions: () => sink.lastPositions(), logger });
 */
import { FicusError, redactUrl, type Logger } from '../../core/index.js';
import type { CdcConfig } from '../config/schema.js';
import type { Position } from '../model.js';
import { SourceErrorCode } from './errors.js';
import { createKafkaSource } from './kafka.js';
import { createPostgresSource } from './postgres/source.js';
import type { SnapshotProgress } from './postgres/snapshot.js';
import type { Source } from './types.js';

export interface CreateSourceOptions {
  readonly positions: () => Promise<ReadonlyMap<string, Position>>;
  readonly logger?: Logger;
  /** Postgres source: progress of the initial snapshot. */
  readonly onSnapshotProgress?: (p: SnapshotProgress) => void;
}

/** The source tables of the Postgres source: `source.postgres.tables`, else every `tables[].from`. */
export function postgresSourceTables(config: CdcConfig): string[] {
  return [...(config.source.postgres?.tables ?? [...new Set(config.tables.map((t) => t.from))])];
}

export function createSource(config: CdcConfig, options: CreateSourceOptions): Source {
  const common = { positions: options.positions, ...(options.logger && { logger: options.logger }) };
  if (config.source.kafka) return createKafkaSource({ ...config.source.kafka, ...common });
  const pg = config.source.postgres;
  if (pg) {
    return createPostgresSource({
      ...pg,
      tables: postgresSourceTables(config),
      ...common,
      ...(options.onSnapshotProgress && { onSnapshotProgress: options.onSnapshotProgress }),
    });
  }
  throw new FicusError(
    SourceErrorCode.OPTIONS,
    `source.${Object.keys(config.source).join(', ') || 'none'} is not a source; give source.kafka or source.postgres`,
    {
      exitCode: 2,
    },
  );
}

/** `topics a, b (group g)` or `postgres://app:***@db/shop slot ficus, publication ficus`, for messages. */
export function describeSource(config: CdcConfig): string {
  const k = config.source.kafka;
  if (k) return `${k.topics ? `topics ${k.topics.join(', ')}` : `topics matching /${k.topicPattern ?? ''}/`} (group ${k.groupId})`;
  const p = config.source.postgres;
  if (p) return `${redactUrl(p.url)} (slot ${p.slot}, publication ${p.publication}, ${postgresSourceTables(config).length} tables)`;
  return `source.${Object.keys(config.source).join(', ')}`;
}
