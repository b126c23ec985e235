import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commonSuffixLength, nextDifferingByte, onlyIgnoredBytesDiffer } from './byte-diff.js';
import { createComparer } from './compare.js';
import { compilePaths } from './jsonpath.js';

const buf = (v: unknown) => Buffer.from(JSON.stringify(v));
const ignoring = (...paths: string[]) => compilePaths(paths);

describe('byte-level shortcut for differences only in ignored values', () => {
  it('a volatile timestamp of the same or a different length is ignored', () => {
    const ig = ignoring('$.generatedAt');
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: '2026-01-01T00:00:00Z', n: 1 }), buf({ generatedAt: '2026-01-01T00:00:09Z', n: 1 }), ig)).toBe(true);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'v1', n: 1 }), buf({ generatedAt: 'v1234', n: 1 }), ig)).toBe(true);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 17, n: 1 }), buf({ generatedAt: 1799, n: 1 }), ig)).toBe(true);
  });

  it('per-item fields under [*] in several places are ignored', () => {
    const ig = ignoring('$.items[*].updatedAt');
    const a = { items: [1, 2, 3].map((id) => ({ id, updatedAt: `t${id}00` })) };
    const b = { items: [1, 2, 3].map((id) => ({ id, updatedAt: `t${id}99` })) };
    expect(onlyIgnoredBytesDiffer(buf(a), buf(b), ig)).toBe(true);
  });

  it('says no when anything else differs: another value, a key, a type, the structure, or a quote in the run', () => {
    const ig = ignoring('$.generatedAt');
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'a', n: 1 }), buf({ generatedAt: 'b', n: 2 }), ig)).toBe(false);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'a', n: 1 }), buf({ generatedAt: 'a', m: 1 }), ig)).toBe(false);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'a', n: 1 }), buf({ generatedAt: 'a', n: '1' }), ig)).toBe(false);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'a', n: [1] }), buf({ generatedAt: 'a', n: [1, 2] }), ig)).toBe(false);
    expect(onlyIgnoredBytesDiffer(buf({ generatedAt: 'x', n: 1 }), buf({ generatedAt: 'x","n":2,"y":"', n: 1 }), ig)).toBe(false);
    expect(onlyIgnoredBytesDiffer(buf({ flag: true }), buf({ flag: false }), ignoring('$.flag'))).toBe(false);
  });

  it('is sound: whenever it says "only ignored values differ", the full structural diff finds nothing', () => {
    const comparer = createComparer({ ignore: ['$.meta.ts', '$.items[*].at'], unorderedArrays: [], numericTolerance: 0, headers: [] });
    const ig = ignoring('$.meta.ts', '$.items[*].at');
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -999, max: 99999 }), fc.boolean(), fc.constant(null));
    const doc = fc.record({
      meta: fc.record({ ts: scalar, v: scalar }),
      items: fc.array(fc.record({ id: fc.integer({ min: 0, max: 99 }), at: scalar, name: fc.string({ maxLength: 6 }) }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(doc, doc, (a, b) => {
        const pa = buf(a);
        const pb = buf(b);
        if (!onlyIgnoredBytesDiffer(pa, pb, ig)) return true;
        const diffs = comparer.compare({ status: 200, headers: {}, body: pa }, { status: 200, headers: {}, body: pb });
        return diffs.length === 0;
      }),
      { numRuns: 2000 },
    );
    // And it does fire on the case it is for.
    const base = { meta: { ts: 'x1', v: 1 }, items: [{ id: 1, at: 'a', name: 'n' }] };
    expect(onlyIgnoredBytesDiffer(buf(base), buf({ ...base, meta: { ts: 'x2', v: 1 } }), ig)).toBe(true);
  });
});

describe('byte-level shortcut on large bodies', () => {
  it('finds every differing run, also across block boundaries and in the tail', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ id: i, at: `t-${String(i).padStart(6, '0')}`, name: `item ${i}` }));
    const changed = items.map((x) => ({ ...x, at: `t-${String(999999 - x.id).padStart(6, '0')}` }));
    const ig = ignoring('$.items[*].at');
    expect(onlyIgnoredBytesDiffer(buf({ items }), buf({ items: changed }), ig)).toBe(true); // 400 runs, one scan
    const few = items.map((x) => (x.id % 97 === 0 ? { ...x, at: 'x-000000' } : x));
    expect(onlyIgnoredBytesDiffer(buf({ items }), buf({ items: few }), ig)).toBe(true);
    const last = items.map((x) => (x.id === 399 ? { ...x, name: 'other 399' } : x));
    expect(onlyIgnoredBytesDiffer(buf({ items }), buf({ items: last }), ig)).toBe(false);
  });
});

describe('finding differing bytes with native compares', () => {
  const naiveNext = (a: Buffer, b: Buffer, from: number, to: number): number => {
    for (let i = from; i < to; i++) if (a[i] !== b[i]) return i;
    return to;
  };
  const naiveSuffix = (a: Buffer, b: Buffer, max: number): number => {
    let s = 0;
    while (s < max && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
    return s;
  };
  // Bodies up to 20 KiB with a few changed bytes anywhere: short walks, doubling and halving all run.
  const pair = fc
    .tuple(fc.integer({ min: 0, max: 20_000 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer({ min: 0, max: 9 }), fc.nat())
    .map(([n, at, extra, seed]) => {
      const a = Buffer.alloc(n, 0x61);
      for (let i = 0; i < n; i++) a[i] = 0x61 + ((i * 7 + seed) % 26);
      const b = Buffer.concat([Buffer.alloc(extra, 0x30), a]); // b may be longer, sharing a's tail
      for (const x of at) if (n > 0) b[extra + (x % n)] = 0x21;
      return { a, b, extra };
    });

  it('nextDifferingByte finds what a byte-by-byte walk finds, from any start', () => {
    fc.assert(
      fc.property(pair, fc.nat(), ({ a, b, extra }, start) => {
        const same = b.subarray(extra); // the same length as a
        const from = a.length === 0 ? 0 : start % (a.length + 1);
        return nextDifferingByte(a, same, from, a.length) === naiveNext(a, same, from, a.length);
      }),
      { numRuns: 500 },
    );
  });

  it('commonSuffixLength finds what a walk from the end finds, up to the bound', () => {
    fc.assert(
      fc.property(pair, fc.nat(), ({ a, b }, bound) => {
        const max = Math.min(a.length, b.length);
        const m = max === 0 ? 0 : bound % (max + 1);
        return commonSuffixLength(a, b, m) === naiveSuffix(a, b, m);
      }),
      { numRuns: 500 },
    );
  });

  it('a volatile field at the start of a 64 KiB body is found without walking the rest', () => {
    const body = JSON.stringify({ generatedAt: 'v000000000', items: 'x'.repeat(65_536) });
    const a = Buffer.from(body);
    const b = Buffer.from(body.replace('v000000000', 'v000000017'));
    expect(nextDifferingByte(a, b, 0, a.length)).toBe(body.indexOf('v000000000') + 8);
    expect(nextDifferingByte(a, b, body.indexOf('v000000000') + 10, a.length)).toBe(a.length);
    const shorter = Buffer.from(body.replace('v000000000', 'v1'));
    expect(commonSuffixLength(a, shorter, shorter.length)).toBe(a.length - body.indexOf('v000000000') - 10);
    expect(onlyIgnoredBytesDiffer(a, b, ignoring('$.generatedAt'))).toBe(true);
  });
});
