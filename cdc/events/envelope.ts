/**
 * The Debezium change-event envelope `{before, after, source, op, ts_ms, transaction?}`, once
 * its values are decoded, as a ChangeEvent: op c/u/d/r/t/m, table identity from `source`
 * (db, schema — null for MySQL — table, or a MongoDB collection), the source commit time,
 * the snapshot marker and the per-event transaction block.
 */
import type { ChangeEvent, Op, Position, Row, TransactionInfo } from '../model.js';
import { CdcErrorCode } from '../errors.js';
import { isRecord, optionalNumber, optionalString, row, type Fields } from './fields.js';
import { expected } from './problem.js';

export const OPS: readonly Op[] = ['c', 'u', 'd', 'r', 't', 'm'];

/** Debezium's `source.snapshot` markers; other strings are kept as they come. */
export const SNAPSHOT_MARKERS = ['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'incremental'] as const;

/** `source.snapshot` as boolean (older connectors) or string marker → false or the marker. */
export function snapshotMarker(v: unknown, path: string): false | string {
  if (v === undefined || v === null || v === false || v === 'false') return false;
  if (v === true) return 'true';
  if (typeof v === 'string' && v !== '') return v;
  return expected(path, `a snapshot marker (true, false, ${SNAPSHOT_MARKERS.slice(1).join(', ')})`, v, CdcErrorCode.DECODE_ENVELOPE);
}

function transactionInfo(v: Fields[string] | undefined, path: string): TransactionInfo | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v) || typeof v.id !== 'string')
    expected(path, 'a transaction block {id, total_order, data_collection_order} or null', v, CdcErrorCode.DECODE_ENVELOPE);
  const total = optionalNumber(v.total_order, `${path}.total_order`);
  const inCollection = optionalNumber(v.data_collection_order, `${path}.data_collection_order`);
  return { id: v.id, ...(total !== null && { totalOrder: total }), ...(inCollection !== null && { dataCollectionOrder: inCollection }) };
}

/** The table from a topic named `<prefix>.<db>[.<schema>].<table>`, for envelopes without `source.table`. */
function tableFromTopic(topic: string): string | null {
  const parts = topic.split('.');
  return parts.length >= 2 ? (parts[parts.length - 1] ?? null) : null;
}

/** A decoded envelope (`path` is where it sat, e.g. `value.payload`) as a ChangeEvent. */
export function changeEvent(env: Fields, path: string, key: Row | null, position: Position, topic: string): ChangeEvent {
  const op = env.op;
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) expected(`${path}.op`, `an op (${OPS.join(', ')})`, op, CdcErrorCode.DECODE_ENVELOPE);
  const source = env.source;
  if (source !== undefined && source !== null && !isRecord(source))
    expected(`${path}.source`, 'the source block (JSON object)', source, CdcErrorCode.DECODE_ENVELOPE);
  const src: Fields = source ?? {};
  const before = row(env.before, `${path}.before`);
  const after = row(env.after, `${path}.after`);
  if ((op === 'c' || op === 'u' || op === 'r') && after === null)
    expected(`${path}.after`, `the row after the change (op "${op}" always has one)`, env.after, CdcErrorCode.DECODE_ENVELOPE);
  const table = optionalString(src.table, `${path}.source.table`) ?? optionalString(src.collection, `${path}.source.collection`) ?? tableFromTopic(topic);
  if (table === null) expected(`${path}.source.table`, 'the table name (or a topic named <prefix>.<db>.<table>)', src.table, CdcErrorCode.DECODE_ENVELOPE);
  const secs = optionalNumber(src.ts_sec, `${path}.source.ts_sec`);
  const tsMs = optionalNumber(src.ts_ms, `${path}.source.ts_ms`) ?? (secs === null ? null : secs * 1000) ?? optionalNumber(env.ts_ms, `${path}.ts_ms`);
  const message = op === 'm' ? row(env.message, `${path}.message`) : null;
  return {
    op: op as Op,
    db: optionalString(src.db, `${path}.source.db`),
    schema: optionalString(src.schema, `${path}.source.schema`),
    table,
    key,
    before,
    after,
    tsMs,
    snapshot: snapshotMarker(src.snapshot, `${path}.source.snapshot`),
    transaction: transactionInfo(env.transaction, `${path}.transaction`),
    position,
    ...(message !== null && { message }),
  };
}
