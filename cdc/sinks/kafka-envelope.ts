/**
 * Change events as Debezium's Postgres connector writes them through Kafka Connect's
 * JsonConverter, for the Kafka sink: topic `<topicPrefix>.<schema>.<table>`, key = the key
 * columns, value = the envelope `{before, after, source, op, ts_ms, transaction}`; with
 * `schemas` each as `{schema, payload}` (schemas.enable=true), else the bare payload. A delete
 * is followed by a tombstone (key, null value), as Debezium's `tombstones.on.delete` does.
 *
 * Schemas are inferred from the decoded values, since events carry values, not column types:
 * integers int64, other numbers double, exact decimals and timestamps as their ISO text
 * (string: like Debezium's decimal.handling.mode=string and ISO time handling), bytes base64,
 * json values as `io.debezium.data.Json` text, arrays by their first element. An unchanged
 * TOASTed value is Debezium's placeholder `__debezium_unavailable_value`. Our own decoder
 * (events/message.ts) reads every message back to the same ChangeEvent values.
 */
import { UNAVAILABLE, type CdcValue, type ChangeEvent, type Row } from '../model.js';
import { lsnToBigInt } from '../offsets/position.js';

const PLACEHOLDER = '__debezium_unavailable_value';

type Schema = { [k: string]: unknown };

export interface KafkaRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string | null;
}

export function topicOf(prefix: string, e: Pick<ChangeEvent, 'schema' | 'table'>): string {
  return e.schema ? `${prefix}.${e.schema}.${e.table}` : `${prefix}.${e.table}`;
}

function isJsonObject(v: CdcValue): v is { readonly [k: string]: CdcValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function valueSchema(v: CdcValue): Schema {
  if (v === null || v === UNAVAILABLE) return { type: 'string', optional: true };
  if (typeof v === 'boolean') return { type: 'boolean', optional: true };
  if (typeof v === 'number') return { type: Number.isSafeInteger(v) ? 'int64' : 'double', optional: true };
  if (typeof v === 'string') return { type: 'string', optional: true };
  if (Buffer.isBuffer(v)) return { type: 'bytes', optional: true };
  if (Array.isArray(v)) {
    const first = v.find((x) => x !== null);
    return { type: 'array', optional: true, items: first === undefined ? { type: 'string', optional: true } : valueSchema(first) };
  }
  return { type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 };
}

/** A decoded value as JsonConverter would write it under `valueSchema(v)`. */
function payloadOf(v: CdcValue, asJsonText = false): unknown {
  if (v === UNAVAILABLE) return PLACEHOLDER;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map((x) => payloadOf(x, asJsonText));
  if (isJsonObject(v) && !asJsonText) return JSON.stringify(payloadOf(v, true));
  const out: { [k: string]: unknown } = {};
  for (const [k, x] of Object.entries(v)) out[k] = payloadOf(x, true);
  return out;
}

function rowPayload(r: Row | null): { [k: string]: unknown } | null {
  if (!r) return null;
  const out: { [k: string]: unknown } = {};
  for (const [k, v] of Object.entries(r)) out[k] = payloadOf(v);
  return out;
}

function structSchema(name: string, images: readonly (Row | null)[], field?: string): Schema {
  const fields = new Map<string, Schema>();
  for (const image of images) {
    for (const [k, v] of Object.entries(image ?? {})) {
      const known = fields.get(k);
      if (!known || (known.type === 'string' && known.name === undefined && v !== null && v !== UNAVAILABLE)) fields.set(k, { ...valueSchema(v), field: k });
    }
  }
  return { type: 'struct', optional: true, name, fields: [...fields.values()], ...(field !== undefined && { field }) };
}

const SOURCE_FIELDS: readonly Schema[] = [
  { type: 'string', optional: false, field: 'version' },
  { type: 'string', optional: false, field: 'connector' },
  { type: 'string', optional: false, field: 'name' },
  { type: 'int64', optional: false, field: 'ts_ms' },
  {
    type: 'string',
    optional: true,
    name: 'io.debezium.data.Enum',
    version: 1,
    parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' },
    field: 'snapshot',
  },
  { type: 'string', optional: false, field: 'db' },
  { type: 'string', optional: false, field: 'schema' },
  { type: 'string', optional: false, field: 'table' },
  { type: 'int64', optional: true, field: 'txId' },
  { type: 'int64', optional: true, field: 'lsn' },
];

function sourceBlock(prefix: string, e: ChangeEvent): { [k: string]: unknown } {
  const p = e.position;
  const pg = p.kind === 'postgres' ? p : null;
  return {
    version: 'ficus',
    connector: 'postgresql',
    name: prefix,
    ts_ms: e.tsMs ?? Date.now(),
    snapshot: e.snapshot === false ? 'false' : e.snapshot,
    db: e.db ?? '',
    schema: e.schema ?? '',
    table: e.table,
    txId: pg?.txId !== undefined ? Number(pg.txId) : null,
    lsn: pg && !pg.snapshot ? Number(lsnToBigInt(pg.lsn)) : null,
  };
}

/** The Kafka records of one change event: the event, and a tombstone after a delete. */
export function debeziumRecords(e: ChangeEvent, options: { readonly topicPrefix: string; readonly schemas: boolean }): KafkaRecord[] {
  const topic = topicOf(options.topicPrefix, e);
  const keyPayload = rowPayload(e.key);
  const key =
    e.key === null
      ? null
      : JSON.stringify(options.schemas ? { schema: { ...structSchema(`${topic}.Key`, [e.key]), optional: false }, payload: keyPayload } : keyPayload);
  const payload = {
    before: rowPayload(e.before),
    after: rowPayload(e.after),
    source: sourceBlock(options.topicPrefix, e),
    op: e.op,
    ts_ms: Date.now(),
    transaction: null,
  };
  let value: string;
  if (options.schemas) {
    const row = (field: string) => structSchema(`${topic}.Value`, [e.after, e.before], field);
    const schema = {
      type: 'struct',
      optional: false,
      name: `${topic}.Envelope`,
      version: 1,
      fields: [
        row('before'),
        row('after'),
        { type: 'struct', optional: false, name: 'io.debezium.connector.postgresql.Source', field: 'source', fields: SOURCE_FIELDS },
        { type: 'string', optional: false, field: 'op' },
        { type: 'int64', optional: true, field: 'ts_ms' },
        {
          type: 'struct',
          optional: true,
          name: 'event.block',
          version: 1,
          field: 'transaction',
          fields: [
            { type: 'string', optional: false, field: 'id' },
            { type: 'int64', optional: false, field: 'total_order' },
            { type: 'int64', optional: false, field: 'data_collection_order' },
          ],
        },
      ],
    };
    value = JSON.stringify({ schema, payload });
  } else value = JSON.stringify(payload);
  const records: KafkaRecord[] = [{ topic, key, value }];
  if (e.op === 'd') records.push({ topic, key, value: null });
  return records;
}
