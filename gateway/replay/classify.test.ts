import { describe, expect, it } from 'vitest';
import type { Difference } from '../model.js';
import { truncationMarker } from '../shadow/compare.js';
import { classify, failed, summarise } from './classify.js';

const d = (path: string, kind: Difference['kind'] = 'changed'): Difference => ({ path, kind, primary: 1, shadow: 2 });
const none = new Set<string>();

describe('classify', () => {
  it('is fixed when nothing differs now', () => {
    const c = classify([d('$.price'), d('status', 'status')], [], none);
    expect(c).toEqual({ class: 'fixed', differences: [], newPaths: [], noise: [] });
  });

  it('is fixed when what differs now is all on noise paths, which are listed apart', () => {
    const c = classify([d('$.price')], [d('$.generatedAt'), d('headers.date', 'header')], new Set(['$.generatedAt', 'headers.date']));
    expect(c.class).toBe('fixed');
    expect(c.noise.map((x) => x.path)).toEqual(['$.generatedAt', 'headers.date']);
  });

  it('is still-different when a recorded path still differs', () => {
    const c = classify([d('$.price'), d('$.tags[0]')], [d('$.price')], none);
    expect(c.class).toBe('still-different');
    expect(c.newPaths).toEqual([]);
  });

  it('matches paths with array indices as [*]', () => {
    expect(classify([d('$.items[2].price')], [d('$.items[5].price')], none).class).toBe('still-different');
    expect(classify([d('$.price')], [d('$.items[0].updatedAt')], new Set(['$.items[*].updatedAt'])).class).toBe('fixed');
  });

  it('is newly-different when only paths that did not differ then differ now', () => {
    const c = classify([d('$.price')], [d('$.name'), d('$.name'), d('status', 'status')], none);
    expect(c.class).toBe('newly-different');
    expect(c.newPaths).toEqual(['$.name', 'status']);
  });

  it('is still-different, listing the new paths, when old and new paths both differ', () => {
    const c = classify([d('$.price')], [d('$.price'), d('$.name')], none);
    expect(c.class).toBe('still-different');
    expect(c.newPaths).toEqual(['$.name']);
  });

  it('counts nothing as new when the recorded list was truncated or the shadow had not answered', () => {
    const truncated = [...Array.from({ length: 99 }, (_, i) => d(`$.a${i}`)), truncationMarker(99)];
    expect(classify(truncated, [d('$.zzz')], none)).toMatchObject({ class: 'still-different', newPaths: [] });
    const unanswered = [{ path: 'status', kind: 'error', primary: 200, shadow: 'ECONNREFUSED' } as const];
    expect(classify(unanswered, [d('$.price')], none)).toMatchObject({ class: 'still-different', newPaths: [] });
  });

  it('never counts a truncation marker as noise or as a new path', () => {
    const now = [...Array.from({ length: 99 }, (_, i) => d(`$.a${i}`)), truncationMarker(99)];
    const c = classify([d('$.a0')], now, new Set(['$']));
    expect(c.class).toBe('still-different');
    expect(c.noise).toEqual([]);
    expect(c.newPaths).not.toContain('$');
  });
});

describe('summarise and failed', () => {
  it('counts per class; fails on still, newly different and error, not on fixed or skipped', () => {
    const s = summarise([{ class: 'fixed' }, { class: 'skipped' }, { class: 'fixed' }]);
    expect(s).toEqual({ total: 3, fixed: 2, stillDifferent: 0, newlyDifferent: 0, error: 0, skipped: 1 });
    expect(failed(s)).toBe(false);
    for (const c of ['still-different', 'newly-different', 'error'] as const) expect(failed(summarise([{ class: 'fixed' }, { class: c }]))).toBe(true);
  });
});
