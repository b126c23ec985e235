/**
 * Opening the sink a CDC config names (`sink.postgres`, `sink.mysql` or `sink.kafka`), with the
 * config's offsets and dead-letter tables (for Kafka: topics `<topicPrefix>.<table>`), so callers
 * (the CLI) do not pick implementations themselves.
 * Also describes the target for a start-up line, credentials redacted.
 *
 * @example
 *   const sink = await openSink(config, logger);
 *   const resume = await sink.lastPositions();
 */
import { FicusError, redactUrl, type Logger } from '../../core/index.js';
import type { CdcConfig } from '../config/schema.js';
import { SinkErrorCode } from './errors.js';
import { openKafkaSink } from './kafka.js';
import { openMysqlSink } from './mysql.js';
import { openPostgresSink } from './postgres.js';
import type { Sink } from './types.js';

export async function openSink(config: CdcConfig, logger?: Logger): Promise<Sink> {
  const common = { offsetsTable: config.offsets.table, deadLetterTable: config.deadLetter.table, ...(logger ? { logger } : {}) };
  if (config.sink.postgres) return openPostgresSink({ url: config.sink.postgres.url, schema: config.sink.postgres.schema, ...common });
  if (config.sink.mysql) return openMysqlSink({ url: config.sink.mysql.url, ...common });
  const k = config.sink.kafka;
  if (k) {
    return openKafkaSink({
      ...k,
      offsetsTopic: `${k.topicPrefix}.${config.offsets.table}`,
      deadLetterTopic: `${k.topicPrefix}.${config.deadLetter.table}`,
      ...(logger ? { logger } : {}),
    });
  }
  const named = Object.keys(config.sink).join(', ') || 'none';
  throw new FicusError(SinkErrorCode.OPTIONS, `sink.${named} is not a sink; give sink.postgres, sink.mysql or sink.kafka`, { exitCode: 2 });
}

/** `postgres://app:***@db/shop` or `mysql://root@127.0.0.1:3306/catalog`, for messages. */
export function describeSink(config: CdcConfig): string {
  const url = config.sink.postgres?.url ?? config.sink.mysql?.url;
  const k = config.sink.kafka;
  if (!url && k) return `Kafka ${k.brokers.join(',')} (topics ${k.topicPrefix}.<schema>.<table>)`;
  return url ? redactUrl(url) : `sink.${Object.keys(config.sink).join(', ')}`;
}
