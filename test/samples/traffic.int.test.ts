/**
 * The traffic generator against the catalog service started in-process on PGlite: the summary's
 * counts add up and agree with what the server saw (counted in fastify hooks), every request
 * carries x-user-id, the plan is deterministic per seed and is what actually arrives, slots over
 * the concurrency bound are dropped and counted, and bad CLI arguments are refused with a code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../samples/catalog-service/app.js';
import { openDatabase, type Database } from '../../samples/catalog-service/db/pool.js';
import { applySchema } from '../../samples/catalog-service/db/schema.js';
import { seedCatalog, type CatalogSeed } from '../../samples/catalog-service/db/seed.js';
import { runTraffic } from '../../samples/traffic/generator.js';
import { CATALOG, planRequests, type PlannedRequest } from '../../samples/traffic/mix.js';
import { parseCliOptions, parseDuration, TrafficArgError } from '../../samples/traffic/options.js';
import { mulberry32 } from '../../samples/traffic/random.js';
import { formatSummary } from '../../samples/traffic/summary.js';
import { REPO_ROOT } from '../harness/index.js';

interface Arrival {
  method: string;
  url: string;
  userId: string | undefined;
  seq: number;
  status?: number;
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/** Records every request the app receives, and its status, keyed by x-traffic-seq. */
function recordArrivals(app: FastifyInstance, into: Arrival[]): void {
  app.addHook('onRequest', async (req) => {
    const userId = req.headers['x-user-id'];
    into.push({
      method: req.method,
      url: req.url,
      userId: typeof userId === 'string' ? userId : undefined,
      seq: Number(req.headers['x-traffic-seq']),
    });
  });
  app.addHook('onResponse', async (req, reply) => {
    const seq = Number(req.headers['x-traffic-seq']);
    const arrival = into.find((a) => a.seq === seq && a.status === undefined);
    if (arrival !== undefined) arrival.status = reply.statusCode;
  });
}

const expectedPath = (p: PlannedRequest): RegExp | string =>
  p.createdSku === undefined ? p.path : new RegExp(`^${p.path.replace(':created', '\\d+')}$`);

