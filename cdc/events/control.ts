/**
 * Messages that are not row changes but move the position on: transaction BEGIN/END (the
 * `<prefix>.transaction` topic), heartbeats (`__debezium-heartbeat.<prefix>`), schema changes
 * (the `<prefix>` topic of MySQL, SQL Server, Oracle…: `ddl`, `tableChanges`) — recognised by
 * topic or schema name, and by content.
 */
import type { ControlMessage, DataCollectionCount, Position } from '../model.js';
import { CdcErrorCode } from '../errors.js';
import { isRecord, optionalNumber, optionalString, type Fields } from './fields.js';
import { expected } from './problem.js';

/** Debezium's default `topic.heartbeat.prefix`; heartbeat topics are `<prefix>.<topic.prefix>`. */
export const HEARTBEAT_TOPIC_PREFIX = '__debezium-heartbeat';
export const HEARTBEAT_SCHEMA = 'io.debezium.connector.common.Heartbeat';
export const TRANSACTION_SCHEMA = 'io.debezium.connector.common.TransactionMetadataValue';

export function isHeartbeat(topic: string, schemaName: string | undefined, prefix = HEARTBEAT_TOPIC_PREFIX): boolean {
  return topic === prefix || topic.startsWith(`${prefix}.`) || schemaName === HEARTBEAT_SCHEMA;
}

export function isTransaction(payload: Fields, schemaName: string | undefined): boolean {
  return schemaName === TRANSACTION_SCHEMA || (!('op' in payload) && (payload.status === 'BEGIN' || payload.status === 'END') && 'id' in payload);
}

export function isSchemaChange(payload: Fields, schemaName: string | undefined): boolean {
  return (schemaName?.endsWith('.SchemaChangeValue') ?? false) || (!('op' in payload) && ('ddl' in payload || 'tableChanges' in payload));
}

export function heartbeat(payload: Fields | null, path: string, position: Position): ControlMessage {
  return { kind: 'heartbeat', tsMs: payload ? optionalNumber(payload.ts_ms, `${path}.ts_ms`) : null, position };
}

export function transaction(payload: Fields, path: string, position: Position): ControlMessage {
  const { status, id } = payload;
  if (status !== 'BEGIN' && status !== 'END') expected(`${path}.status`, 'BEGIN or END', status, CdcErrorCode.DECODE_ENVELOPE);
  if (typeof id !== 'string' || id === '') expected(`${path}.id`, 'the transaction id (string)', id, CdcErrorCode.DECODE_ENVELOPE);
  const eventCount = optionalNumber(payload.event_count, `${path}.event_count`);
  const raw = payload.data_collections;
  let dataCollections: DataCollectionCount[] | undefined;
  if (raw !== null && raw !== undefined) {
    if (!Array.isArray(raw)) expected(`${path}.data_collections`, 'an array of {data_collection, event_count} or null', raw, CdcErrorCode.DECODE_ENVELOPE);
    dataCollections = raw.map((c, i) => {
      const p = `${path}.data_collections[${i}]`;
      if (!isRecord(c) || typeof c.data_collection !== 'string') expected(p, '{data_collection, event_count}', c, CdcErrorCode.DECODE_ENVELOPE);
      return { dataCollection: c.data_collection, eventCount: optionalNumber(c.event_count, `${p}.event_count`) ?? 0 };
    });
  }
  return {
    kind: 'transaction',
    status,
    id,
    ...(eventCount !== null && { eventCount }),
    ...(dataCollections && { dataCollections }),
    tsMs: optionalNumber(payload.ts_ms, `${path}.ts_ms`),
    position,
  };
}

export function schemaChange(payload: Fields, path: string, position: Position): ControlMessage {
  const source = isRecord(payload.source) ? payload.source : {};
  return {
    kind: 'schema-change',
    ddl: optionalString(payload.ddl, `${path}.ddl`),
    db: optionalString(payload.databaseName, `${path}.databaseName`) ?? optionalString(source.db, `${path}.source.db`),
    schema: optionalString(payload.schemaName, `${path}.schemaName`),
    tableChanges: payload.tableChanges ?? null,
    tsMs: optionalNumber(source.ts_ms, `${path}.source.ts_ms`) ?? optionalNumber(payload.ts_ms, `${path}.ts_ms`),
    position,
  };
}
