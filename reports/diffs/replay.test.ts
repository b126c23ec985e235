import { describe, expect, it } from 'vitest';
import type { ReplayClass, ReplayOutcome, ReplayResult } from '../../gateway/index.js';
import { checkReplayResult, renderReplayHtml, renderReplayMarkdown, replayRenderers } from '../index.js';
import { buildReplayView } from './replay-view.js';
import { record } from './test-records.js';

function outcome(cls: ReplayClass, options: { route?: string; paths?: string[]; newPaths?: string[]; at?: number; reason?: string } = {}): ReplayOutcome {
  const r = record({ route: options.route ?? 'products', at: options.at ?? 0 });
  const paths = options.paths ?? [];
  return {
    id: r.id,
    route: r.route,
    recordedAt: r.at,
    request: { method: r.request.method, url: r.request.url },
    class: cls,
    ...(options.reason !== undefined && { reason: options.reason }),
    recorded: r.differences,
    differences: paths.map((path) => ({ path, kind: 'changed', primary: 1, shadow: 2 })),
    newPaths: options.newPaths ?? [],
    noise: [],
    baseline: r.primary,
    target: cls === 'skipped' ? { target: 'service', status: 0, headers: {}, body: null, ms: 0 } : r.shadow,
  };
}

function result(outcomes: ReplayOutcome[]): ReplayResult {
  const n = (c: ReplayClass): number => outcomes.filter((o) => o.class === c).length;
  return {
    schemaVersion: 1,
    kind: 'ficus-replay',
    at: '2025-01-16T08:00:00.000Z',
    source: './ficus-diffs',
    target: 'http://127.0.0.1:4000',
    summary: {
      total: outcomes.length,
      fixed: n('fixed'),
      stillDifferent: n('still-different'),
      newlyDifferent: n('newly-different'),
      error: n('error'),
      skipped: n('skipped'),
    },
    outcomes,
  };
}

const sample = result([
  outcome('fixed'),
  outcome('fixed', { route: 'orders' }),
  outcome('still-different', { at: 20, paths: ['$.items[0].price', '$.items[4].price', '$.slug'], newPaths: ['$.slug'] }),
  outcome('still-different', { at: 10, paths: ['$.items[2].price'] }),
  outcome('newly-different', { route: 'orders', paths: ['$.total'], newPaths: ['$.total'] }),
  outcome('error', { reason: 'connect ECONNREFUSED 127.0.0.1:4000' }),
  outcome('skipped', { reason: 'POST is not replayed without --allow-unsafe' }),
]);

describe('replay view', () => {
  it('counts per class and per route, and lists what needs a look in class order, oldest first', () => {
    const v = buildReplayView(sample);
    expect(Object.fromEntries(v.classes.map((c) => [c.cls, c.count]))).toEqual({ fixed: 2, 'still-different': 2, 'newly-different': 1, error: 1, skipped: 1 });
    expect(v.classes.find((c) => c.cls === 'fixed')?.share).toBeCloseTo(2 / 7);
    expect(v.routes.map((r) => [r.route, r.total, r.counts['still-different'], r.counts['newly-different']])).toEqual([
      ['products', 5, 2, 0],
      ['orders', 2, 0, 1],
    ]);
    expect(v.listed.map((o) => o.class)).toEqual(['still-different', 'still-different', 'newly-different', 'error', 'skipped']);
    expect((v.listed[0]?.recordedAt ?? '') < (v.listed[1]?.recordedAt ?? '')).toBe(true);
    expect(v.passed).toBe(false);
  });

  it('counts the paths that still differ and those that newly differ, array indices together', () => {
    expect(buildReplayView(sample).paths).toEqual([
      { route: 'products', path: '$.items[*].price', still: 2, newly: 0 },
      { route: 'orders', path: '$.total', still: 0, newly: 1 },
      { route: 'products', path: '$.slug', still: 0, newly: 1 },
    ]);
  });

  it('passes when nothing still or newly differs and everything answered', () => {
    expect(buildReplayView(result([outcome('fixed'), outcome('skipped', { reason: 'r' })])).passed).toBe(true);
  });
});

describe('replay renderers', () => {
  it('HTML: verdict, a card per class, per-route table, and an outcome per record to look at with both answers', () => {
    const html = renderReplayHtml(sample);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('id="verdict"');
    expect(html.match(/<div class="card" data-class=/g)).toHaveLength(5);
    expect(html.match(/<details class="path outcome"/g)).toHaveLength(5);
    expect(html.match(/<div class="side">/g)).toHaveLength(4); // not for the skipped one
    expect(html).toContain('<span class="tag new">new</span>');
    expect(replayRenderers.html(sample)).toBe(html);
  });

  it('Markdown: summary, per route, paths, records by class with new paths marked', () => {
    const md = renderReplayMarkdown(sample);
    for (const h of [
      '## Summary',
      '## Per route',
      '## Paths that still differ',
      '## Records to look at',
      '### still different (2)',
      '### newly different (1)',
      '### error (1)',
      '### skipped (1)',
    ]) {
      expect(md).toContain(h);
    }
    expect(md).toContain('`$.slug` (new)');
    expect(md).toContain('connect ECONNREFUSED 127.0.0.1:4000');
    expect(md).toContain('**4 of 7 records are not fixed.**');
  });
});

describe('replay.json check', () => {
  it('accepts the contract and names the first bad field with RPT_REPLAY_INVALID', () => {
    expect(checkReplayResult(JSON.parse(JSON.stringify(sample)), 'replay.json')).toEqual(sample);
    const bad = (patch: (r: Record<string, unknown>) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
      patch(copy);
      return copy;
    };
    const cases: [unknown, string][] = [
      [[], '(top level)'],
      [bad((r) => (r.schemaVersion = 2)), 'schemaVersion'],
      [bad((r) => delete r.target), 'target'],
      [bad((r) => ((r.outcomes as Record<string, unknown>[])[3]!.class = 'mended')), 'outcomes[3].class'],
      [bad((r) => ((r.outcomes as Record<string, unknown>[])[0]!.baseline = { status: '200' })), 'outcomes[0].baseline.status'],
      [bad((r) => ((r.summary as Record<string, unknown>).fixed = null)), 'summary.fixed'],
    ];
    for (const [value, field] of cases) {
      expect(() => checkReplayResult(value, 'replay.json')).toThrow(
        expect.objectContaining({ code: 'RPT_REPLAY_INVALID', details: { file: 'replay.json', field } }),
      );
    }
  });
});
