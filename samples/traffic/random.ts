/**
 * The traffic generator's random source: mulberry32, a tiny 32-bit seeded PRNG (Tommy Ettinger,
 * public domain; see https://gist.github.com/tommyettinger/46a874533244883189143505d203312c),
 * plus the few draws the mixes need. Same seed, same sequence, on every platform.
 *
 * @example
 *   const rng = mulberry32(1);
 *   randomInt(rng, 1, 6); // a die roll, the same one every run with seed 1
 */
export type Random = () => number;

/** A generator of floats in [0, 1) determined entirely by `seed` (taken modulo 2^32). */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both inclusive. */
export function randomInt(rng: Random, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** True with probability `p`. */
export function chance(rng: Random, p: number): boolean {
  return rng() < p;
}

/** One element, uniformly. */
export function pick<T>(rng: Random, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick() needs at least one item');
  return items[Math.floor(rng() * items.length)] as T;
}

/** One key of `weights`, with probability proportional to its weight. */
export function weighted<K extends string>(rng: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  let roll = rng() * total;
  for (const [key, w] of entries) {
    roll -= w;
    if (roll < 0) return key;
  }
  // Rounding can leave a sliver: the last entry that can be chosen at all.
  return entries.filter(([, w]) => w > 0).at(-1)![0];
}
