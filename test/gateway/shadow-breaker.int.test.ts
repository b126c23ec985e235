// A shadow side that is down: the first calls fail and are recorded, then the upstream's circuit
// breaker opens and shadow calls stop dialling it — dropped and counted as circuit-open, not
// recorded once per request — while every primary answer is served as usual.
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, parseGatewayConfig, type Gateway } from '../../gateway/index.js';
import { startUpstream, type TestUpstream } from './upstream.js';

async function deadPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('shadowing to a side that is down', () => {
  let monolith: TestUpstream;
  let gw: Gateway;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    monolith = await startUpstream();
    dir = await mkdtemp(join(tmpdir(), 'ficus-shadow-breaker-'));
    const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${monolith.url} }
  svc: { url: http://127.0.0.1:${await deadPort()} }
routes:
  - { id: items, match: { path: /items }, service: svc, mode: shadow }
diffs: { store: ndjson, path: ${dir} }
accessLog: false
`);
    gw = await buildGateway({ config, logger: createLogger({ level: 'silent' }) });
    base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
  });

  afterAll(async () => {
    await gw?.close(200);
    await monolith?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops dialling it once the breaker opens, counting the drops, and serves every primary', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      statuses.push((await fetch(`${base}/items/${i}`)).status);
      for (let k = 0; k < 50 && gw.dispatcher.pending > 0; k++) await new Promise((r) => setTimeout(r, 5));
    }
    expect(statuses).toEqual(Array(60).fill(200));
    await gw.writer.flush();
    const records = await gw.store.list({ limit: 1000, includeNoise: true });
    const s = gw.runtime.stats.snapshot('items');
    expect(records.length).toBeGreaterThan(0); // the first failures are recorded
    expect(records.length).toBeLessThan(20);
    expect(records.every((r) => r.differences[0]?.kind === 'error')).toBe(true);
    expect(s.shadow.dropped).toBeGreaterThan(40);
    const metrics = await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_shadow_dropped_total');
    expect(metrics).toMatch(/reason="circuit-open"[^\n]* (\d+)/);
  });
});
