/**
 * decodeTuple reads the common types straight from the bytes: every fast path must give what
 * the column type's text decoder gives (property-based, fast-check), and the rest of a row
 * (NULL, unchanged TOAST, extra columns) must come out right.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../../model.js';
import { decoderFor } from './pgoutput-values.js';
import { decodeTuple, fastKind } from './tuples.js';
import { tuple, type WireValue } from './wire.case.js';

function decodeOne(oid: number, text: string): unknown {
  const row = decodeTuple({ buf: tuple([text]), offset: 0 }, { names: ['v'], decoders: [decoderFor(oid)], fast: [fastKind(oid)] });
  return row.v;
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const stamp = fc.record({
  y: fc.integer({ min: 1, max: 9999 }),
  mo: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 28 }),
  h: fc.integer({ min: 0, max: 23 }),
  mi: fc.integer({ min: 0, max: 59 }),
  s: fc.integer({ min: 0, max: 59 }),
  us: fc.option(fc.integer({ min: 0, max: 999_999 })),
});
const stampText = (t: { y: number; mo: number; d: number; h: number; mi: number; s: number; us: number | null }): string =>
  `${pad(t.y, 4)}-${pad(t.mo, 2)}-${pad(t.d, 2)} ${pad(t.h, 2)}:${pad(t.mi, 2)}:${pad(t.s, 2)}${t.us === null ? '' : `.${pad(t.us, 6).replace(/0+$/, '') || '0'}`}`;

describe('decodeTuple fast paths agree with the text decoders', () => {
  it('integers', () => {
    fc.assert(fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (n) => decodeOne(23, String(n)) === decoderFor(23)(String(n))));
    fc.assert(fc.property(fc.integer({ min: -32768, max: 32767 }), (n) => decodeOne(21, String(n)) === n));
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => decodeOne(20, String(n)) === decoderFor(20)(String(n))));
  });

  it('booleans', () => {
    expect(decodeOne(16, 't')).toBe(true);
    expect(decodeOne(16, 'f')).toBe(false);
  });

  it('timestamps and timestamptz', () => {
    fc.assert(
      fc.property(stamp, (t) => {
        const text = stampText(t);
        return decodeOne(1114, text) === decoderFor(1114)(text) && decodeOne(1184, `${text}+00`) === decoderFor(1184)(`${text}+00`);
      }),
    );
    expect(decodeOne(1184, '2024-05-01 10:15:30.123456+02')).toBe('2024-05-01T08:15:30.123456Z');
  });

  it('ASCII types read as Latin-1', () => {
    expect(decodeOne(1700, '-12.50')).toBe('-12.50');
    expect(decodeOne(701, '0.1')).toBe(0.1);
    expect(decodeOne(1082, '0044-03-15 BC')).toBe('-000043-03-15');
    expect(decodeOne(1114, '0044-03-15 12:00:00.123 BC')).toBe('-000043-03-15T12:00:00.123000');
    expect(decodeOne(1184, '0044-03-15 12:00:00.123456+00 BC')).toBe('-000043-03-15T12:00:00.123456Z');
  });
});

describe('decodeTuple rows', () => {
  it('decodes NULL, unchanged TOAST and UTF-8 text, and ignores columns the relation does not name', () => {
    const values: WireValue[] = ['1', null, 'UNCHANGED', 'ünï', 'extra'];
    const shape = { names: ['id', 'a', 'b', 'c'], decoders: [23, 25, 25, 25].map((o) => decoderFor(o)), fast: [23, 25, 25, 25].map(fastKind) };
    expect(decodeTuple({ buf: tuple(values), offset: 0 }, shape)).toEqual({ id: 1, a: null, b: UNAVAILABLE, c: 'ünï' });
  });
});
