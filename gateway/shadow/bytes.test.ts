import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutInto as cut } from '../../test/harness/chunks.js';
import { BodyReader, flatBody } from './bytes.js';

describe('BodyReader over chunks', () => {
  const bytes = fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u));
  const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 });

  it('reads every byte, range and text as the joined Buffer does, in any order', () => {
    fc.assert(
      fc.property(bytes, cuts, fc.array(fc.nat(), { maxLength: 40 }), (b, c, picks) => {
        const r = new BodyReader(cut(b, c));
        expect(r.length).toBe(b.length);
        expect(r.flat().equals(b)).toBe(true);
        for (const p of picks) {
          const i = b.length === 0 ? 0 : p % b.length;
          expect(r.at(i)).toBe(b[i]);
          const j = b.length === 0 ? 0 : (p * 7) % (b.length + 1);
          const [from, to] = i <= j ? [i, j] : [j, i];
          expect(r.text('latin1', from, to)).toBe(b.toString('latin1', from, to));
        }
        expect(r.at(b.length)).toBeUndefined();
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it('compares ranges of two differently cut bodies exactly as Buffer.compare does', () => {
    fc.assert(
      fc.property(bytes, bytes, cuts, cuts, fc.nat(), fc.nat(), fc.nat(), (a, b, ca, cb, x, y, z) => {
        const ra = new BodyReader(cut(a, ca));
        const rb = new BodyReader(cut(b, cb));
        const from = a.length === 0 ? 0 : x % a.length;
        const otherFrom = b.length === 0 ? 0 : y % b.length;
        const len = Math.min(a.length - from, b.length - otherFrom, z % 64);
        expect(ra.equal(rb, from, otherFrom, len)).toBe(a.compare(b, otherFrom, otherFrom + len, from, from + len) === 0);
        expect(ra.equals(rb)).toBe(a.equals(b));
      }),
      { seed: 11, numRuns: 400 },
    );
  });

  it('flatBody keeps one Buffer as it is and joins chunks once', () => {
    const one = Buffer.from('abc');
    expect(flatBody(one)).toBe(one);
    expect(flatBody([one])).toBe(one);
    expect(flatBody([Buffer.from('ab'), Buffer.from('c')])?.toString()).toBe('abc');
    expect(flatBody(null)).toBeNull();
    expect(flatBody([])?.length).toBe(0);
  });
});
