import { describe, expect, it } from 'vitest';
import { ALL_ROUTES, type RouteView } from './model.js';
import { generalisePath, parsePath } from './paths.js';
import { MIN, record, T0, tally } from './test-records.js';
import { bucketWidth, MAX_BUCKETS } from './timeline.js';
import { buildDiffView } from './view.js';

const routeOf = (routes: readonly RouteView[], name: string): RouteView => {
  const r = routes.find((x) => x.route === name);
  if (r === undefined) throw new Error(`no route ${name}`);
  return r;
};

describe('diff view: rates from tallies', () => {
  it('gives each bucket different / compared, and totals over the tallies', () => {
    const v = buildDiffView({
      source: 'diffs',
      records: [record({ at: 5_000 }), record({ at: 6_000, noise: true }), record({ route: 'orders', at: MIN + 1 })],
      tallies: [tally('products', 0, 10, 2, 1), tally('products', 1, 5), tally('orders', 1, 4, 1), tally('orders', 2, 4)],
    });
    expect(v.tallied).toBe(true);
    expect(v.bucketMs).toBe(MIN);
    expect(v.span).toEqual({ from: new Date(T0).toISOString(), to: new Date(T0 + 2 * MIN).toISOString() });
    const products = routeOf(v.routes, 'products');
    expect(products.timeline.map((b) => [b.compared, b.different, b.noise, b.rate, b.records])).toEqual([
      [10, 2, 1, 0.2, 2],
      [5, 0, 0, 0, 0],
      [0, 0, 0, null, 0],
    ]);
    expect(products.totals).toEqual({ compared: 15, different: 2, noise: 1, rate: 2 / 15, noiseShare: 1 / 3, records: 2 });
    const all = v.routes[0];
    expect(all?.route).toBe(ALL_ROUTES);
    expect(all?.timeline.map((b) => b.rate)).toEqual([0.2, 1 / 9, 0]);
    expect(all?.totals).toMatchObject({ compared: 23, different: 3, noise: 1, rate: 3 / 23, noiseShare: 0.25, records: 3 });
  });

  it('has no rate for a bucket with records but no tally in a tallied route', () => {
    const v = buildDiffView({ source: 'd', records: [record({ at: 2 * MIN }), record({ at: 2 * MIN + 5 })], tallies: [tally('products', 0, 3, 1)] });
    const b = routeOf(v.routes, 'products').timeline[2];
    expect(b).toMatchObject({ compared: null, rate: null, different: 2, records: 2 });
  });

  it('counts only, with no rate, when there are no tallies', () => {
    const v = buildDiffView({ source: 'd', records: [record(), record({ at: 10 }), record({ at: MIN, noise: true })] });
    expect(v.tallied).toBe(false);
    const products = routeOf(v.routes, 'products');
    expect(products.tallied).toBe(false);
    expect(products.timeline.map((b) => [b.compared, b.different, b.noise, b.rate])).toEqual([
      [null, 2, 0, null],
      [null, 0, 1, null],
    ]);
    expect(products.totals).toEqual({ compared: null, different: 2, noise: 1, rate: null, noiseShare: 1 / 3, records: 3 });
  });

  it('orders routes by differences, most first, after all routes', () => {
    const v = buildDiffView({ source: 'd', records: [record({ route: 'a' }), record({ route: 'b' }), record({ route: 'b' })], tallies: [tally('c', 0, 100)] });
    expect(v.routes.map((r) => r.route)).toEqual([ALL_ROUTES, 'b', 'a', 'c']);
  });

  it('counts a record written twice (a retried write) once', () => {
    const r = record();
    const v = buildDiffView({ source: 'd', records: [r, r, { ...r }] });
    expect(v.routes[0]?.totals.records).toBe(1);
    expect(v.paths[0]?.records).toBe(1);
  });

  it('widens buckets to keep a timeline within MAX_BUCKETS, up to a day', () => {
    expect(bucketWidth(T0, T0 + 95 * MIN)).toBe(MIN);
    expect(bucketWidth(T0, T0 + 96 * MIN)).toBe(5 * MIN);
    expect(bucketWidth(T0, T0 + 23 * 60 * MIN)).toBe(15 * MIN);
    expect(bucketWidth(T0, T0 + 24 * 60 * MIN)).toBe(30 * MIN);
    expect(bucketWidth(T0, T0 + 365 * 24 * 60 * MIN)).toBe(24 * 60 * MIN);
    const v = buildDiffView({ source: 'd', records: [record(), record({ at: 7 * 24 * 60 * MIN })] });
    expect(v.routes[0]?.timeline.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(v.routes[0]?.timeline.reduce((n, b) => n + b.different, 0)).toBe(2);
  });
});

describe('diff view: the paths that differ most', () => {
  it('generalises array indices, counts a record once per path, and orders by records', () => {
    const v = buildDiffView({
      source: 'd',
      records: [
        record({ paths: ['$.items[0].price', '$.items[3].price', 'headers.x-version'] }),
        record({ paths: ['$.items[1].price'] }),
        record({ paths: ['$.items[2].price', 'status'] }),
        record({ route: 'orders', paths: ['status'] }),
      ],
    });
    expect(v.paths.map((p) => [p.route, p.path, p.records])).toEqual([
      ['products', '$.items[*].price', 3],
      ['orders', 'status', 1],
      ['products', 'headers.x-version', 1],
      ['products', 'status', 1],
    ]);
  });

  it('gives each path its noise share and an example that is not noise when there is one', () => {
    const noisy = record({ at: 0, paths: ['$.updatedAt'], noise: true });
    const real = record({ at: 10, paths: ['$.updatedAt', '$.price'] });
    const v = buildDiffView({ source: 'd', records: [noisy, real, record({ at: 20, paths: ['$.updatedAt'], noise: true })] });
    const updated = v.paths.find((p) => p.path === '$.updatedAt');
    expect(updated).toMatchObject({ records: 3, noise: 2, noiseShare: 2 / 3, firstAt: noisy.at });
    expect(updated?.example.id).toBe(real.id);
    expect(updated?.example.primary).toEqual(real.primary);
    expect(updated?.example.shadow).toEqual(real.shadow);
    expect(v.paths.map((p) => p.path)).toEqual(['$.updatedAt', '$.price']);
    const onlyNoise = buildDiffView({ source: 'd', records: [noisy] }).paths[0];
    expect(onlyNoise?.example.id).toBe(noisy.id);
    expect(onlyNoise?.noiseShare).toBe(1);
  });

  it('ranks paths by the records that are not noise, so a noisy path does not crowd out a real one', () => {
    const v = buildDiffView({
      source: 'd',
      records: [
        ...Array.from({ length: 5 }, (_, i) => record({ at: i, paths: ['$.updatedAt'], noise: true })),
        record({ at: 10, paths: ['$.total'] }),
        record({ at: 11, paths: ['$.total', '$.updatedAt'] }),
      ],
    });
    expect(v.paths.map((p) => [p.path, p.records, p.noise])).toEqual([
      ['$.total', 2, 0],
      ['$.updatedAt', 6, 5],
    ]);
  });

  it('keeps at most pathsPerRoute paths per route and says how many were left out', () => {
    const records = Array.from({ length: 5 }, (_, i) => record({ paths: Array.from({ length: i + 1 }, (_, j) => `$.f${j}`) }));
    const v = buildDiffView({ source: 'd', records, pathsPerRoute: 3 });
    expect(v.paths.map((p) => [p.path, p.records])).toEqual([
      ['$.f0', 5],
      ['$.f1', 4],
      ['$.f2', 3],
    ]);
    expect(v.pathsLeftOut).toBe(2);
  });
});

describe('difference paths', () => {
  it('parses the gateway’s concrete paths and generalises indices only', () => {
    expect(parsePath("$.items[2]['first name'].x")).toEqual(['items', 2, 'first name', 'x']);
    expect(parsePath('$["a\\"b"][0]')).toEqual(['a"b', 0]);
    expect(parsePath('headers.content-type')).toBeNull();
    expect(generalisePath("$.items[12]['a[1]']")).toBe("$.items[*]['a[1]']");
    expect(generalisePath('status')).toBe('status');
    expect(generalisePath('$')).toBe('$');
  });
});
