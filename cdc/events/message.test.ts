import { describe, expect, it } from 'vitest';
import { CdcDecodeError } from '../errors.js';
import { UNAVAILABLE, type ChangeEvent, type DecodedMessage } from '../model.js';
import { decodeMessage, type KafkaMessage } from './message.js';
import { formatJsonLine, toJsonLine } from './normalize.js';

const TOPIC = 'shop.public.orders';
const PLACEHOLDER_B64 = Buffer.from('__debezium_unavailable_value').toString('base64');

const rowSchema = (field: string) => ({
  type: 'struct',
  optional: true,
  name: 'shop.public.orders.Value',
  field,
  fields: [
    { field: 'id', type: 'int64' },
    { field: 'price', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2', 'connect.decimal.precision': '10' } },
    { field: 'placed_at', type: 'int64', name: 'io.debezium.time.MicroTimestamp', optional: true },
    { field: 'paid_at', type: 'string', name: 'io.debezium.time.ZonedTimestamp', optional: true },
    { field: 'note', type: 'string', optional: true },
    { field: 'blob', type: 'bytes', optional: true },
    { field: 'status', type: 'string', name: 'io.debezium.data.Enum', parameters: { allowed: 'new,paid' } },
  ],
});

const envelopeSchema = {
  type: 'struct',
  name: 'shop.public.orders.Envelope',
  fields: [
    rowSchema('before'),
    rowSchema('after'),
    {
      field: 'source',
      type: 'struct',
      name: 'io.debezium.connector.postgresql.Source',
      fields: [
        { field: 'db', type: 'string' },
        { field: 'schema', type: 'string' },
        { field: 'table', type: 'string' },
        { field: 'ts_ms', type: 'int64' },
        { field: 'snapshot', type: 'string', optional: true, name: 'io.debezium.data.Enum', parameters: { allowed: 'true,first,last,false,incremental' } },
        { field: 'lsn', type: 'int64', optional: true },
      ],
    },
    { field: 'op', type: 'string' },
    { field: 'ts_ms', type: 'int64', optional: true },
    {
      field: 'transaction',
      type: 'struct',
      optional: true,
      fields: [
        { field: 'id', type: 'string' },
        { field: 'total_order', type: 'int64' },
        { field: 'data_collection_order', type: 'int64' },
      ],
    },
  ],
};

const keySchema = { type: 'struct', name: 'shop.public.orders.Key', fields: [{ field: 'id', type: 'int64' }] };

function msg(
  value: string | Buffer | null,
  key: string | Buffer | null = `{"schema": ${JSON.stringify(keySchema)}, "payload": {"id": 9007199254740993}}`,
  topic = TOPIC,
): KafkaMessage {
  return { topic, partition: 3, offset: '1234', key, value };
}

// Written as text so 9007199254740993 reaches the decoder exactly (JSON.stringify would round it).
const updateText = `{"schema": ${JSON.stringify(envelopeSchema)}, "payload": {
  "before": null,
  "after": {"id": 9007199254740993, "price": "${Buffer.from([0xfb, 0x2e]).toString('base64')}", "placed_at": -1,
            "paid_at": "2024-03-01T10:15:30.123456+02:00", "note": "__debezium_unavailable_value", "blob": "${PLACEHOLDER_B64}", "status": "paid"},
  "source": {"db": "shop", "schema": "public", "table": "orders", "ts_ms": 1700000000000, "snapshot": "false", "lsn": 123456789012345678},
  "op": "u", "ts_ms": 1700000000005,
  "transaction": {"id": "571:53195829", "total_order": 2, "data_collection_order": 1}}}`;

function change(d: DecodedMessage): ChangeEvent {
  if (d.kind !== 'change') throw new Error(`expected a change, got ${d.kind}`);
  return d.event;
}

function decodeError(m: KafkaMessage): CdcDecodeError {
  try {
    decodeMessage(m);
  } catch (e) {
    if (e instanceof CdcDecodeError) return e;
    throw e;
  }
  throw new Error('expected a CdcDecodeError');
}

describe('decodeMessage: change events with schemas', () => {
  it('decodes an update with typed columns, key from its own schema and transaction block', () => {
    const e = change(decodeMessage(msg(updateText)));
    expect(e).toMatchObject({ op: 'u', db: 'shop', schema: 'public', table: 'orders', tsMs: 1700000000000, snapshot: false });
    expect(e.key).toEqual({ id: '9007199254740993' });
    // REPLICA IDENTITY DEFAULT: no before image for an update.
    expect(e.before).toBeNull();
    expect(e.after).toEqual({
      id: '9007199254740993',
      price: '-12.34',
      placed_at: '1969-12-31T23:59:59.999999',
      paid_at: '2024-03-01T08:15:30.123456Z',
      note: UNAVAILABLE,
      blob: UNAVAILABLE,
      status: 'paid',
    });
    expect(e.transaction).toEqual({ id: '571:53195829', totalOrder: 2, dataCollectionOrder: 1 });
    expect(e.position).toEqual({ kind: 'kafka', topic: TOPIC, partition: 3, offset: '1234' });
  });

  it('accepts Buffers for key and value', () => {
    const e = change(decodeMessage(msg(Buffer.from(updateText), Buffer.from('{"id": 5}'))));
    expect(e.key).toEqual({ id: 5 });
  });

  it('reads every snapshot marker, boolean or string', () => {
    const withSnapshot = (s: unknown) =>
      change(decodeMessage(msg(JSON.stringify({ op: 'r', before: null, after: { id: 1 }, source: { db: 'd', table: 't', snapshot: s } }), null))).snapshot;
    expect(withSnapshot(true)).toBe('true');
    expect(withSnapshot(false)).toBe(false);
    expect(withSnapshot(null)).toBe(false);
    expect(withSnapshot(undefined)).toBe(false);
    for (const s of ['true', 'first', 'last', 'incremental', 'first_in_data_collection', 'last_in_data_collection']) expect(withSnapshot(s)).toBe(s);
    expect(withSnapshot('false')).toBe(false);
  });

  it("keeps a delete's before null under REPLICA IDENTITY NOTHING, and its key", () => {
    const e = change(
      decodeMessage(msg(JSON.stringify({ op: 'd', before: null, after: null, source: { db: 'shop', schema: 'public', table: 'orders' } }), '{"id": 7}')),
    );
    expect(e).toMatchObject({ op: 'd', before: null, after: null, key: { id: 7 } });
  });

  it('decodes truncate (no key) and logical messages', () => {
    expect(change(decodeMessage(msg(JSON.stringify({ op: 't', source: { db: 'shop', schema: 'public', table: 'orders' } }), null)))).toMatchObject({
      op: 't',
      table: 'orders',
      key: null,
    });
    const m = change(
      decodeMessage(
        msg(JSON.stringify({ op: 'm', source: { db: 'shop', schema: '', table: '' }, message: { prefix: 'foo', content: 'Ymfy' } }), '{"prefix":"foo"}'),
      ),
    );
    expect(m.message).toEqual({ prefix: 'foo', content: 'Ymfy' });
  });

  it('takes the table from the topic when source has none', () => {
    expect(change(decodeMessage(msg(JSON.stringify({ op: 'c', after: { id: 1 }, source: { db: 'shop' } }), null))).table).toBe('orders');
  });
});

describe('decodeMessage: without schemas (bare payload)', () => {
  it('infers types: integers exact, everything else as its JSON', () => {
    const e = change(
      decodeMessage(
        msg(
          '{"op":"c","before":null,"after":{"id":9007199254740993,"n":42,"price":"BNI=","f":1.5,"t":"__debezium_unavailable_value"},"source":{"db":"shop","table":"orders"}}',
          null,
        ),
      ),
    );
    expect(e.after).toEqual({ id: '9007199254740993', n: 42, price: 'BNI=', f: 1.5, t: UNAVAILABLE });
  });

  it("treats the docs' empty `schema: {}` as no schema", () => {
    const e = change(decodeMessage(msg('{"schema":{},"payload":{"op":"c","after":{"id":1},"source":{"table":"orders"}}}', null)));
    expect(e.after).toEqual({ id: 1 });
  });
});

describe('decodeMessage: control messages', () => {
  it('tombstones: null, empty and {schema: null, payload: null} values, with the key', () => {
    for (const value of [null, '', Buffer.alloc(0), '{"schema":null,"payload":null}']) {
      expect(decodeMessage(msg(value, '{"id":1}'))).toEqual({
        kind: 'tombstone',
        key: { id: 1 },
        position: { kind: 'kafka', topic: TOPIC, partition: 3, offset: '1234' },
      });
    }
  });

  it('heartbeats by topic and by schema name', () => {
    expect(decodeMessage(msg('{"ts_ms":1700000000000}', '{"serverName":"shop"}', '__debezium-heartbeat.shop'))).toMatchObject({
      kind: 'heartbeat',
      tsMs: 1700000000000,
    });
    const hb = JSON.stringify({
      schema: { type: 'struct', name: 'io.debezium.connector.common.Heartbeat', fields: [{ field: 'ts_ms', type: 'int64' }] },
      payload: { ts_ms: 5 },
    });
    expect(decodeMessage(msg(hb, null, 'custom-beat'))).toMatchObject({ kind: 'heartbeat', tsMs: 5 });
    expect(decodeMessage({ topic: '__debezium-heartbeat.shop', partition: 0, offset: 1, key: null, value: null })).toMatchObject({ kind: 'heartbeat' });
  });

  it('transaction BEGIN and END with counts', () => {
    expect(decodeMessage(msg('{"status":"BEGIN","id":"571:1","ts_ms":1,"event_count":null,"data_collections":null}', null, 'shop.transaction'))).toEqual({
      kind: 'transaction',
      status: 'BEGIN',
      id: '571:1',
      tsMs: 1,
      position: { kind: 'kafka', topic: 'shop.transaction', partition: 3, offset: '1234' },
    });
    expect(
      decodeMessage(
        msg('{"status":"END","id":"571:1","ts_ms":2,"event_count":3,"data_collections":[{"data_collection":"public.orders","event_count":3}]}', null),
      ),
    ).toMatchObject({
      kind: 'transaction',
      status: 'END',
      eventCount: 3,
      dataCollections: [{ dataCollection: 'public.orders', eventCount: 3 }],
    });
  });

  it('schema changes', () => {
    const d = decodeMessage(
      msg(
        '{"source":{"db":"inventory","ts_ms":9},"databaseName":"inventory","schemaName":null,"ddl":"DROP TABLE x","tableChanges":[]}',
        '{"databaseName":"inventory"}',
        'shop',
      ),
    );
    expect(d).toMatchObject({ kind: 'schema-change', ddl: 'DROP TABLE x', db: 'inventory', schema: null, tableChanges: [], tsMs: 9 });
  });
});

describe('decodeMessage: errors', () => {
  it('names topic, partition, offset and field path; code per problem; never retriable', () => {
    const bad = updateText.replace(Buffer.from([0xfb, 0x2e]).toString('base64'), 'not base64!');
    const e = decodeError(msg(bad));
    expect(e.code).toBe('CDC_DECODE_VALUE');
    expect(e.retriable).toBe(false);
    expect(e.path).toBe('value.payload.after.price');
    expect(e.message).toContain(TOPIC);
    expect(e.message).toContain('partition 3');
    expect(e.message).toContain('offset 1234');
    expect(e.message).toContain('value.payload.after.price');
    expect(e.details).toMatchObject({ topic: TOPIC, partition: 3, offset: '1234', path: 'value.payload.after.price' });
  });

  it('uses CDC_DECODE_JSON, CDC_DECODE_ENVELOPE, CDC_DECODE_SCHEMA and CDC_DECODE', () => {
    expect(decodeError(msg('{not json')).code).toBe('CDC_DECODE_JSON');
    expect(decodeError(msg('{"op":"c","after":{}}', '{bad key')).code).toBe('CDC_DECODE_JSON');
    expect(decodeError(msg('{"op":"x","after":{},"source":{"table":"t"}}', null)).code).toBe('CDC_DECODE_ENVELOPE');
    expect(decodeError(msg('{"op":"c","after":null,"source":{"table":"t"}}', null)).code).toBe('CDC_DECODE_ENVELOPE');
    expect(decodeError(msg('{"op":"u","after":[1],"source":{"table":"t"}}', null)).code).toBe('CDC_DECODE_ENVELOPE');
    expect(decodeError(msg('{"op":"r","after":{},"source":{"table":"t","snapshot":7}}', null)).code).toBe('CDC_DECODE_ENVELOPE');
    expect(decodeError(msg('{"schema":{"type":"structure"},"payload":{"op":"c"}}', null)).code).toBe('CDC_DECODE_SCHEMA');
    expect(decodeError(msg('{"id": 1}', null)).code).toBe('CDC_DECODE');
    expect(decodeError(msg('[1, 2]', null)).code).toBe('CDC_DECODE');
  });
});

describe('normalized JSON line', () => {
  it('prints exact strings, ISO times, base64 bytes and the $unavailable marker', () => {
    const line = JSON.parse(formatJsonLine(decodeMessage(msg(updateText)))) as Record<string, unknown>;
    expect(line).toEqual({
      op: 'u',
      table: 'orders',
      schema: 'public',
      db: 'shop',
      key: { id: '9007199254740993' },
      before: null,
      after: {
        id: '9007199254740993',
        price: '-12.34',
        placed_at: '1969-12-31T23:59:59.999999',
        paid_at: '2024-03-01T08:15:30.123456Z',
        note: { $unavailable: true },
        blob: { $unavailable: true },
        status: 'paid',
      },
      ts_ms: 1700000000000,
      position: { kind: 'kafka', topic: TOPIC, partition: 3, offset: '1234' },
      transaction: { id: '571:53195829', total_order: 2, data_collection_order: 1 },
    });
  });

  it('keeps the marker distinguishable: data keys starting with $ are escaped; Buffers are base64', () => {
    const schema = {
      type: 'struct',
      fields: [
        {
          field: 'after',
          type: 'struct',
          fields: [
            { field: 'j', type: 'string', name: 'io.debezium.data.Json' },
            { field: 'b', type: 'bytes' },
          ],
        },
        { field: 'op', type: 'string' },
        {
          field: 'source',
          type: 'struct',
          fields: [
            { field: 'table', type: 'string' },
            { field: 'snapshot', type: 'string' },
          ],
        },
      ],
    };
    const value = JSON.stringify({ schema, payload: { op: 'r', after: { j: '{"$unavailable":true}', b: 'AAE=' }, source: { table: 't', snapshot: 'last' } } });
    const line = toJsonLine(decodeMessage(msg(value, null)));
    expect(line.after).toEqual({ j: { $$unavailable: true }, b: 'AAE=' });
    expect(line.snapshot).toBe('last');
  });

  it('prints control messages with their kind', () => {
    expect(toJsonLine(decodeMessage(msg(null, '{"id":1}')))).toEqual({
      kind: 'tombstone',
      key: { id: 1 },
      position: { kind: 'kafka', topic: TOPIC, partition: 3, offset: '1234' },
    });
    expect(
      toJsonLine(
        decodeMessage(msg('{"status":"END","id":"9","ts_ms":2,"event_count":1,"data_collections":[{"data_collection":"a.b","event_count":1}]}', null)),
      ),
    ).toMatchObject({
      kind: 'transaction',
      status: 'END',
      id: '9',
      event_count: 1,
      data_collections: [{ data_collection: 'a.b', event_count: 1 }],
    });
    expect(toJsonLine(decodeMessage(msg('{"ts_ms":3}', null, '__debezium-heartbeat.shop')))).toMatchObject({ kind: 'heartbeat', ts_ms: 3 });
    expect(toJsonLine(decodeMessage(msg('{"ddl":"DROP TABLE x","databaseName":"d","tableChanges":[]}', null)))).toMatchObject({
      kind: 'schema-change',
      ddl: 'DROP TABLE x',
      db: 'd',
      table_changes: [],
    });
  });
});
