// Properties of the sticky canary split (cohort.ts), tried over random route ids, keys and
// weights with a fixed seed: the bucket is a pure function of (route, key) inside [0, BUCKETS);
// a key in the canary at weight w stays in at every w' ≥ w; 0 % is never and 100 % always; keys
// spread evenly over the buckets; and two routes split independently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, inCanary } from './cohort.js';

const RUN = { seed: 0x5eed_c047, numRuns: 300 } as const;

const noRandom = (): number => {
  throw new Error('a keyed request must not use the random source');
};
const routeId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);
const key = fc.string({ unit: 'binary', maxLength: 40 });
const weight = fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 100 }));

/** A small deterministic PRNG (mulberry32) so the uniformity checks see the same keys every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pearson's chi-square statistic of `counts` against the uniform expectation. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('bucketOf', () => {
  it('is a pure function of (route, key), an integer in [0, BUCKETS)', () => {
    fc.assert(
      fc.property(routeId, key, (r, k) => {
        const b = bucketOf(r, k);
        expect(Number.isInteger(b)).toBe(true);
        expect(b).toBeGreaterThanOrEqual(0);
        expect(b).toBeLessThan(BUCKETS);
        expect(bucketOf(`${r}`, `${k}`)).toBe(b);
      }),
      RUN,
    );
  });

  it('keeps the route and the key apart: ("ab", "c") and ("a", "bc") are different inputs', () => {
    // Not a hash-collision proof, just that the separator takes part: over many splits most differ.
    let same = 0;
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 12 }), fc.nat(), (s, n) => {
        const cut = 1 + (n % (s.length - 1));
        if (bucketOf(s.slice(0, cut), s.slice(cut)) === bucketOf(s, '')) same++;
      }),
      RUN,
    );
    expect(same).toBeLessThan(RUN.numRuns / 50);
  });

  it('spreads sequential and random keys evenly over the buckets (chi-square, 20 bins)', () => {
    const bins = 20;
    const rand = mulberry32(42);
    for (const keys of [
      Array.from({ length: 40_000 }, (_, i) => `user-${i}`),
      Array.from({ length: 40_000 }, () => Math.floor(rand() * 2 ** 52).toString(36)),
      Array.from({ length: 40_000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`),
    ]) {
      const counts = new Array<number>(bins).fill(0);
      for (const k of keys) counts[Math.floor((bucketOf('products', k) * bins) / BUCKETS)]!++;
      // 19 degrees of freedom: P(χ² > 43.8) = 0.001 for a uniform source.
      expect(chiSquare(counts)).toBeLessThan(43.8);
    }
  });
});

describe('inCanary', () => {
  it('never at weight 0 (or below), always at 100 (or above), for any key or none', () => {
    fc.assert(
      fc.property(
        routeId,
        fc.option(key, { nil: undefined }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (r, k, x, over) => {
          const random = () => x;
          expect(inCanary(r, 0, k, random)).toBe(false);
          expect(inCanary(r, -over, k, random)).toBe(false);
          expect(inCanary(r, 100, k, random)).toBe(true);
          expect(inCanary(r, 100 + over, k, random)).toBe(true);
        },
      ),
      RUN,
    );
  });

  it('is deterministic for a keyed request and never consults the random source', () => {
    fc.assert(
      fc.property(routeId, key, weight, (r, k, w) => {
        expect(inCanary(r, w, k, noRandom)).toBe(inCanary(r, w, k, noRandom));
      }),
      RUN,
    );
  });

  it('is monotone in the weight: a key in the canary at w stays in at every w′ ≥ w (sticky step-up)', () => {
    fc.assert(
      fc.property(routeId, key, weight, weight, (r, k, w1, w2) => {
        const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        if (inCanary(r, lo, k, noRandom)) expect(inCanary(r, hi, k, noRandom)).toBe(true);
        if (!inCanary(r, hi, k, noRandom)) expect(inCanary(r, lo, k, noRandom)).toBe(false);
      }),
      RUN,
    );
  });

  it('without a key is monotone in the weight for the same random draw, and 0 ≤ draw < 1 covers both sides', () => {
    fc.assert(
      fc.property(routeId, weight, weight, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (r, w1, w2, x) => {
        const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        const random = () => x;
        if (inCanary(r, lo, undefined, random)) expect(inCanary(r, hi, undefined, random)).toBe(true);
      }),
      RUN,
    );
  });

  it('puts close to w % of many keys in the canary, and two routes pick independent cohorts', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `u${i}`);
    for (const w of [1, 5, 25, 50, 90]) {
      const a = keys.map((k) => inCanary('products', w, k, noRandom));
      const b = keys.map((k) => inCanary('orders', w, k, noRandom));
      const p = w / 100;
      const sigma = Math.sqrt(keys.length * p * (1 - p) || 1);
      const inA = a.filter(Boolean).length;
      expect(Math.abs(inA - keys.length * p)).toBeLessThan(5 * sigma);
      // Independence: the overlap is about p² of the keys, not p (the same users everywhere).
      const both = a.filter((x, i) => x && b[i]).length;
      const q = p * p;
      expect(Math.abs(both - keys.length * q)).toBeLessThan(5 * Math.sqrt(keys.length * q * (1 - q)) + 1);
    }
  });
});
