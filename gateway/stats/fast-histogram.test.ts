import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FastHistogram } from './fast-histogram.js';
import { GatewayMetrics } from './metrics.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];

describe('FastHistogram', () => {
  it('exposes exactly what a prom-client Histogram fed the same observations does', async () => {
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new FastHistogram({ name: 'x_seconds', help: 'x help', labelNames: ['route', 'target'], buckets: BUCKETS, registers: [ours] });
    const ref = new Histogram({ name: 'x_seconds', help: 'x help', labelNames: ['route', 'target'], buckets: BUCKETS, registers: [theirs] });
    const samples: [string, string, number][] = [
      ['products', 'monolith', 0.0004],
      ['products', 'monolith', 0.001], // on a bound: counted in it (le is inclusive)
      ['products', 'service', 0.05],
      ['products', 'monolith', 3],
      ['orders', 'monolith', 0.5],
    ];
    for (const [route, target, v] of samples) {
      fast.child([route, target]).observe(v);
      ref.observe({ route, target }, v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('reset forgets every label set', async () => {
    const r = new Registry();
    const h = new FastHistogram({ name: 'y_seconds', help: 'y', labelNames: ['route'], buckets: BUCKETS, registers: [r] });
    h.child(['a']).observe(0.2);
    r.resetMetrics();
    expect(await r.metrics()).not.toContain('route="a"');
  });
});

describe('GatewayMetrics.record', () => {
  it('counts every request in ficus_gateway_requests_total and the duration histogram at scrape time', async () => {
    const m = new GatewayMetrics(false);
    for (let i = 0; i < 5; i++) m.record('products', 'monolith', 200, 4);
    m.record('products', 'service', 503, 1200);
    const text = await m.registry.metrics();
    expect(text).toContain('ficus_gateway_requests_total{route="products",target="monolith",code="200"} 5');
    expect(text).toContain('ficus_gateway_requests_total{route="products",target="service",code="503"} 1');
    expect(text).toContain('ficus_gateway_request_duration_seconds_bucket{le="0.005",route="products",target="monolith"} 5');
    expect(text).toContain('ficus_gateway_request_duration_seconds_count{route="products",target="service"} 1');
    // Counted once: a second scrape adds nothing new.
    m.record('products', 'monolith', 200, 4);
    expect(await m.registry.metrics()).toContain('ficus_gateway_requests_total{route="products",target="monolith",code="200"} 6');
  });
});
