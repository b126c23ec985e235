/**
 * A small seeded PRNG so every clustering run is reproducible: mulberry32 (Tommy Ettinger,
 * public domain, 2017; 32-bit state, period 2³², passes gjrand/PractRand to 2³² outputs —
 * plenty for shuffling node orders). Injected into Louvain instead of Math.random.
 */

/** Uniform floats in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
