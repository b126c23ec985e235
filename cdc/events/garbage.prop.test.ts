// Bad input to the Debezium decoder, tried systematically with a fixed seed: random bytes, random
// JSON, envelope-shaped JSON with random members, random Connect schemas, and valid messages
// with one member broken. Each either decodes or throws a CdcDecodeError with a CDC_DECODE* code,
// `retriable: false`, the message's position and a field path — never a TypeError, RangeError or
// a stack overflow, so the pipeline can always dead-letter it with a reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdcDecodeError, CdcErrorCode } from '../errors.js';
import { MAX_NESTING } from './json.js';
import { CONNECT_TYPES } from './schema.js';
import { decodeKey, decodeMessage, type KafkaMessage } from './message.js';
import { formatJsonLine } from './normalize.js';

const RUN = { seed: 0x6a5ba6e, numRuns: 200 } as const;
const CODES = new Set<string>(Object.values(CdcErrorCode));

/** Decodes `m`; a decode error must be a well-formed CdcDecodeError, anything else fails the property. */
function decodeOrRefuse(m: KafkaMessage): 'decoded' | string {
  try {
    const d = decodeMessage(m);
    // Whatever decoded also prints (the `ficus cdc decode` line).
    expect(typeof formatJsonLine(d)).toBe('string');
    return 'decoded';
  } catch (err) {
    if (!(err instanceof CdcDecodeError)) throw err;
    expect(CODES.has(err.code)).toBe(true);
    expect(err.retriable).toBe(false);
    expect(err.position).toEqual({ kind: 'kafka', topic: m.topic, partition: m.partition, offset: String(m.offset) });
    expect(err.path).toMatch(/^(key|value)/);
    expect(err.details).toMatchObject({ topic: m.topic, partition: m.partition, offset: String(m.offset), path: err.path });
    expect(err.message).toContain(`topic "${m.topic}"`);
    return err.code;
  }
}

const topic = fc.constantFrom('shop.public.orders', 'shop', 'shop.transaction', '__debezium-heartbeat.shop', 'x');
const message = (value: KafkaMessage['value'], key: KafkaMessage['key'] = null, t = 'shop.public.orders'): KafkaMessage => ({
  topic: t,
  partition: 2,
  offset: '77',
  key,
  value,
});

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    'AA==',
    'not base64!',
    '__debezium_unavailable_value',
    '',
    'NaN',
    '2024-13-45T99:99:99Z',
    '9223372036854775808',
    -1,
    1.5,
    1e300,
    true,
    [],
    {},
  ),
);
const types = [
  ...CONNECT_TYPES,
  'structure',
  'decimal',
  '',
  7,
  null,
];
const names = [
  'org.apache.kafka.connect.data.Decimal',
  'io.debezium.data.VariableScaleDecimal',
  'io.debezium.time.Date',
  'io.debezium.time.Time',
  'io.debezium.time.MicroTime',
  'io.debezium.time.NanoTime',
  'io.debezium.time.Timestamp',
  'io.debezium.time.MicroTimestamp',
  'io.debezium.time.NanoTimestamp',
  'io.debezium.time.ZonedTimestamp',
  'io.debezium.data.Json',
  'io.debezium.data.Uuid',
  'io.debezium.data.Enum',
  'io.debezium.data.EnumSet',
  'io.debezium.data.geometry.Point',
  'io.debezium.connector.common.Heartbeat',
  'io.debezium.connector.common.TransactionMetadataValue',
  'x.SchemaChangeValue',
  42,
];
/** Random Connect schemas, nested a little, valid or not. */
const { schema: schemaArb } = fc.letrec<{ schema: unknown }>((tie) => ({
  schema: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    junkValue,
    fc.record(
      {
        type: fc.constantFrom(...types),
        name: fc.constantFrom(...names),
        optional: fc.boolean(),
        parameters: fc.oneof(fc.record({ scale: fc.oneof(fc.constantFrom('2', '-3', 'x', '1e3', ''), fc.integer()) }), junkValue),
        field: fc.oneof(fc.constantFrom('before', 'after', 'op', 'source', 'id', '__proto__'), junkValue),
        fields: fc.oneof(fc.array(tie('schema'), { maxLength: 4 }), junkValue),
        items: tie('schema'),
        keys: tie('schema'),
        values: tie('schema'),
        default: junkValue,
      },
      { requiredKeys: ['type'] },
    ),
  ),
}));

const envelopeLike = fc.record(
  {
    op: fc.oneof(fc.constantFrom('c', 'u', 'd', 'r', 't', 'm', 'x', ''), junkValue),
    before: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), junkValue, { maxKeys: 3 }), junkValue),
    after: fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), junkValue, { maxKeys: 3 }), junkValue),
    source: fc.oneof(
      fc.record(
        { db: junkValue, schema: junkValue, table: junkValue, ts_ms: junkValue, ts_sec: junkValue, snapshot: junkValue, collection: junkValue },
        { requiredKeys: [] },
      ),
      junkValue,
    ),
    ts_ms: junkValue,
    transaction: fc.oneof(fc.record({ id: junkValue, total_order: junkValue, data_collection_order: junkValue }, { requiredKeys: [] }), junkValue),
    message: junkValue,
    status: fc.oneof(fc.constantFrom('BEGIN', 'END'), junkValue),
    id: junkValue,
    event_count: junkValue,
    data_collections: fc.oneof(fc.array(fc.record({ data_collection: junkValue, event_count: junkValue }, { requiredKeys: [] }), { maxLength: 2 }), junkValue),
    ddl: junkValue,
    tableChanges: junkValue,
    databaseName: junkValue,
  },
  { requiredKeys: [] },
);

