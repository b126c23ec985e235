/**
 * Real shadow traffic for the diff-report tests: a monolith and a service on loopback (real HTTP
 * servers), the gateway in front of them in shadow mode with the ndjson diff store, and a fixed
 * plan of requests spread over six minutes of an injected clock. What the gateway records — the
 * DiffRecords of the answers that differed and the comparison tallies of every comparison — is
 * what the reports read, so nothing is written by hand.
 *
 * The plan, per minute m = 0…5 and i = 0…9 (n = 10m + i):
 *   GET /products/n — the service answers the price as a string when n % 4 = 0 (a real bug);
 *     both sides stamp `servedAt` from their own counter, and every call is also sent a second
 *     time to the monolith (secondarySample 100), so the gateway learns `servedAt` is noise
 *     after two comparisons: records that differ only there are noise;
 *   GET /orders/n — the service fails with 500 when n % 10 = 3, and agrees otherwise.
 * So products: 60 compared, 15 different, 45 noise; orders: 60 compared, 6 different, 0 noise.
 */
import { mkdtemp } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../core/index.js';
import { buildGateway, parseGatewayConfig } from '../../gateway/index.js';
import { createNdjsonStore } from '../../gateway/store/index.js';
import { startUpstream, type Received } from '../gateway/upstream.js';

export const BASE = Date.UTC(2025, 0, 15, 10, 0, 0);
export const MINUTES = 6;
export const PER_MINUTE = 10;

export const EXPECTED = {
  products: { compared: 60, different: 15, noise: 45 },
  orders: { compared: 60, different: 6, noise: 0 },
  /** products per minute: n % 4 = 0 among 10m … 10m+9. */
  productsDifferentPerMinute: [3, 2, 3, 2, 3, 2],
} as const;

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** How one side answers; `fixed` is a later build of the service with the price bug fixed. */
export function answer(side: 'monolith' | 'service', options: { readonly fixed?: boolean } = {}): (req: Received, res: ServerResponse) => void {
  let served = side === 'monolith' ? 0 : 1_000_000;
  return (req, res) => {
    const [, kind, id] = req.url.split(/[/?]/);
    const n = Number(id);
    served += 1;
    if (kind === 'products') {
      const price = 10 + n;
      return json(res, 200, {
        id: n,
        name: `Product ${n}`,
        price: side === 'service' && !options.fixed && n % 4 === 0 ? String(price) : price,
        servedAt: served,
      });
    }
    if (kind === 'orders') {
      if (side === 'service' && n % 10 === 3) return json(res, 500, { error: 'order store unavailable' });
      return json(res, 200, { id: n, total: n * 2, lines: [{ sku: `SKU-${n}`, qty: 1 }] });
    }
    json(res, 404, { error: 'not found' });
  };
}

/** Runs the plan through a real gateway into a fresh diffs folder and returns the folder. */
export async function recordShadowTraffic(): Promise<string> {
  const monolith = await startUpstream(answer('monolith'));
  const service = await startUpstream(answer('service'));
  const dir = await mkdtemp(join(tmpdir(), 'ficus-diff-report-'));
  let clock = new Date(BASE);
  const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${monolith.url} }
  service: { url: ${service.url} }
routes:
  - id: products
    match: { path: /products }
    service: service
    mode: shadow
    shadow: { secondarySample: 100 }
  - id: orders
    match: { path: /orders }
    service: service
    mode: shadow
diffs: { store: ndjson, path: ${dir} }
`);
  // The store files are named by the same clock, as they are when the clock is real.
  const diffStore = await createNdjsonStore({ dir, now: () => clock });
  const gw = await buildGateway({ config, diffStore, logger: createLogger({ level: 'silent' }), now: () => clock });
  try {
    const base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    for (let m = 0; m < MINUTES; m += 1) {
      for (let i = 0; i < PER_MINUTE; i += 1) {
        const n = m * PER_MINUTE + i;
        clock = new Date(BASE + m * 60_000 + i * 5_000);
        for (const route of ['products', 'orders']) {
          const res = await fetch(`${base}/${route}/${n}`, { headers: { authorization: 'Bearer s3cr3t', 'x-user-id': `u${n}` } });
          await res.arrayBuffer();
          // One comparison at a time, so the noise model learns in request order.
          for (let k = 0; k < 400 && gw.runtime.stats.snapshot(route).shadow.compared <= n; k += 1) await new Promise((r) => setTimeout(r, 5));
        }
      }
    }
  } finally {
    await gw.close(200);
    await monolith.close();
    await service.close();
  }
  return dir;
}
