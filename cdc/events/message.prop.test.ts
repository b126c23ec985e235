// Random Debezium envelopes, decoded and compared with an expectation computed independently of
// the decoder: the JSON text is written by hand (so int64 beyond 2^53 reaches the decoder as
// digits), Decimals are encoded here as base64 two's complement from a random BigInt and scale,
// dates and times are expected from JavaScript's Date and BigInt arithmetic. Fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNAVAILABLE, type CdcValue, type ChangeEvent, type Op } from '../model.js';
import { createMessageDecoder, decodeMessage } from './message.js';
import { formatJsonLine } from './normalize.js';

const RUN = { seed: 0xdeb321, numRuns: 150 } as const;

/** One column: its Connect field schema, its payload as JSON text, and what it must decode to. */
interface Column {
  readonly schema: Record<string, unknown>;
  readonly raw: string;
  readonly expected: CdcValue;
}

const col = (schema: Record<string, unknown>, raw: string, expected: CdcValue): Column => ({ schema, raw, expected });
const named = (type: string, name: string, parameters?: Record<string, string>) => ({ type, name, ...(parameters && { parameters }) });

/** Big-endian two's complement, the fewest bytes (Java's BigInteger.toByteArray), plus `pad` sign-extension bytes. */
function twosComplement(n: bigint, pad: number): Buffer {
  let len = 1;
  while (n < -(1n << BigInt(8 * len - 1)) || n >= 1n << BigInt(8 * len - 1)) len++;
  const total = len + pad;
  let u = n < 0n ? (1n << BigInt(8 * total)) + n : n;
  const out = Buffer.alloc(total);
  for (let i = total - 1; i >= 0; i--) {
    out[i] = Number(u & 0xffn);
    u >>= 8n;
  }
  return out;
}

