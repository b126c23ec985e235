/**
 * The normalized JSON form of a decoded message, as `ficus cdc decode` prints it, one line per
 * message:
 *
 *   change:  { op, table, schema, db, key, before, after, ts_ms, position, snapshot?, transaction?, message? }
 *   control: { kind: 'tombstone', key, position } | { kind: 'transaction', status, id, event_count?,
 *            data_collections?, ts_ms, position } | { kind: 'heartbeat', ts_ms, position }
 *            | { kind: 'schema-change', ddl, db, schema, table_changes, ts_ms, position }
 *
 * Values: exact decimals and integers beyond 2^53 are strings, timestamps ISO-8601, dates
 * YYYY-MM-DD, Buffers base64 strings, non-finite floats the strings 'NaN'/'Infinity'. An
 * unchanged-TOAST placeholder (UNAVAILABLE) prints as `{"$unavailable": true}`; to keep that
 * marker distinguishable from any value, every object key of the data that starts with `$`
 * gets one more `$` (a Json column holding `{"$unavailable": true}` prints as
 * `{"$$unavailable": true}`). `snapshot` appears only for snapshot events, `transaction` only
 * when the event carries a transaction block.
 */
import { UNAVAILABLE, type CdcValue, type DecodedMessage, type Row } from '../model.js';
import { setMember } from './json.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export const UNAVAILABLE_JSON: { readonly $unavailable: true } = Object.freeze({ $unavailable: true });

/** One decoded value as plain JSON (see the module header). */
export function jsonValue(v: CdcValue): JsonValue {
  if (v === UNAVAILABLE) return { ...UNAVAILABLE_JSON };
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(jsonValue);
  if (typeof v === 'object') {
    const out: { [k: string]: JsonValue } = {};
    for (const [k, x] of Object.entries(v)) setMember(out, k.startsWith('$') ? `$${k}` : k, jsonValue(x));
    return out;
  }
  return null;
}

const rowJson = (r: Row | null | undefined): JsonValue => (r ? jsonValue(r) : null);

/** The normalized JSON object of one decoded message. */
export function toJsonLine(m: DecodedMessage): { [k: string]: JsonValue } {
  const position = { ...(m.kind === 'change' ? m.event.position : m.position) } as { [k: string]: JsonValue };
  switch (m.kind) {
    case 'change': {
      const e = m.event;
      return {
        op: e.op,
        table: e.table,
        schema: e.schema,
        db: e.db,
        key: rowJson(e.key),
        before: rowJson(e.before),
        after: rowJson(e.after),
        ts_ms: e.tsMs,
        position,
        ...(e.snapshot !== false && { snapshot: e.snapshot }),
        ...(e.transaction && {
          transaction: {
            id: e.transaction.id,
            ...(e.transaction.totalOrder !== undefined && { total_order: e.transaction.totalOrder }),
            ...(e.transaction.dataCollectionOrder !== undefined && { data_collection_order: e.transaction.dataCollectionOrder }),
          },
        }),
        ...(e.message && { message: rowJson(e.message) }),
      };
    }
    case 'tombstone':
      return { kind: 'tombstone', key: rowJson(m.key), position };
    case 'transaction':
      return {
        kind: 'transaction',
        status: m.status,
        id: m.id,
        ...(m.eventCount !== undefined && { event_count: m.eventCount }),
        ...(m.dataCollections && { data_collections: m.dataCollections.map((c) => ({ data_collection: c.dataCollection, event_count: c.eventCount })) }),
        ts_ms: m.tsMs ?? null,
        position,
      };
    case 'heartbeat':
      return { kind: 'heartbeat', ts_ms: m.tsMs ?? null, position };
    case 'schema-change':
      return {
        kind: 'schema-change',
        ddl: m.ddl,
        db: m.db ?? null,
        schema: m.schema ?? null,
        table_changes: jsonValue(m.tableChanges ?? null),
        ts_ms: m.tsMs ?? null,
        position,
      };
  }
}

/** `toJsonLine` as one line of text, without the newline. */
export function formatJsonLine(m: DecodedMessage): string {
  return JSON.stringify(toJsonLine(m));
}
