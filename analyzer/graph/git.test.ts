import { describe, expect, it } from 'vitest';
import { isFicusError } from '../../core/index.js';
import type { CoChangeHistory, WeightedEdge } from '../model.js';
import { GIT_LAYER_OPTION, gitLayer } from './git.js';

const history = (pairs: WeightedEdge[], extra: Partial<CoChangeHistory> = {}): CoChangeHistory => ({
  available: true,
  head: 'abc',
  commits: 10,
  pairs,
  ...extra,
});

describe('gitLayer', () => {
  it('keeps pairs with enough support and scales the strongest to 1', () => {
    const layer = gitLayer(
      history([
        { a: 'a.ts', b: 'b.ts', w: 4 },
        { a: 'a.ts', b: 'c.ts', w: 1 },
        { a: 'b.ts', b: 'c.ts', w: 0.2 },
      ]),
      { quantile: 1 },
    );
    expect(layer.signal).toBe('git');
    expect(layer.edges).toEqual([
      { a: 'a.ts', b: 'b.ts', w: 1 },
      { a: 'a.ts', b: 'c.ts', w: 0.25 },
    ]);
    expect(layer.note).toBeUndefined();
  });

  it('clips above the quantile so one lockstep pair does not flatten the rest', () => {
    const pairs = Array.from({ length: 20 }, (_, i) => ({ a: `f${String(i).padStart(2, '0')}.ts`, b: 'z.ts', w: i === 19 ? 100 : 1 + i / 10 }));
    const layer = gitLayer(history(pairs));
    const w = new Map(layer.edges.map((e) => [e.a, e.w]));
    expect(w.get('f19.ts')).toBe(1);
    expect(w.get('f18.ts')).toBe(1);
    expect(w.get('f00.ts')).toBeCloseTo(1 / 2.8, 12);
  });

  it('honours minSupport', () => {
    const h = history([
      { a: 'a.ts', b: 'b.ts', w: 0.3 },
      { a: 'a.ts', b: 'c.ts', w: 0.6 },
    ]);
    expect(gitLayer(h).edges.map((e) => e.b)).toEqual(['c.ts']);
    expect(gitLayer(h, { minSupport: 0.1 }).edges).toHaveLength(2);
    const none = gitLayer(h, { minSupport: 1 });
    expect(none.edges).toEqual([]);
    expect(none.note).toBeTruthy();
  });

  it('carries the history note when git history is unavailable', () => {
    const layer = gitLayer({ available: false, note: 'no git history: not a work tree', commits: 0, pairs: [] });
    expect(layer).toEqual({ signal: 'git', edges: [], note: 'no git history: not a work tree' });
    expect(gitLayer({ available: false, commits: 0, pairs: [] }).note).toBeTruthy();
  });

  it('notes history that has commits but no co-changed pairs', () => {
    const layer = gitLayer(history([]));
    expect(layer.edges).toEqual([]);
    expect(layer.note).toBeTruthy();
  });

  it('carries a note about reduced history along with the edges', () => {
    const layer = gitLayer(history([{ a: 'a.ts', b: 'b.ts', w: 1 }], { note: '3 of 10 commits ignored' }));
    expect(layer.edges).toHaveLength(1);
    expect(layer.note).toBe('3 of 10 commits ignored');
  });

  it.each([{ minSupport: -1 }, { minSupport: Number.NaN }, { quantile: 1.5 }])('rejects %o with a code', (options) => {
    let err: unknown;
    try {
      gitLayer(history([]), options);
    } catch (e) {
      err = e;
    }
    expect(isFicusError(err) && err.code).toBe(GIT_LAYER_OPTION);
  });
});