describe('traffic generator', () => {
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  const arrivals: Arrival[] = [];

  beforeAll(async () => {
    db = await openDatabase();
    await applySchema(db);
    await seedCatalog(db);
    app = await buildApp({ db });
    recordArrivals(app, arrivals);
    base = await listen(app);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('plans the same requests for the same seed, and different ones for another seed', () => {
    const a = planRequests(42, 300, { mix: 'shop' });
    expect(planRequests(42, 300, { mix: 'shop' })).toEqual(a);
    expect(planRequests(43, 300, { mix: 'shop' })).not.toEqual(a);
    expect(a.map((r) => r.seq)).toEqual([...Array(300).keys()]);
    const r1 = mulberry32(1);
    const r2 = mulberry32(1);
    expect([r1(), r1(), r1()]).toEqual([r2(), r2(), r2()]);
  });

  it('mixes mostly product reads with some writes, and shop calls only in the shop mix', () => {
    const catalog = planRequests(5, 2000);
    const kinds = new Map<string, number>();
    for (const r of catalog) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    const reads = catalog.filter((r) => r.method === 'GET').length;
    expect(reads / catalog.length).toBeGreaterThan(0.85);
    for (const k of [
      'listProducts',
      'listByCategory',
      'searchProducts',
      'getProduct',
      'listCategories',
      'categoryProducts',
      'createProduct',
      'updateProduct',
      'deleteProduct',
    ]) {
      expect(kinds.get(k), k).toBeGreaterThan(0);
    }
    expect(catalog.some((r) => /^\/products\/9\d\d$/.test(r.path))).toBe(true); // planned 404s
    const skus = catalog.filter((r) => r.kind === 'createProduct').map((r) => r.body?.sku);
    expect(new Set(skus).size).toBe(skus.length);
    for (const r of catalog.filter((r) => r.createdSku !== undefined)) expect(skus).toContain(r.createdSku);
    expect(catalog.some((r) => /^\/(customers|cart|orders|health)/.test(r.path))).toBe(false);

    const shop = planRequests(5, 2000, { mix: 'shop', customers: 30 });
    const carts = new Set<number>();
    for (const r of shop) {
      expect(r.userId).toBeGreaterThanOrEqual(1);
      expect(r.userId).toBeLessThanOrEqual(30);
      if (r.kind === 'addToCart') {
        expect(r.path).toBe(`/cart/${r.userId}/items`);
        expect(r.body).toEqual({
          productId: expect.any(Number),
          quantity: expect.any(Number),
        });
        carts.add(r.userId);
      }
      if (r.kind === 'checkout') {
        expect(carts.has(r.userId)).toBe(true); // only customers with something in the cart check out
        carts.delete(r.userId);
      }
    }
    for (const k of ['getCustomer', 'addToCart', 'checkout', 'getOrder', 'health', 'getProduct']) {
      expect(
        shop.some((r) => r.kind === k),
        k,
      ).toBe(true);
    }
  });

  it("the mix's catalog constants match samples/data/catalog.json", () => {
    const seed = JSON.parse(readFileSync(join(REPO_ROOT, 'samples/data/catalog.json'), 'utf8')) as CatalogSeed;
    expect(CATALOG.categorySlugs).toEqual(seed.categories.map((c) => c.slug));
    expect(CATALOG.maxProductId).toBe(Math.max(...seed.products.map((p) => p.id)));
  });

  it('sends the planned requests at the catalog service; the counts add up and match what arrived', async () => {
    arrivals.length = 0;
    const summary = await runTraffic({
      base,
      rate: 40,
      durationMs: 1500,
      seed: 7,
      concurrency: 8,
      runTag: 'run1',
    });
    const plan = planRequests(7, summary.planned, { runTag: 'run1' });

    expect(summary.planned).toBe(60);
    expect(summary.sent + summary.dropped).toBe(summary.planned);
    expect(summary.ok + summary.http4xx + summary.http5xx + summary.errors).toBe(summary.sent);
    expect(summary.errors).toBe(0);
    expect(summary.http5xx).toBe(0);
    expect(summary.sent).toBeGreaterThan(0);
    expect(summary.achievedRate).toBeGreaterThan(0);
    expect(summary.p99Ms).toBeGreaterThanOrEqual(summary.p50Ms);
    expect(formatSummary(summary)).toMatch(
      /^sent=\d+ ok=\d+ 4xx=\d+ 5xx=\d+ errors=0 dropped=\d+ rate=[\d.]+\/s p50=[\d.]+ms p99=[\d.]+ms$/,
    );

    // Every sent request arrived, with its customer id, exactly as planned for its slot.
    expect(arrivals).toHaveLength(summary.sent);
    for (const a of arrivals) {
      const planned = plan[a.seq]!;
      expect(a.userId).toBe(String(planned.userId));
      expect(a.method).toBe(planned.method);
      expect(a.url).toMatch(expectedPath(planned));
    }
    const statuses = arrivals.map((a) => a.status ?? 0);
    expect(statuses.filter((s) => s >= 200 && s < 400)).toHaveLength(summary.ok);
    expect(statuses.filter((s) => s >= 400 && s < 500)).toHaveLength(summary.http4xx);
  });

  it('the same seed replays the same request sequence against the server', async () => {
    const runs: Arrival[][] = [];
    for (const runTag of ['again1', 'again2']) {
      arrivals.length = 0;
      const summary = await runTraffic({
        base,
        rate: 50,
        durationMs: 1000,
        seed: 11,
        concurrency: 64,
        runTag,
      });
      expect(summary.planned).toBe(50);
      runs.push([...arrivals].sort((x, y) => x.seq - y.seq));
    }
    // Created products get server-assigned ids and run-specific skus; everything else is identical.
    const normalize = (a: Arrival) =>
      `${a.seq} ${a.method} ${a.userId} ${a.url.replace(/TRF-again\d/, 'TRF-x').replace(/^\/products\/\d{3,}$/, '/products/N')}`;
    const [first, second] = runs.map((run) => new Map(run.map((a) => [a.seq, normalize(a)])));
    const both = [...first!.keys()].filter((seq) => second!.has(seq));
    expect(both.length).toBeGreaterThan(0);
    for (const seq of both) expect(second!.get(seq)).toBe(first!.get(seq));
  });

  it('with the shop mix, shop calls go out too (404 on the catalog service, counted as 4xx)', async () => {
    arrivals.length = 0;
    const summary = await runTraffic({
      base,
      rate: 60,
      durationMs: 1000,
      seed: 3,
      mix: 'shop',
      concurrency: 16,
      runTag: 'shop',
    });
    expect(summary.sent + summary.dropped).toBe(60);
    expect(summary.errors).toBe(0);
    expect(arrivals).toHaveLength(summary.sent);
    const shopCalls = arrivals.filter((a) => /^\/(customers|cart|orders|health)/.test(a.url));
    expect(shopCalls.length).toBeGreaterThan(0);
    for (const a of shopCalls.filter((x) => !x.url.startsWith('/health'))) expect(a.status).toBe(404);
    expect(summary.http4xx).toBeGreaterThanOrEqual(shopCalls.filter((x) => !x.url.startsWith('/health')).length);
  });

  it('drops and counts slots when the concurrency bound is reached (open-model pacing)', async () => {
    const slow = Fastify();
    let received = 0;
    slow.get('/*', async () => {
      received += 1;
      await new Promise((r) => setTimeout(r, 400));
      return { ok: true };
    });
    const slowBase = await listen(slow);
    try {
      const summary = await runTraffic({
        base: slowBase,
        rate: 50,
        durationMs: 1000,
        seed: 1,
        concurrency: 2,
      });
      expect(summary.planned).toBe(50);
      expect(summary.dropped).toBeGreaterThan(0);
      expect(summary.sent + summary.dropped).toBe(50);
      expect(received).toBe(summary.sent);
    } finally {
      await slow.close();
    }
  });

  it('counts requests that get no response as errors', async () => {
    const gone = Fastify();
    const goneBase = await listen(gone);
    await gone.close();
    const summary = await runTraffic({
      base: goneBase,
      rate: 20,
      durationMs: 500,
      seed: 1,
      timeoutMs: 2000,
    });
    expect(summary.sent).toBe(10);
    expect(summary.errors).toBe(summary.sent);
    expect(summary.ok + summary.http4xx + summary.http5xx).toBe(0);
  });

  it('parses CLI arguments and refuses bad ones with TRAFFIC_BAD_ARGUMENT', () => {
    const parsed = parseCliOptions([
      '--base',
      'http://127.0.0.1:8080',
      '--rate',
      '50',
      '--duration',
      '30s',
      '--mix',
      'shop',
      '--seed',
      '9',
      '--json',
    ]);
    expect(parsed.json).toBe(true);
    expect(parsed.traffic).toMatchObject({
      base: 'http://127.0.0.1:8080',
      rate: 50,
      durationMs: 30_000,
      mix: 'shop',
      seed: 9,
      concurrency: 16,
    });
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1.5')).toBe(1500);
    const bad = [
      [],
      ['--base', 'ftp://x'],
      ['--base', 'not a url'],
      ['--base', 'http://x', '--rate', '0'],
      ['--base', 'http://x', '--rate', 'fast'],
      ['--base', 'http://x', '--duration', '30 parsecs'],
      ['--base', 'http://x', '--mix', 'everything'],
      ['--base', 'http://x', '--seed', '-1'],
      ['--base', 'http://x', '--concurrency', '1.5'],
      ['--base', 'http://x', '--bogus', '1'],
      ['--base', 'http://x', 'extra'],
    ];
    for (const args of bad) {
      let caught: unknown;
      try {
        parseCliOptions(args);
      } catch (err) {
        caught = err;
      }
      expect(caught, args.join(' ')).toBeInstanceOf(TrafficArgError);
      expect((caught as TrafficArgError).code).toBe('TRAFFIC_BAD_ARGUMENT');
    }
  });
});
