/**
 * Text values as pgoutput and the snapshot send them (DateStyle ISO, TimeZone UTC,
 * IntervalStyle iso_8601) → the JS shapes the Debezium path decodes to.
 */
import { describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../../model.js';
import { decodeTupleValue, decoderFor, parseArray, type TypeInfo } from './pgoutput-values.js';

const d = (oid: number, text: string, types?: Map<number, TypeInfo>) => decoderFor(oid, types)(text);

describe('decoderFor', () => {
  it.each([
    ['bool', 16, 't', true],
    ['bool false', 16, 'f', false],
    ['int2', 21, '-32768', -32768],
    ['int4', 23, '2147483647', 2147483647],
    ['int8 safe', 20, '-9007199254740991', -9007199254740991],
    ['int8 beyond 2^53', 20, '9007199254740993', '9007199254740993'],
    ['float8', 701, '1.5e+300', 1.5e300],
    ['float8 NaN', 701, 'NaN', Number.NaN],
    ['float4 -Infinity', 700, '-Infinity', Number.NEGATIVE_INFINITY],
    ['numeric keeps its scale', 1700, '-12.50', '-12.50'],
    ['numeric NaN', 1700, 'NaN', 'NaN'],
    ['money (C locale)', 790, '-$1,234.56', '-1234.56'],
    ['date', 1082, '2024-02-29', '2024-02-29'],
    ['date BC (ISO year)', 1082, '0044-03-15 BC', '-000043-03-15'],
    ['date of 1 BC is year 0', 1082, '0001-01-01 BC', '0000-01-01'],
    ['date beyond 9999', 1082, '10000-01-01', '+010000-01-01'],
    ['date infinity', 1082, 'infinity', 'infinity'],
    ['time', 1083, '23:59:59', '23:59:59.000000'],
    ['time with fraction', 1083, '10:15:30.5', '10:15:30.500000'],
    ['timetz to UTC', 1266, '10:15:30.5+02', '08:15:30.500000Z'],
    ['timetz wrapping midnight', 1266, '01:00:00-03:30', '04:30:00.000000Z'],
    ['timestamp', 1114, '2024-05-01 10:15:30.123456', '2024-05-01T10:15:30.123456'],
    ['timestamp short fraction', 1114, '1969-12-31 23:59:59.5', '1969-12-31T23:59:59.500000'],
    ['timestamp BC', 1114, '0044-03-15 12:00:00 BC', '-000043-03-15T12:00:00.000000'],
    ['timestamp -infinity', 1114, '-infinity', '-infinity'],
    ['timestamptz UTC', 1184, '2024-05-01 08:15:30.123456+00', '2024-05-01T08:15:30.123456Z'],
    ['timestamptz no fraction', 1184, '2024-05-01 08:15:30+00', '2024-05-01T08:15:30.000000Z'],
    ['timestamptz other offset', 1184, '2024-05-01 10:15:30.5+02', '2024-05-01T08:15:30.500000Z'],
    ['timestamptz with seconds offset', 1184, '1900-01-01 00:00:00+00:09:21', '1899-12-31T23:50:39.000000Z'],
    ['interval stays ISO-8601', 1186, 'P1Y2M3DT4H5M6.5S', 'P1Y2M3DT4H5M6.5S'],
    ['uuid', 2950, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    ['text', 25, 'ünïcødé', 'ünïcødé'],
  ])('%s', (_name, oid, text, expected) => {
    expect(d(oid, text)).toEqual(expected);
  });

  it('parses json and jsonb keeping numbers exact', () => {
    expect(d(3802, '{"a": [1, 2.50, 12345678901234567890], "b": null, "c": "x"}')).toEqual({ a: [1, 2.5, '12345678901234567890'], b: null, c: 'x' });
    expect(d(114, 'null')).toBeNull();
  });

  it('decodes bytea hex to a Buffer', () => {
    expect(d(17, '\\x00ff10')).toEqual(Buffer.from([0, 255, 16]));
  });

  it('decodes built-in arrays element by element', () => {
    expect(d(1007, '{1,2,NULL}')).toEqual([1, 2, null]);
    expect(d(1007, '{{1,2},{3,4}}')).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(d(1009, '{x,"with space","com,ma",NULL,"quo\\"te","back\\\\slash","NULL"}')).toEqual([
      'x',
      'with space',
      'com,ma',
      null,
      'quo"te',
      'back\\slash',
      'NULL',
    ]);
    expect(d(1231, '{1.10,-2}')).toEqual(['1.10', '-2']);
    expect(d(1182, '{2024-01-01,infinity}')).toEqual(['2024-01-01', 'infinity']);
    expect(d(1016, '{}')).toEqual([]);
    expect(d(1007, '[0:1]={7,8}')).toEqual([7, 8]);
  });

  it('resolves domains to their base type and custom arrays to their element type', () => {
    const types = new Map<number, TypeInfo>([
      [20_001, { typtype: 'd', baseOid: 1700, elemOid: 0, category: 'N', delimiter: ',' }],
      [20_002, { typtype: 'd', baseOid: 23, elemOid: 0, category: 'N', delimiter: ',' }],
      [20_003, { typtype: 'e', baseOid: 0, elemOid: 0, category: 'E', delimiter: ',' }],
      [20_004, { typtype: 'b', baseOid: 0, elemOid: 20_003, category: 'A', delimiter: ',' }],
      [20_005, { typtype: 'b', baseOid: 0, elemOid: 20_002, category: 'A', delimiter: ',' }],
    ]);
    expect(d(20_001, '12.50', types)).toBe('12.50');
    expect(d(20_002, '42', types)).toBe(42);
    expect(d(20_003, 'happy', types)).toBe('happy');
    expect(d(20_004, '{sad,happy}', types)).toEqual(['sad', 'happy']);
    expect(d(20_005, '{1,2}', types)).toEqual([1, 2]);
    expect(d(99_999, 'anything')).toBe('anything');
  });

  it('passes null and UNAVAILABLE through', () => {
    expect(decodeTupleValue(null, decoderFor(23))).toBeNull();
    expect(decodeTupleValue(UNAVAILABLE, decoderFor(23))).toBe(UNAVAILABLE);
  });

  it('uses the element type delimiter', () => {
    expect(parseArray('{a;b}', (t) => t, ';')).toEqual(['a', 'b']);
  });
});