/** unscaled × 10^-scale as text with exactly `scale` fraction digits, by integer division. */
function decimalText(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const abs = neg ? -unscaled : unscaled;
  const p = 10n ** BigInt(scale);
  const whole = (abs / p).toString();
  const frac = scale === 0 ? '' : `.${(abs % p).toString().padStart(scale, '0')}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const mod = (a: bigint, b: bigint): bigint => ((a % b) + b) % b;

/** ns since the epoch → 'YYYY-MM-DDTHH:MM:SS.ffffff[fff]' via Date for the milliseconds. */
function localTimestamp(ns: bigint): string {
  const ms = floorDiv(ns, 1_000_000n);
  const iso = new Date(Number(ms)).toISOString(); // …T12:34:56.789Z, expanded years as ±YYYYYY
  const subMs = mod(ns, 1_000_000n);
  const tail = subMs % 1000n === 0n ? (subMs / 1000n).toString().padStart(3, '0') : subMs.toString().padStart(6, '0');
  return `${iso.slice(0, -1)}${tail}`;
}

/** ns since midnight → 'HH:MM:SS.ffffff[fff]'. */
function timeOfDay(ns: bigint): string {
  if (ns === 86_400_000_000_000n) return '24:00:00.000000';
  return localTimestamp(ns).slice(11);
}

/** What a parsed JSON value decodes to without a schema: integers beyond 2^53 (1e+21 too) stay their exact text. */
function exactJson(v: unknown): CdcValue {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) ? JSON.stringify(v) : v;
  if (Array.isArray(v)) return v.map(exactJson);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, CdcValue> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: exactJson(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v as CdcValue;
}

const DAY_NS = 86_400_000_000_000n;
const MAX_MS = 8_640_000_000_000_000n / 2n; // well inside Date's range

const bigIntIn = (min: bigint, max: bigint) => fc.bigInt({ min, max });
const int64 = fc.oneof(
  bigIntIn(-(2n ** 63n), 2n ** 63n - 1n),
  bigIntIn(-(2n ** 53n) - 5n, 2n ** 53n + 5n),
  fc.constantFrom(2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n),
);
const exact = (n: bigint): number | string => (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString());

const column: fc.Arbitrary<Column> = fc.oneof(
  fc.integer({ min: -128, max: 127 }).map((n) => col({ type: 'int8' }, String(n), n)),
  fc.integer({ min: -32768, max: 32767 }).map((n) => col({ type: 'int16' }, String(n), n)),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => col({ type: 'int32' }, String(n), n)),
  int64.map((n) => col({ type: 'int64' }, n.toString(), exact(n))),
  fc
    .tuple(fc.oneof(bigIntIn(-(10n ** 40n), 10n ** 40n), bigIntIn(-300n, 300n)), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 2 }))
    .map(([n, scale, pad]) =>
      col(
        named('bytes', 'org.apache.kafka.connect.data.Decimal', { scale: String(scale), 'connect.decimal.precision': '64' }),
        JSON.stringify(twosComplement(n, pad).toString('base64')),
        decimalText(n, scale),
      ),
    ),
  // decimal.format=NUMERIC: a JSON number with the digits, kept exact.
  fc
    .tuple(bigIntIn(-(10n ** 30n), 10n ** 30n), fc.integer({ min: 0, max: 12 }))
    .map(([n, scale]) => col(named('bytes', 'org.apache.kafka.connect.data.Decimal', { scale: String(scale) }), decimalText(n, scale), decimalText(n, scale))),
  fc.tuple(bigIntIn(-(10n ** 25n), 10n ** 25n), fc.integer({ min: 0, max: 20 })).map(([n, scale]) =>
    col(
      {
        ...named('struct', 'io.debezium.data.VariableScaleDecimal'),
        fields: [
          { field: 'scale', type: 'int32' },
          { field: 'value', type: 'bytes' },
        ],
      },
      JSON.stringify({ scale, value: twosComplement(n, 0).toString('base64') }),
      decimalText(n, scale),
    ),
  ),
  fc
    .integer({ min: -3_000_000, max: 3_000_000 })
    .map((d) => col(named('int32', 'io.debezium.time.Date'), String(d), new Date(d * 86_400_000).toISOString().split('T')[0]!)),
  fc.integer({ min: 0, max: 86_400_000 }).map((ms) => col(named('int32', 'io.debezium.time.Time'), String(ms), timeOfDay(BigInt(ms) * 1_000_000n))),
  bigIntIn(0n, 86_400_000_000n).map((us) => col(named('int64', 'io.debezium.time.MicroTime'), us.toString(), timeOfDay(us * 1000n))),
  bigIntIn(0n, DAY_NS).map((ns) => col(named('int64', 'io.debezium.time.NanoTime'), ns.toString(), timeOfDay(ns))),
  bigIntIn(-MAX_MS, MAX_MS).map((ms) => col(named('int64', 'io.debezium.time.Timestamp'), ms.toString(), localTimestamp(ms * 1_000_000n))),
  bigIntIn(-MAX_MS * 1000n, MAX_MS * 1000n).map((us) => col(named('int64', 'io.debezium.time.MicroTimestamp'), us.toString(), localTimestamp(us * 1000n))),
  bigIntIn(-(2n ** 63n), 2n ** 63n - 1n).map((ns) => col(named('int64', 'io.debezium.time.NanoTimestamp'), ns.toString(), localTimestamp(ns))),
  fc
    .tuple(fc.integer({ min: -62_000_000_000_000, max: 253_000_000_000_000 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: -14 * 60, max: 14 * 60 }))
    .map(([ms, us, offMin]) => {
      const local = new Date(ms + offMin * 60_000).toISOString().slice(0, -1); // YYYY-MM-DDTHH:MM:SS.mmm
      const sign = offMin < 0 ? '-' : '+';
      const off = `${sign}${String(Math.floor(Math.abs(offMin) / 60)).padStart(2, '0')}:${String(Math.abs(offMin) % 60).padStart(2, '0')}`;
      const text = `${local}${String(us).padStart(3, '0')}${off}`;
      return col(
        named('string', 'io.debezium.time.ZonedTimestamp'),
        JSON.stringify(text),
        `${new Date(ms).toISOString().slice(0, -1)}${String(us).padStart(3, '0')}Z`,
      );
    }),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(JSON.parse('{"__proto__":{"polluted":1},"a":[{"__proto__":2}]}') as unknown)).map((v) => {
    const text = JSON.stringify(v) ?? 'null';
    return col(named('string', 'io.debezium.data.Json'), JSON.stringify(text), exactJson(JSON.parse(text)));
  }),
  fc.uuid().map((u) => col(named('string', 'io.debezium.data.Uuid'), JSON.stringify(u), u)),
  fc.constantFrom('new', 'paid', 'shipped').map((e) => col(named('string', 'io.debezium.data.Enum', { allowed: 'new,paid,shipped' }), JSON.stringify(e), e)),
  fc.subarray(['a', 'b', 'c', 'd']).map((xs) => col(named('string', 'io.debezium.data.EnumSet', { allowed: 'a,b,c,d' }), JSON.stringify(xs.join(',')), xs)),
  fc.boolean().map((b) => col({ type: 'boolean' }, String(b), b)),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => col({ type: 'string' }, JSON.stringify(s), s)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => col({ type: 'double' }, JSON.stringify(x), Object.is(x, -0) ? 0 : x)),
  fc.constantFrom('NaN', 'Infinity', '-Infinity').map((x) => col({ type: 'float64' }, JSON.stringify(x), Number(x))),
  fc.uint8Array({ maxLength: 24 }).map((b) => col({ type: 'bytes' }, JSON.stringify(Buffer.from(b).toString('base64')), Buffer.from(b))),
  fc.constant(col({ type: 'string', optional: true }, '"__debezium_unavailable_value"', UNAVAILABLE)),
  fc.constant(col({ type: 'int64', optional: true }, 'null', null)),
  fc.array(int64, { maxLength: 4 }).map((xs) => col({ type: 'array', items: { type: 'int64' } }, `[${xs.join(',')}]`, xs.map(exact))),
  fc
    .dictionary(fc.oneof(fc.stringMatching(/^[a-z]{1,6}$/), fc.constant('__proto__')), fc.integer(), { maxKeys: 3 })
    .map((m) => col({ type: 'map', keys: { type: 'string' }, values: { type: 'int32' } }, JSON.stringify(m), exactJson(JSON.parse(JSON.stringify(m))))),
);

// `__proto__` is a valid Postgres column name (and a JSON member name): it must stay a member.
const columnName = fc.oneof({ weight: 6, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/) }, { weight: 1, arbitrary: fc.constant('__proto__') });
const row = fc.uniqueArray(fc.tuple(columnName, column), { minLength: 1, maxLength: 8, selector: ([name]) => name });

const rowSchema = (field: string, cols: readonly [string, Column][]) => ({
  type: 'struct',
  optional: true,
  name: 'shop.public.orders.Value',
  field,
  fields: cols.map(([name, c]) => ({ ...c.schema, field: name })),
});
const rowText = (cols: readonly [string, Column][]): string => `{${cols.map(([name, c]) => `${JSON.stringify(name)}:${c.raw}`).join(',')}}`;
const rowExpected = (cols: readonly [string, Column][]): Record<string, CdcValue> => Object.fromEntries(cols.map(([name, c]) => [name, c.expected]));

const envelopeArb = fc.record({
  op: fc.constantFrom<Op>('c', 'u', 'd', 'r', 't'),
  cols: row,
  beforeOnUpdate: fc.boolean(),
  id: int64,
  keyForm: fc.constantFrom('schema', 'bare', 'none'),
  tsMs: fc.integer({ min: 0, max: 2 ** 45 }),
  txn: fc.option(
    fc.record({ id: fc.stringMatching(/^[0-9]{1,6}:[0-9]{1,9}$/), total: fc.integer({ min: 1, max: 1e6 }), inColl: fc.integer({ min: 1, max: 1e6 }) }),
    { nil: undefined },
  ),
  snapshot: fc.constantFrom('true', 'first', 'last', 'incremental'),
  offset: fc.oneof(
    fc.nat().map(String),
    int64.map((n) => (n < 0n ? -n : n).toString()),
  ),
  partition: fc.nat({ max: 1000 }),
  damage: fc.constantFrom('"op":"x"', '"op":', '"op":"$1","op":null', '"op":"$1"}}', '"op":1e999'),
});

/** What a decode throws, as code + message (undefined when it decodes). */
function errorOf(f: () => unknown): { code: string; message: string } | undefined {
  try {
    f();
    return undefined;
  } catch (err) {
    return { code: (err as { code: string }).code, message: (err as Error).message };
  }
}

describe('decodeMessage: random typed envelopes (schemas.enable=true)', () => {
  const stream = createMessageDecoder();
  it('decodes every op with every documented type to the independently computed values', () => {
    fc.assert(
      fc.property(envelopeArb, (e) => {
        const before = e.op === 'd' || (e.op === 'u' && e.beforeOnUpdate) ? e.cols : null;
        const after = e.op === 'c' || e.op === 'u' || e.op === 'r' ? e.cols : null;
        const schema = {
          type: 'struct',
          name: 'shop.public.orders.Envelope',
          fields: [
            rowSchema('before', e.cols),
            rowSchema('after', e.cols),
            {
              field: 'source',
              type: 'struct',
              fields: ['db', 'schema', 'table', 'snapshot']
                .map((f) => ({ field: f, type: 'string', optional: true }))
                .concat([{ field: 'ts_ms', type: 'int64', optional: false }]),
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
        const snapshot = e.op === 'r' ? e.snapshot : 'false';
        const txn = e.txn ? `{"id":${JSON.stringify(e.txn.id)},"total_order":${e.txn.total},"data_collection_order":${e.txn.inColl}}` : 'null';
        const payload = `{"before":${before ? rowText(before) : 'null'},"after":${after ? rowText(after) : 'null'},"source":{"db":"shop","schema":"public","table":"orders","snapshot":"${snapshot}","ts_ms":${e.tsMs}},"op":"${e.op}","ts_ms":${e.tsMs + 5},"transaction":${txn}}`;
        const keySchema = { type: 'struct', name: 'shop.public.orders.Key', fields: [{ field: 'id', type: 'int64' }] };
        const key =
          e.keyForm === 'none' ? null : e.keyForm === 'schema' ? `{"schema":${JSON.stringify(keySchema)},"payload":{"id":${e.id}}}` : `{"id":${e.id}}`;
        const topic = 'shop.public.orders';
        const value = `{"schema":${JSON.stringify(schema)},"payload":${payload}}`;
        const decoded = decodeMessage({ topic, partition: e.partition, offset: e.offset, key: key === null ? null : Buffer.from(key), value });
        const position = { kind: 'kafka', topic, partition: e.partition, offset: e.offset };
        const expected: ChangeEvent = {
          op: e.op,
          db: 'shop',
          schema: 'public',
          table: 'orders',
          key: key === null ? null : { id: exact(e.id) },
          before: before ? rowExpected(before) : null,
          after: after ? rowExpected(after) : null,
          tsMs: e.tsMs,
          snapshot: snapshot === 'false' ? false : snapshot,
          transaction: e.txn ? { id: e.txn.id, totalOrder: e.txn.total, dataCollectionOrder: e.txn.inColl } : null,
          position: position as ChangeEvent['position'],
        };
        expect(decoded).toEqual({ kind: 'change', event: expected });
        // A stream decoder gives the same, from the whole parse and then from its schema cache;
        // and a payload damaged after the schema gets the error the whole parse gives.
        const msg = { topic, partition: e.partition, offset: e.offset, key: key === null ? null : Buffer.from(key), value: Buffer.from(value) };
        expect(stream.decode(msg)).toEqual(decoded);
        expect(stream.decode(msg)).toEqual(decoded);
        const damaged = { ...msg, value: Buffer.from(value.replace(/"op":"(.)"/, e.damage)) };
        expect(errorOf(() => stream.decode(damaged))).toEqual(errorOf(() => decodeMessage(damaged)));
        // The printed form is one line of JSON for whatever was decoded.
        const line = formatJsonLine(decoded);
        expect(line.includes('\n')).toBe(false);
        const printed = JSON.parse(line) as { op: string; after: Record<string, unknown> | null };
        expect(printed.op).toBe(e.op);
        if (after) expect(Object.keys(printed.after ?? {}).sort()).toEqual(after.map(([name]) => name).sort());
      }),
      RUN,
    );
  });

  it('keeps int64 keys and columns exact beyond 2^53, schema or not', () => {
    fc.assert(
      fc.property(int64, int64, fc.boolean(), (id, v, withSchema) => {
        const body = `{"op":"c","before":null,"after":{"id":${id},"v":${v}},"source":{"table":"orders"}}`;
        const schema = {
          type: 'struct',
          fields: [
            { field: 'op', type: 'string' },
            {
              field: 'before',
              type: 'struct',
              optional: true,
              fields: [
                { field: 'id', type: 'int64' },
                { field: 'v', type: 'int64' },
              ],
            },
            {
              field: 'after',
              type: 'struct',
              optional: true,
              fields: [
                { field: 'id', type: 'int64' },
                { field: 'v', type: 'int64' },
              ],
            },
            { field: 'source', type: 'struct', fields: [{ field: 'table', type: 'string' }] },
          ],
        };
        const value = withSchema ? `{"schema":${JSON.stringify(schema)},"payload":${body}}` : body;
        const d = decodeMessage({ topic: 't.s.orders', partition: 0, offset: 1, key: `{"id":${id}}`, value });
        if (d.kind !== 'change') throw new Error(d.kind);
        expect(d.event.after).toEqual({ id: exact(id), v: exact(v) });
        expect(d.event.key).toEqual({ id: exact(id) });
        const printed = JSON.parse(formatJsonLine(d)) as { after: { v: unknown } };
        expect(String(printed.after.v)).toBe(v.toString());
      }),
      RUN,
    );
  });
});
