import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelCounts } from './label-counts.js';

function counted(maxKeys?: number) {
  const registry = new Registry();
  const counter: Counter<'route' | 'reason'> = new Counter({
    name: 'dropped_total',
    help: 'h',
    labelNames: ['route', 'reason'] as const,
    registers: [registry],
    collect: () => counts.flush(),
  });
  const counts = new LabelCounts(counter, 'route', 'reason', maxKeys);
  const values = async () => Object.fromEntries((await counter.get()).values.map((v) => [`${v.labels.route}/${v.labels.reason}`, v.value]));
  return { registry, counts, values };
}

describe('LabelCounts', () => {
  it('every increment reaches the Counter at scrape time, per label set', async () => {
    const { counts, values, registry } = counted();
    counts.inc('items', 'queue-full');
    counts.inc('items', 'queue-full');
    counts.inc('items', 'timeout');
    counts.inc('search', 'queue-full');
    expect(await values()).toEqual({ 'items/queue-full': 2, 'items/timeout': 1, 'search/queue-full': 1 });
    expect(await registry.metrics()).toContain('dropped_total{route="items",reason="queue-full"} 2');
  });

  it('scrapes add only what came since the last one (the Counter keeps the totals)', async () => {
    const { counts, values } = counted();
    counts.inc('items', 'error');
    expect(await values()).toEqual({ 'items/error': 1 });
    expect(await values()).toEqual({ 'items/error': 1 });
    counts.inc('items', 'error');
    counts.inc('items', 'error');
    expect(await values()).toEqual({ 'items/error': 3 });
  });

  it('beyond maxKeys label sets, increments go straight into the Counter', async () => {
    const { counts, values } = counted(2);
    counts.inc('a', 'x');
    counts.inc('b', 'x');
    counts.inc('c', 'x');
    counts.inc('c', 'x');
    counts.inc('a', 'x');
    expect(await values()).toEqual({ 'a/x': 2, 'b/x': 1, 'c/x': 2 });
  });
});
