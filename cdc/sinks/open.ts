/**
 * Opening the sink a CDC config names (`sink.postgres`, `sink.mysql` or `sink.kafka`), with the
 * config's offsets and dead-letter tables (for Kafka: topics `<topicPrefix>.<table>`), so callers
 * (the CLI) do not pick implementations themselves. Reverse sync: `sink.postgres.origin` and the
 * tables' conflict policies go to the Postgres sink; other sinks refuse conflict policies.
 * Also describes the target for a start-up line, credentials redacted.
 *
 * @example
 *   const sink = await openSink(config, logger);
 *   const resume = await sink.lastPositions();
 */
import { FicusError, redactUrl, type Logger } from '../../core/index.js';
import type { CdcConfig, ConflictPolicy } from '../config/schema.js';
import { compileTableMapping } from '../transform/map.js';
import { SinkErrorCode } from './errors.js';
import { openKafkaSink } from './kafka.js';
import { openMysqlSink } from './mysql.js';
import { openPostgresSink } from './postgres.js';
import type { Sink } from './types.js';

/** `tables[].conflict` by target table (as mapping names it); source-wins tables left out. */
export function conflictPolicies(config: Pick<CdcConfig, 'tables'>): Map<string, ConflictPolicy> {
  const out = new Map<string, ConflictPolicy>();
  for (const t of config.tables) {
    if (t.conflict === undefined || t.conflict === 'source-wins') continue;
    out.set(compileTableMapping(t).to, t.conflict);
  }
  return out;
}

export async function openSink(config: CdcConfig, logger?: Logger): Promise<Sink> {
  const common = { offsetsTable: config.offsets.table, deadLetterTable: config.deadLetter.table, ...(logger ? { logger } : {}) };
  const conflicts = conflictPolicies(config);
  const p = config.sink.postgres;
  if (p) return openPostgresSink({ url: p.url, schema: p.schema, conflicts, ...(p.origin !== undefined && { origin: p.origin }), ...common });
  if (conflicts.size > 0) {
    throw new FicusError(
      SinkErrorCode.OPTIONS,
      `tables[].conflict ${[...conflicts.keys()].join(', ')}: conflict policies other than source-wins need sink.postgres`,
      { exitCode: 2 },
    );
  }
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