describe('decodeMessage: garbage in, a CdcDecodeError out', () => {
  it('random bytes and random text as key and value', () => {
    const data = fc.oneof(
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(topic, data, data, (t, key, value) => {
        decodeOrRefuse(message(value, key, t));
      }),
      RUN,
    );
  });

  it('any JSON value, bare or in a {schema, payload} wrapper with a random schema', () => {
    fc.assert(
      fc.property(
        topic,
        fc.jsonValue({ maxDepth: 4 }),
        schemaArb,
        fc.boolean(),
        fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }),
        (t, payload, schema, wrap, key) => {
          const value = wrap ? JSON.stringify({ schema, payload }) : JSON.stringify(payload);
          decodeOrRefuse(message(value ?? null, key === undefined ? null : (JSON.stringify(key) ?? null), t));
        },
      ),
      RUN,
    );
  });

  it('envelope-shaped objects with members of random types', () => {
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(topic, envelopeLike, schemaArb, fc.boolean(), (t, env, schema, wrap) => {
        const value = JSON.stringify(wrap ? { schema, payload: env } : env);
        const got = decodeOrRefuse(message(value, null, t));
        codes.set(got, (codes.get(got) ?? 0) + 1);
      }),
      RUN,
    );
    // The generator reaches both outcomes and several distinct codes.
    expect(codes.get('decoded') ?? 0).toBeGreaterThan(0);
    expect([...codes.keys()].filter((c) => c !== 'decoded').length).toBeGreaterThanOrEqual(3);
  });

  it('a valid typed message with one member replaced by junk', () => {
    const fields = [
      { field: 'id', type: 'int64' },
      { field: 'price', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } },
      { field: 'day', type: 'int32', name: 'io.debezium.time.Date' },
      { field: 'at', type: 'int64', name: 'io.debezium.time.MicroTimestamp' },
      { field: 'paid', type: 'string', name: 'io.debezium.time.ZonedTimestamp' },
      { field: 'doc', type: 'string', name: 'io.debezium.data.Json' },
      { field: 'tags', type: 'array', items: { type: 'string' } },
      { field: 'n', type: 'int16' },
    ];
    const after: Record<string, unknown> = {
      id: 1,
      price: 'BNI=',
      day: 19723,
      at: 1_700_000_000_000_000,
      paid: '2024-03-01T10:15:30+02:00',
      doc: '{"a":1}',
      tags: ['x'],
      n: 7,
    };
    const valueSchema = {
      type: 'struct',
      fields: [
        { field: 'before', type: 'struct', optional: true, fields },
        { field: 'after', type: 'struct', optional: true, fields },
        { field: 'op', type: 'string' },
        { field: 'source', type: 'struct', fields: [{ field: 'table', type: 'string' }] },
      ],
    };
    const ok = JSON.stringify({ schema: valueSchema, payload: { before: null, after, op: 'c', source: { table: 'orders' } } });
    expect(decodeOrRefuse(message(ok))).toBe('decoded');
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(after)), junkValue, (name, junk) => {
        const broken = JSON.stringify({
          schema: valueSchema,
          payload: { before: null, after: { ...after, [name]: junk }, op: 'c', source: { table: 'orders' } },
        });
        const got = decodeOrRefuse(message(broken));
        // A Json column whose text is not JSON says so; every other column is a bad value.
        if (got !== 'decoded') expect(got).toBe(name === 'doc' && typeof junk === 'string' ? 'CDC_DECODE_JSON' : 'CDC_DECODE_VALUE');
      }),
      RUN,
    );
  });

  it('hostile nesting (deep arrays, long strings) is refused or decoded, never a crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('[', '{"a":'), (depth, open) => {
        const close = open === '[' ? ']' : '}';
        const deep = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const inRow = decodeOrRefuse(message(`{"op":"c","after":{"v":${deep}},"source":{"table":"t"}}`));
        expect(inRow).toBe(depth + 2 > MAX_NESTING ? 'CDC_DECODE_JSON' : 'decoded');
        decodeOrRefuse(message(deep));
        // The same inside a Json column's text.
        const schema = {
          type: 'struct',
          fields: [
            { field: 'op', type: 'string' },
            { field: 'after', type: 'struct', optional: true, fields: [{ field: 'doc', type: 'string', name: 'io.debezium.data.Json' }] },
            { field: 'source', type: 'struct', fields: [{ field: 'table', type: 'string' }] },
          ],
        };
        const inColumn = decodeOrRefuse(message(JSON.stringify({ schema, payload: { op: 'c', after: { doc: deep }, source: { table: 't' } } })));
        expect(inColumn).toBe(depth > MAX_NESTING ? 'CDC_DECODE_JSON' : 'decoded');
        decodeOrRefuse(message(`{"op":"c","after":{"s":"${'['.repeat(depth)}"},"source":{"table":"t"}}`)); // brackets in a string do not count
      }),
      { ...RUN, numRuns: 20 },
    );
  });

  it('decodeKey: random keys are a row, null, or a CdcDecodeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''),
          fc.string({ unit: 'binary', maxLength: 30 }),
        ),
        (k) => {
          try {
            const row = decodeKey(k);
            expect(row === null || (typeof row === 'object' && !Array.isArray(row))).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(CdcDecodeError);
            expect(CODES.has((err as CdcDecodeError).code)).toBe(true);
          }
        },
      ),
      RUN,
    );
  });
});
