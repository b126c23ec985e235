// The gateway in front of the real sample monolith and the extracted catalog service (both on
// embedded PGlite, on loopback): shadow mode answers from the monolith and records exactly the
// documented differences; unsafe methods are not shadowed; canary splits by sticky cohort;
// service mode falls back to the monolith; a hung shadow never holds up the primary.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, parseGatewayConfig, type DiffRecord, type Gateway } from '../../gateway/index.js';
import { buildApp as buildCatalog } from '../../samples/catalog-service/app.js';
import { openDatabase } from '../../samples/catalog-service/db/pool.js';
import { applySchema } from '../../samples/catalog-service/db/schema.js';
import { seedCatalog } from '../../samples/catalog-service/db/seed.js';
import { startServer } from '../../samples/legacy-shop/server.js';
import { startUpstream, type TestUpstream } from './upstream.js';

describe('gateway shadowing the sample monolith with the catalog service', () => {
  let shop: { url: string; close(): Promise<void> };
  let catalog: FastifyInstance;
  let catalogUrl: string;
  let hung: TestUpstream;
  let gw: Gateway;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    shop = await startServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const db = await openDatabase(undefined);
    await applySchema(db);
    await seedCatalog(db);
    catalog = await buildCatalog({ db });
    catalog.addHook('onClose', async () => db.close());
    await catalog.listen({ port: 0, host: '127.0.0.1' });
    const addr = catalog.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    catalogUrl = `http://127.0.0.1:${addr.port}`;
    hung = await startUpstream(() => undefined);
    dir = await mkdtemp(join(tmpdir(), 'ficus-shadow-'));
    const config = parseGatewayConfig(`
upstreams:
  monolith: { url: ${shop.url} }
  catalog: { url: ${catalogUrl}, timeoutMs: 2000 }
  hung: { url: ${hung.url} }
routes:
  - id: products
    match: { path: /products }
    service: catalog
    mode: shadow
    cohort: { header: x-user-id }
    shadow: { compare: { headers: [content-type, x-catalog-version] } }
  - id: categories
    match: { path: /categories, methods: [GET] }
    service: catalog
    mode: shadow
  - id: hung
    match: { path: /health }
    service: hung
    mode: shadow
    shadow: { timeoutMs: 60000 }
diffs: { store: ndjson, path: ${dir} }
limits: { shadowInFlight: 4 }
`);
    gw = await buildGateway({ config, logger: createLogger({ level: 'silent' }) });
    base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
  });

  afterAll(async () => {
    await gw?.close(200);
    await catalog?.close();
    await shop?.close();
    await hung?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const settle = async (): Promise<DiffRecord[]> => {
    for (let i = 0; i < 100 && gw.dispatcher.pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    await gw.writer.flush();
    return gw.store.list({ limit: 1000, includeNoise: true });
  };

  it('answers from the monolith, byte for byte, in shadow mode', async () => {
    const direct = await (await fetch(`${shop.url}/products?limit=5`)).text();
    const viaGateway = await fetch(`${base}/products?limit=5`, { headers: { authorization: 'Bearer s3cr3t', cookie: 'sid=abc' } });
    expect(viaGateway.status).toBe(200);
    expect(await viaGateway.text()).toBe(direct);
    expect(viaGateway.headers.get('x-catalog-version')).toBeNull();
  });

  it('records the documented differences: price as a string, the extra slug, the version header', async () => {
    const records = (await settle()).filter((r) => r.route === 'products' && r.request.url === '/products?limit=5');
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect(r.primary.target).toBe('monolith');
    expect(r.shadow.target).toBe('service');
    const byPath = new Map(r.differences.map((d) => [d.path, d]));
    expect(byPath.get('headers.x-catalog-version')).toMatchObject({ kind: 'header', shadow: '2' });
    const price = r.differences.find((d) => /^\$\.items\[\d+\]\.price$/.test(d.path));
    expect(price?.kind).toBe('type');
    expect(typeof price?.primary).toBe('number');
    expect(typeof price?.shadow).toBe('string');
    const slug = r.differences.find((d) => /^\$\.items\[\d+\]\.slug$/.test(d.path));
    expect(slug?.kind).toBe('added');
    // Only those kinds of difference: names, ids, totals and the rest agree.
    for (const d of r.differences) expect(d.path).toMatch(/^(headers\.x-catalog-version|\$\.items\[\d+\]\.(price|slug))$/);
    // Secrets never reach the record.
    expect(r.request.headers.authorization).toBe('[redacted]');
    expect(r.request.headers.cookie).toBe('[redacted]');
  });

  it('finds the search-order difference', async () => {
    await fetch(`${base}/products?q=steel&limit=50`);
    const r = (await settle()).find((x) => x.request.url === '/products?q=steel&limit=50')!;
    expect(r).toBeDefined();
    expect(r.differences.some((d) => /^\$\.items\[\d+\]\.(id|name)$/.test(d.path) && d.kind === 'changed')).toBe(true);
  });

  it('identical answers are compared and not recorded', async () => {
    const before = (await settle()).length;
    const res = await fetch(`${base}/categories/does-not-exist/products`);
    expect(res.status).toBe(404);
    await settle();
    expect((await settle()).length).toBe(before);
    expect(gw.runtime.stats.snapshot('categories').shadow.compared).toBeGreaterThan(0);
  });

  it('never shadows unsafe methods to a live service', async () => {
    const count = async () => (await (await fetch(`${catalogUrl}/products?limit=1`)).json() as { total: number }).total;
    const before = await count();
    const created = await fetch(`${base}/products`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: 'GW-1', name: 'Via Gateway', priceCents: 100, categoryId: 1 }) });
    expect(created.status).toBe(201);
    await settle();
    expect(await count()).toBe(before);
    expect(gw.runtime.stats.snapshot('products').shadow.skipped).toBeGreaterThan(0);
  });

  it('canary splits by sticky cohort: the same user always lands on the same side', async () => {
    gw.runtime.change({ route: 'products', mode: 'canary', weight: 50, by: 'test' });
    const sideOf = async (user: string) => {
      const res = await fetch(`${base}/products/1`, { headers: { 'x-user-id': user } });
      return res.headers.get('x-catalog-version') === '2' ? 'service' : 'monolith';
    };
    const sides: string[] = [];
    for (let u = 0; u < 120; u++) sides.push(await sideOf(`user-${u}`));
    for (let u = 0; u < 120; u += 7) expect(await sideOf(`user-${u}`)).toBe(sides[u]);
    const share = sides.filter((s) => s === 'service').length / sides.length;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    gw.runtime.change({ route: 'products', mode: 'shadow', by: 'test' });
  });

  it('service mode answers from the service, and falls back to the monolith when it is down', async () => {
    gw.runtime.change({ route: 'products', mode: 'service', by: 'test' });
    const served = await fetch(`${base}/products/1`);
    expect(served.headers.get('x-catalog-version')).toBe('2');
    await catalog.close();
    const fallback = await fetch(`${base}/products/1`);
    expect(fallback.status).toBe(200);
    expect(fallback.headers.get('x-catalog-version')).toBeNull();
    expect(((await fallback.json()) as { id: number }).id).toBe(1);
    expect(gw.runtime.stats.snapshot('products').fallbacks).toBeGreaterThan(0);
    gw.runtime.change({ route: 'products', mode: 'shadow', by: 'test' });
  });

  it('a hung shadow upstream never holds up the primary; calls beyond the in-flight bound are dropped and counted', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${base}/health`).then((r) => r.status)));
    expect(answers).toEqual(Array(10).fill(200));
    await new Promise((r) => setTimeout(r, 50));
    const s = gw.runtime.stats.snapshot('hung');
    expect(s.requests).toBe(10);
    expect(s.shadow.dropped).toBeGreaterThanOrEqual(6);
    expect(gw.dispatcher.pending).toBeLessThanOrEqual(4);
  });
});
