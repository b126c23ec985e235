import { describe, expect, it } from 'vitest';
import { PairWeights, linkGroup } from './pairs.js';

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `src/f${String(i).padStart(4, '0')}.ts`);

function degrees(acc: PairWeights): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of acc.edges()) for (const x of [e.a, e.b]) out.set(x, (out.get(x) ?? 0) + 1);
  return out;
}

describe('linkGroup', () => {
  it('links a group of at most cap + 1 members as a clique', () => {
    const acc = new PairWeights();
    linkGroup(acc, names(5), 0.5, 4);
    expect(acc.size).toBe(10);
    expect(acc.get('src/f0000.ts', 'src/f0004.ts')).toBe(0.5);
  });

  it('links a larger group sparsely: every member has between 2 and cap links, O(n·cap) edges', () => {
    const acc = new PairWeights();
    linkGroup(acc, names(300), 1, 24);
    const deg = degrees(acc);
    expect(deg.size).toBe(300);
    expect(Math.max(...deg.values())).toBeLessThanOrEqual(24);
    expect(Math.min(...deg.values())).toBeGreaterThanOrEqual(2);
    expect(acc.size).toBeLessThanOrEqual((300 * 24) / 2);
  });

  it('has no cheap cut along the sorted order (an expander, not a ring lattice)', () => {
    const n = 400;
    const cap = 24;
    const acc = new PairWeights();
    linkGroup(acc, names(n), 1, cap);
    const half = new Set(names(n).slice(0, n / 2));
    const cut = acc.edges().filter((e) => half.has(e.a) !== half.has(e.b)).length;
    // A ring lattice of degree cap is cut by cap·(cap/2 + 1)/2·2 = 156 edges here; a random
    // cap-regular graph by about n·cap/8 = 1200.
    expect(cut).toBeGreaterThan((n * cap) / 16);
  });

  it('gives the same edges whatever the members order', () => {
    const a = new PairWeights();
    const b = new PairWeights();
    linkGroup(a, names(120), 1, 10);
    linkGroup(b, names(120).reverse(), 1, 10);
    expect(b.edges()).toEqual(a.edges());
  });

  it('weighs each linked pair once per group, even with a summing merge', () => {
    const acc = new PairWeights();
    linkGroup(acc, names(60), 1, 40, 'sum');
    expect(Math.max(...acc.edges().map((e) => e.w))).toBe(1);
  });
});
