import { describe, expect, it } from 'vitest';
import type { Difference } from '../model.js';
import { truncationMarker } from './compare.js';
import { NoiseModel } from './noise.js';

const changed = (path: string, primary: unknown, shadow: unknown): Difference => ({ path, kind: 'changed', primary, shadow });

describe('NoiseModel: learning from the secondary', () => {
  it('marks a path as noise once the secondary differed on it minSecondary times', () => {
    const m = new NoiseModel();
    const d = [changed('$.requestId', 'a', 'b')];
    m.observeSecondary(d);
    expect(m.isNoise(d)).toBe(false);
    m.observeSecondary([changed('$.requestId', 'c', 'd')]);
    expect(m.isNoise(d)).toBe(true);
    expect(m.snapshot()).toEqual([
      { path: '$.requestId', reason: 'secondary', secondary: 2, comparisons: 0, differed: 0, distinctPrimary: 0, distinctShadow: 0 },
    ]);
  });

  it('normalises array indices', () => {
    const m = new NoiseModel({ minSecondary: 2 });
    m.observeSecondary([changed('$.items[3].updatedAt', 1, 2)]);
    m.observeSecondary([changed('$.items[7].updatedAt', 1, 2), changed('$.items[8].updatedAt', 1, 2)]);
    expect(m.snapshot().map((p) => [p.path, p.secondary])).toEqual([['$.items[*].updatedAt', 2]]);
    expect(m.isNoise([changed('$.items[0].updatedAt', 'x', 'y'), changed('$.items[99].updatedAt', 'x', 'y')])).toBe(true);
  });

  it('is noise only when every difference is on a noise path, and never for none', () => {
    const m = new NoiseModel({ minSecondary: 1 });
    m.observeSecondary([changed('headers.date', 'a', 'b')]);
    expect(m.isNoise([])).toBe(false);
    expect(m.isNoise([changed('headers.date', 'x', 'y')])).toBe(true);
    expect(m.isNoise([changed('headers.date', 'x', 'y'), changed('$.price', 1, 2)])).toBe(false);
  });
});

describe('NoiseModel: learning from ever-changing values', () => {
  it('learns a timestamp that differs every time with ever-new values', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 49; i++) m.observe([changed('$.generatedAt', `t${i}`, `s${i}`)], true);
    expect(m.isNoise([changed('$.generatedAt', 'x', 'y')])).toBe(false);
    m.observe([changed('$.generatedAt', 't49', 's49')], true);
    expect(m.isNoise([changed('$.generatedAt', 'x', 'y')])).toBe(true);
    expect(m.snapshot()).toEqual([
      { path: '$.generatedAt', reason: 'ever-changing', secondary: 0, comparisons: 50, differed: 50, distinctPrimary: 50, distinctShadow: 50 },
    ]);
  });

  it('does NOT learn a real, stable bug: differs every time, but the primary value is constant', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 500; i++) m.observe([changed('$.currency', 'EUR', `X${i}`)], true);
    expect(m.isNoise([changed('$.currency', 'EUR', 'USD')])).toBe(false);
    expect(m.snapshot()).toEqual([]);
  });

  it('does NOT learn a shadow stuck on one wrong value, nor a field the shadow lacks', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 100; i++) {
      m.observe([changed('$.price', i, 0), { path: '$.id', kind: 'removed', primary: i }], true);
    }
    expect(m.snapshot()).toEqual([]);
  });

  it('does not learn a path that differs in fewer than 95 % of comparisons', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 100; i++) m.observe(i % 10 === 0 ? [] : [changed('$.flaky', i, -i)], true);
    expect(m.snapshot()).toEqual([]);
  });

  it('counts comparisons from when a path was first seen', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 1000; i++) m.observe([], true);
    for (let i = 0; i < 60; i++) m.observe([changed('$.nonce', i, -i)], true);
    expect(m.snapshot()).toMatchObject([{ path: '$.nonce', reason: 'ever-changing', comparisons: 60 }]);
  });

  it('keeps the distinct-value table bounded and still classifies long runs', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 5000; i++) m.observe([changed('$.ts', i, i + 1)], true);
    expect(m.snapshot()).toMatchObject([{ path: '$.ts', reason: 'ever-changing', distinctPrimary: 64, distinctShadow: 64, differed: 5000 }]);
  });

  it('does not learn when nothing was compared, from errors, or from truncated lists', () => {
    const m = new NoiseModel();
    for (let i = 0; i < 100; i++) {
      m.observe([changed('$.a', i, -i)], false);
      m.observe([{ path: 'status', kind: 'error', primary: 200, shadow: 'ECONNREFUSED' }], true);
      m.observe([changed('$.b', i, -i), truncationMarker(99)], true);
    }
    expect(m.snapshot()).toEqual([]);
    expect(m.counts).toEqual({ comparisons: 0, skipped: 300, paths: 0 });
    expect(m.isNoise([{ path: 'status', kind: 'error', primary: 200, shadow: 'x' }])).toBe(false);
  });
});

describe('NoiseModel: bounded memory and determinism', () => {
  it('caps tracked paths and drops the least seen, keeping noise paths', () => {
    const m = new NoiseModel({ maxPaths: 100, minSecondary: 2 });
    m.observeSecondary([changed('$.noisy', 1, 2)]);
    m.observeSecondary([changed('$.noisy', 1, 2)]);
    for (let i = 0; i < 1000; i++) m.observe([changed(`$.k${i}`, i, -i)], true);
    expect(m.counts.paths).toBeLessThanOrEqual(100);
    expect(m.isNoise([changed('$.noisy', 3, 4)])).toBe(true);
  });

  it('gives the same snapshot for the same observations', () => {
    const run = () => {
      const m = new NoiseModel({ maxPaths: 50 });
      for (let i = 0; i < 300; i++) m.observe([changed('$.ts', i, i * 7), changed(`$.x${i % 80}`, i % 3, 0)], true);
      return m.snapshot();
    };
    expect(run()).toEqual(run());
  });
});
