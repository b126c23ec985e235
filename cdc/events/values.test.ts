import { describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../model.js';
import { DecodeProblem } from './problem.js';
import { parseJson, UNAVAILABLE_PLACEHOLDER_BASE64 } from './json.js';
import { decodeValue } from './values.js';
import fc from 'fast-check';
import { isLosslessNumber } from 'lossless-json';

/** Decodes `payload` (given as JSON text, so numbers stay lossless) by `schema`. */
const dec = (schema: object, payloadJson: string) => decodeValue(schema, parseJson(payloadJson, 'value'), 'value');

/** Big-endian two's-complement bytes of an unscaled decimal, base64 — as Kafka Connect writes them. */
function unscaled(n: bigint): string {
  let hex = (n < 0n ? (1n << 128n) + n : n).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let buf = Buffer.from(hex, 'hex');
  if (n < 0n) {
    let i = 0;
    while (i < buf.length - 1 && buf[i] === 0xff && (buf[i + 1] as number) >= 0x80) i++;
    buf = buf.subarray(i);
  } else if ((buf[0] as number) >= 0x80) buf = Buffer.concat([Buffer.from([0]), buf]);
  return buf.toString('base64');
}

const decimal = (scale: number) => ({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: String(scale) } });

describe('Decimal', () => {
  it("decodes base64 two's-complement unscaled values with their scale, exactly", () => {
    expect(dec(decimal(2), JSON.stringify(unscaled(1234n)))).toBe('12.34');
    expect(dec(decimal(2), JSON.stringify(unscaled(-1234n)))).toBe('-12.34');
    expect(dec(decimal(2), JSON.stringify(unscaled(-5n)))).toBe('-0.05');
    expect(dec(decimal(3), JSON.stringify(unscaled(-1n)))).toBe('-0.001');
    expect(dec(decimal(2), JSON.stringify(unscaled(1250n)))).toBe('12.50');
    expect(dec(decimal(0), JSON.stringify(unscaled(-128n)))).toBe('-128');
    expect(dec(decimal(0), JSON.stringify(unscaled(128n)))).toBe('128');
    expect(dec(decimal(2), JSON.stringify(unscaled(0n)))).toBe('0.00');
    const big = 123456789012345678901234567890123n;
    expect(dec(decimal(10), JSON.stringify(unscaled(-big)))).toBe('-12345678901234567890123.4567890123');
  });

  it('matches a hand-made byte sequence (0xFB2E = -1234)', () => {
    expect(dec(decimal(2), JSON.stringify(Buffer.from([0xfb, 0x2e]).toString('base64')))).toBe('-12.34');
    expect(dec(decimal(2), JSON.stringify(Buffer.from([0x04, 0xd2]).toString('base64')))).toBe('12.34');
  });

  it('decodes Postgres money, sent as a Decimal with scale 2', () => {
    expect(dec(decimal(2), JSON.stringify(unscaled(-99999n)))).toBe('-999.99');
  });

  it('accepts decimal.format=NUMERIC (a JSON number) without rounding', () => {
    expect(dec(decimal(2), '12345678901234567890.1')).toBe('12345678901234567890.10');
  });

  it('rejects a Decimal that is not base64, and one without a scale', () => {
    expect(() => dec(decimal(2), '"not base64!"')).toThrow(DecodeProblem);
    try {
      dec({ type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal' }, '"AQ=="');
    } catch (e) {
      expect((e as DecodeProblem).code).toBe('CDC_DECODE_SCHEMA');
    }
  });
});

describe('VariableScaleDecimal', () => {
  const vsd = {
    type: 'struct',
    name: 'io.debezium.data.VariableScaleDecimal',
    fields: [
      { field: 'scale', type: 'int32' },
      { field: 'value', type: 'bytes' },
    ],
  };
  it('decodes {scale, value}', () => {
    expect(dec(vsd, JSON.stringify({ scale: 3, value: unscaled(-123456n) }))).toBe('-123.456');
    expect(dec(vsd, JSON.stringify({ scale: 0, value: unscaled(42n) }))).toBe('42');
    expect(dec(vsd, JSON.stringify({ scale: 20, value: unscaled(1n) }))).toBe('0.00000000000000000001');
  });
});

describe('integers', () => {
  it('keeps int64 beyond 2^53 exact as a string, safe ones as numbers', () => {
    expect(dec({ type: 'int64' }, '9007199254740993')).toBe('9007199254740993');
    expect(dec({ type: 'int64' }, '-9223372036854775808')).toBe('-9223372036854775808');
    expect(dec({ type: 'int64' }, '9223372036854775807')).toBe('9223372036854775807');
    expect(dec({ type: 'int64' }, '9007199254740991')).toBe(9007199254740991);
    expect(dec({ type: 'int32' }, '-7')).toBe(-7);
  });
  it('rejects out-of-range and non-integer values', () => {
    expect(() => dec({ type: 'int64' }, '9223372036854775808')).toThrow(DecodeProblem);
    expect(() => dec({ type: 'int16' }, '40000')).toThrow(DecodeProblem);
    expect(() => dec({ type: 'int32' }, '1.5')).toThrow(DecodeProblem);
    expect(() => dec({ type: 'int32' }, '"1"')).toThrow(DecodeProblem);
  });
  it('decodes floats, booleans, strings and bytes', () => {
    expect(dec({ type: 'float64' }, '1.25')).toBe(1.25);
    expect(dec({ type: 'float32' }, '"NaN"')).toBeNaN();
    // JsonConverter's own names for FLOAT64 / FLOAT32, as Debezium writes them
    expect(dec({ type: 'double' }, '2.5e-1')).toBe(0.25);
    expect(dec({ type: 'float' }, '1.5')).toBe(1.5);
    expect(dec({ type: 'boolean' }, 'true')).toBe(true);
    expect(dec({ type: 'string' }, '"x"')).toBe('x');
    expect(dec({ type: 'bytes' }, '"AAEC"')).toEqual(Buffer.from([0, 1, 2]));
  });
});

describe('dates and times', () => {
  const date = { type: 'int32', name: 'io.debezium.time.Date' };
  it('Date: days since the epoch, including before 1970 and far years', () => {
    expect(dec(date, '0')).toBe('1970-01-01');
    expect(dec(date, '19723')).toBe('2024-01-01');
    expect(dec(date, '-1')).toBe('1969-12-31');
    expect(dec(date, '-25567')).toBe('1900-01-01');
    expect(dec(date, '-719528')).toBe('0000-01-01');
    expect(dec(date, '-719893')).toBe('-000001-01-01');
    expect(dec(date, '2932897')).toBe('+010000-01-01');
    expect(dec({ type: 'int32', name: 'org.apache.kafka.connect.data.Date' }, '-365')).toBe('1969-01-01');
  });
  it('Time (ms), MicroTime (µs), NanoTime (ns), Connect Time', () => {
    expect(dec({ type: 'int32', name: 'io.debezium.time.Time' }, '45296789')).toBe('12:34:56.789000');
    expect(dec({ type: 'int64', name: 'io.debezium.time.MicroTime' }, '45296789012')).toBe('12:34:56.789012');
    expect(dec({ type: 'int64', name: 'io.debezium.time.MicroTime' }, '86400000000')).toBe('24:00:00.000000');
    expect(dec({ type: 'int64', name: 'io.debezium.time.NanoTime' }, '45296789012345')).toBe('12:34:56.789012345');
    expect(dec({ type: 'int64', name: 'io.debezium.time.NanoTime' }, '45296789012000')).toBe('12:34:56.789012');
    expect(dec({ type: 'int32', name: 'org.apache.kafka.connect.data.Time' }, '0')).toBe('00:00:00.000000');
    expect(() => dec({ type: 'int64', name: 'io.debezium.time.MicroTime' }, '-1')).toThrow(DecodeProblem);
  });
  it('Timestamp (ms), MicroTimestamp (µs), NanoTimestamp (ns): local wall time, no zone', () => {
    expect(dec({ type: 'int64', name: 'io.debezium.time.Timestamp' }, '1700000000123')).toBe('2023-11-14T22:13:20.123000');
    expect(dec({ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' }, '1700000000123')).toBe('2023-11-14T22:13:20.123000');
    expect(dec({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, '1700000000123456')).toBe('2023-11-14T22:13:20.123456');
    expect(dec({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, '-1')).toBe('1969-12-31T23:59:59.999999');
    expect(dec({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, '-2208988800000000')).toBe('1900-01-01T00:00:00.000000');
    expect(dec({ type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, '1700000000123456789')).toBe('2023-11-14T22:13:20.123456789');
    expect(dec({ type: 'int64', name: 'io.debezium.time.NanoTimestamp' }, '-1')).toBe('1969-12-31T23:59:59.999999999');
  });
  it('ZonedTimestamp: the same instant in UTC, offsets applied', () => {
    const z = { type: 'string', name: 'io.debezium.time.ZonedTimestamp' };
    expect(dec(z, '"2024-03-01T10:15:30.123456+02:00"')).toBe('2024-03-01T08:15:30.123456Z');
    expect(dec(z, '"2024-03-01T01:00:00-05:30"')).toBe('2024-03-01T06:30:00.000000Z');
    expect(dec(z, '"2024-01-01T00:30:00+01:00"')).toBe('2023-12-31T23:30:00.000000Z');
    expect(dec(z, '"2018-03-27T12:34:56.789Z"')).toBe('2018-03-27T12:34:56.789000Z');
    expect(dec(z, '"1960-06-15T12:00:00.000000001Z"')).toBe('1960-06-15T12:00:00.000000001Z');
    expect(dec(z, '"infinity"')).toBe('infinity');
    expect(() => dec(z, '"yesterday"')).toThrow(DecodeProblem);
  });
});

describe('semantic strings and structures', () => {
  it('Json → the parsed value, numbers exact', () => {
    expect(dec({ type: 'string', name: 'io.debezium.data.Json' }, JSON.stringify('{"a":[1,"x",null],"n":12345678901234567890}'))).toEqual({
      a: [1, 'x', null],
      n: '12345678901234567890',
    });
    expect(() => dec({ type: 'string', name: 'io.debezium.data.Json' }, '"{oops"')).toThrow(DecodeProblem);
  });
  it('Uuid, Enum, EnumSet', () => {
    expect(dec({ type: 'string', name: 'io.debezium.data.Uuid' }, '"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(dec({ type: 'string', name: 'io.debezium.data.Enum', parameters: { allowed: 'new,paid' } }, '"paid"')).toBe('paid');
    expect(dec({ type: 'string', name: 'io.debezium.data.EnumSet', parameters: { allowed: 'a,b,c' } }, '"a,c"')).toEqual(['a', 'c']);
    expect(dec({ type: 'string', name: 'io.debezium.data.EnumSet' }, '""')).toEqual([]);
  });
  it('arrays by their element schema', () => {
    expect(dec({ type: 'array', items: { type: 'int32', name: 'io.debezium.time.Date' } }, '[0, -1, null]')).toEqual(['1970-01-01', '1969-12-31', null]);
    expect(dec({ type: 'array', items: { type: 'int64' } }, '[1, 9007199254740993]')).toEqual([1, '9007199254740993']);
  });
  it('maps, as objects and as [key, value] pairs', () => {
    expect(dec({ type: 'map', keys: { type: 'string' }, values: { type: 'int64' } }, '{"a": 1}')).toEqual({ a: 1 });
    expect(dec({ type: 'map', keys: { type: 'int32' }, values: { type: 'string' } }, '[[1, "x"]]')).toEqual({ '1': 'x' });
  });
  it('structs: nested, defaults for missing fields, unknown fields kept', () => {
    const s = {
      type: 'struct',
      fields: [
        { field: 'a', type: 'int32' },
        { field: 'b', type: 'string', optional: true, default: 'dflt' },
        { field: 'c', type: 'struct', optional: true, fields: [{ field: 'd', type: 'int64' }] },
      ],
    };
    expect(dec(s, '{"a": 1, "c": {"d": 9007199254740993}, "extra": 2}')).toEqual({ a: 1, b: 'dflt', c: { d: '9007199254740993' }, extra: 2 });
    expect(() => dec(s, '[1]')).toThrow(DecodeProblem);
  });
  it('geometry: {wkb (base64), srid} passed through', () => {
    const g = {
      type: 'struct',
      name: 'io.debezium.data.geometry.Geometry',
      fields: [
        { field: 'wkb', type: 'bytes' },
        { field: 'srid', type: 'int32', optional: true },
      ],
    };
    const wkb = 'AQEAAAAAAAAAAADwPwAAAAAAAABA';
    expect(dec(g, JSON.stringify({ wkb, srid: 4326 }))).toEqual({ wkb, srid: 4326 });
    expect(dec({ ...g, name: 'io.debezium.data.geometry.Geography' }, JSON.stringify({ wkb, srid: null }))).toEqual({ wkb, srid: null });
    const p = {
      type: 'struct',
      name: 'io.debezium.data.geometry.Point',
      fields: [
        { field: 'x', type: 'float64' },
        { field: 'y', type: 'float64' },
        { field: 'wkb', type: 'bytes', optional: true },
        { field: 'srid', type: 'int32', optional: true },
      ],
    };
    expect(dec(p, JSON.stringify({ x: 1, y: 2, wkb, srid: 0 }))).toEqual({ x: 1, y: 2, wkb, srid: 0 });
  });
});

describe('unchanged TOAST placeholder', () => {
  it('is UNAVAILABLE in text, Json, bytes, Decimal, VariableScaleDecimal and array columns', () => {
    expect(dec({ type: 'string' }, '"__debezium_unavailable_value"')).toBe(UNAVAILABLE);
    expect(dec({ type: 'string', name: 'io.debezium.data.Json' }, '"__debezium_unavailable_value"')).toBe(UNAVAILABLE);
    expect(dec({ type: 'bytes' }, JSON.stringify(UNAVAILABLE_PLACEHOLDER_BASE64))).toBe(UNAVAILABLE);
    expect(UNAVAILABLE_PLACEHOLDER_BASE64).toBe('X19kZWJleml1bV91bmF2YWlsYWJsZV92YWx1ZQ==');
    expect(dec(decimal(2), JSON.stringify(UNAVAILABLE_PLACEHOLDER_BASE64))).toBe(UNAVAILABLE);
    const vsd = {
      type: 'struct',
      name: 'io.debezium.data.VariableScaleDecimal',
      fields: [
        { field: 'scale', type: 'int32' },
        { field: 'value', type: 'bytes' },
      ],
    };
    expect(dec(vsd, JSON.stringify({ scale: 0, value: UNAVAILABLE_PLACEHOLDER_BASE64 }))).toBe(UNAVAILABLE);
    expect(dec({ type: 'array', items: { type: 'string' } }, '["__debezium_unavailable_value"]')).toBe(UNAVAILABLE);
  });
  it('is a plain string where the placeholder is data (inside a Json document)', () => {
    expect(dec({ type: 'string', name: 'io.debezium.data.Json' }, JSON.stringify('{"v":"__debezium_unavailable_value"}'))).toEqual({
      v: '__debezium_unavailable_value',
    });
  });
});

describe('schema problems', () => {
  it('reports an unknown Connect type with CDC_DECODE_SCHEMA and the path', () => {
    try {
      decodeValue({ type: 'struct', fields: [{ field: 'x', type: 'decimal' }] }, parseJson('{"x": 1}', 'v'), 'value.payload.after');
      expect.unreachable();
    } catch (e) {
      expect((e as DecodeProblem).code).toBe('CDC_DECODE_SCHEMA');
      expect((e as DecodeProblem).path).toContain('value.payload.after');
    }
  });
});

describe('parseJson keeps every number exact', () => {
  /** The text a parsed number stands for: its own text when lossless, String(n) when native. */
  const textOf = (v: unknown): string => (isLosslessNumber(v) ? v.toString() : String(v));
  const native = (t: string): boolean => typeof (parseJson(`[${t}]`, '$') as unknown[])[0] === 'number';

  it('uses native numbers only where the double prints as the token itself', () => {
    expect(['1764584000123456', '9007199254740991', '-12.5', '0.000001', '0', '123456789.012345'].map(native)).toEqual([true, true, true, true, true, true]);
    // 2^53 + 1; a 16-digit numeric whose double prints ...786; a trailing zero; -0; 1e-7; exponents; 16 fraction digits
    for (const t of ['9007199254740993', '616771055.0853787', '1.50', '-0', '0.0000001', '1e0', '2E+5', '0.1234567890123456']) expect(native(t)).toBe(false);
  });

  it('keeps the token of any number, whichever parser runs', () => {
    const token = fc.oneof(
      fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
      fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 1, max: 18 })).map(([n, scale]) => {
        const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
        return `${n < 0n ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      }),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
    );
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 6 }), fc.string({ maxLength: 8 }), (tokens, s) => {
        const parsed = parseJson(`{"s":${JSON.stringify(s)},"n":[${tokens.join(',')}]}`, '$') as { n: unknown[] };
        parsed.n.forEach((v, i) => {
          expect(textOf(v)).toBe(tokens[i]);
        });
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('does not take a string for a number (a UUID like 123e4567-…)', () => {
    const v = parseJson('{"id":"123e4567-e89b-12d3","n":5}', '$') as { n: unknown };
    expect(typeof v.n).toBe('number');
  });
});
