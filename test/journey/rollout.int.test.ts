// The rollout journey on loopback: the legacy shop behind the gateway, the catalog service's fixed
// build (compat: prices as numbers, searches by id) in canary with a gate on the diff rate, the
// traffic generator's read-only mix driving it. The rollout steps up while the services agree;
// when the service is swapped for a build that answers differently it rolls back within one
// interval; the dashboard follows it in Chromium; the recorded diffs replayed against the fixed
// build come back fixed (and against the broken build, still different). The rollout's clock is
// injected: the test moves time and asks the controller to judge.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/run.js';
import { createLogger } from '../../core/index.js';
import { buildAdmin, buildGateway, parseGatewayConfig, type Gateway, type GatewayConfig, type ReplayResult } from '../../gateway/index.js';
import { buildApp as buildCatalog } from '../../samples/catalog-service/app.js';
import { openDatabase } from '../../samples/catalog-service/db/pool.js';
import { applySchema } from '../../samples/catalog-service/db/schema.js';
import { seedCatalog } from '../../samples/catalog-service/db/seed.js';
import { startServer } from '../../samples/legacy-shop/server.js';
import { runTraffic } from '../../samples/traffic/generator.js';
import { launchChromium, testOutputDir } from '../harness/index.js';

const TOKEN = 'journey-admin-token-0123456789';
const INTERVAL_MS = 60_000;

async function startCatalog(compat: boolean): Promise<{ app: FastifyInstance; url: string }> {
  const db = await openDatabase(undefined);
  await applySchema(db);
  await seedCatalog(db);
  const app = await buildCatalog({ db, compat });
  app.addHook('onClose', async () => db.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { app, url: `http://127.0.0.1:${addr.port}` };
}

describe('a rollout gated on the diff rate, end to end', () => {
  let shop: { url: string; close(): Promise<void> };
  let fixed: { app: FastifyInstance; url: string };
  let broken: { app: FastifyInstance; url: string };
  let dir: string;
  let gw: Gateway;
  let admin: ReturnType<typeof buildAdmin>;
  let base: string;
  let adminUrl: string;
  let browser: Browser;
  let t = Date.parse('2026-12-01T09:00:00Z');
  const now = (): Date => new Date(t);
  const configText = (catalogUrl: string): string => `
admin: { token: ${TOKEN} }
upstreams:
  monolith: { url: ${shop.url} }
  catalog: { url: ${catalogUrl}, timeoutMs: 5000 }
routes:
  - id: products
    match: { path: /products, methods: [GET] }
    service: catalog
    mode: canary
    cohort: { header: x-user-id }
    shadow: { compare: { ignore: ['$.slug', '$.items[*].slug'] } }
    rollout: { steps: [10, 50, 100], interval: 1m, minRequests: 60, gates: { maxDiffRate: 2%, maxErrorRate: 1% } }
diffs: { store: ndjson, path: ${join(dir, 'diffs')} }
rollouts: { state: ${join(dir, 'rollouts.json')} }
accessLog: false
`;
  const configFor = (catalogUrl: string): GatewayConfig => parseGatewayConfig(configText(catalogUrl));

  const settle = async (): Promise<void> => {
    for (let i = 0; i < 200 && gw.dispatcher.pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await gw.writer.flush();
  };
  /** Two seconds of the traffic generator's read-only catalog mix through the gateway. */
  const traffic = async (seed: number): Promise<void> => {
    const summary = await runTraffic({ base, rate: 100, durationMs: 2000, mix: 'browse', seed, concurrency: 16, customers: 400 });
    expect(summary.errors).toBe(0);
    await settle();
  };
  const view = () => gw.rollouts.view('products')!;
  const settings = () => gw.runtime.settings(gw.runtime.route('products')!);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ficus-journey-rollout-'));
    shop = await startServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    fixed = await startCatalog(true);
    broken = await startCatalog(false);
    gw = await buildGateway({ config: configFor(fixed.url), logger: createLogger({ level: 'silent' }), now, rolloutTickMs: 0 });
    base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    admin = buildAdmin(gw, { logger: createLogger({ level: 'silent' }), uiRefreshMs: 250 });
    adminUrl = await admin.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await admin?.close();
    await gw?.close(200);
    await fixed?.app.close();
    await broken?.app.close();
    await shop?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('steps the canary up while the fixed build answers the same as the monolith', async () => {
    expect(settings()).toEqual({ mode: 'canary', weight: 10 });
    await traffic(1);
    expect(gw.runtime.stats.window('products')).toMatchObject({ different: 0 });
    expect(gw.runtime.stats.window('products').compared).toBeGreaterThan(60);
    t += INTERVAL_MS / 2;
    gw.rollouts.tick();
    expect(settings().weight).toBe(10); // half an interval: not yet
    t += INTERVAL_MS / 2;
    gw.rollouts.tick();
    expect(settings()).toEqual({ mode: 'canary', weight: 50 });
    await traffic(2);
    const served = gw.runtime.stats.window('products').serviceRequests;
    expect(served).toBeGreaterThan(20); // about half the traffic answered by the service now
    t += INTERVAL_MS;
    gw.rollouts.tick();
    expect(view()).toMatchObject({ phase: 'progressing', step: 2, weight: 100 });
  });

  it('shows the rollout on the dashboard, which refreshes itself', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    // The refused sign-in and the refused PUT below are 401s on purpose; nothing else may fail.
    page.on('console', (m) => m.type() === 'error' && !m.text().includes('status of 401') && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const foreign: string[] = [];
    page.on('request', (r) => !r.url().startsWith(adminUrl) && foreign.push(r.url()));
    await page.goto(`${adminUrl}/ui`);
    await page.fill('#token', 'wrong-token-wrong-token');
    await page.click('#sign-in');
    await page.waitForSelector('#login-error');
    await page.fill('#token', TOKEN);
    await page.click('#sign-in');
    const row = page.locator('tr[data-route="products"]');
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(2).textContent()).toBe('canary');
    expect(await row.locator('td').nth(3).textContent()).toBe('100%');
    expect(await row.locator('.step.now').textContent()).toBe('100%');
    expect(await row.locator('.phase').textContent()).toBe('progressing');
    // Read-only: the cookie does not let the page change a route.
    const put = await page.evaluate(async () => (await fetch('/routes/products', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"weight":0}' })).status);
    expect(put).toBe(401);
    // An operator's change shows up without reloading the page.
    gw.rollouts.act('products', 'pause', 'admin:test');
    await expect.poll(() => row.locator('.phase').textContent(), { timeout: 5000 }).toBe('paused');
    gw.rollouts.act('products', 'resume', 'admin:test');
    await expect.poll(() => row.locator('.phase').textContent(), { timeout: 5000 }).toBe('progressing');
    await page.screenshot({ path: join(testOutputDir('gateway'), 'dashboard.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('rolls back to the monolith within one interval once the service answers differently', async () => {
    gw.runtime.reload(configFor(broken.url));
    expect(view().phase).toBe('progressing'); // the reload changed an upstream, not the rollout
    const switched = t;
    await traffic(3);
    t += 5_000;
    gw.rollouts.tick();
    expect(t - switched).toBeLessThan(INTERVAL_MS);
    expect(settings()).toEqual({ mode: 'monolith', weight: 0 });
    const v = view();
    expect(v.phase).toBe('rolled-back');
    expect(v.last?.checks.find((c) => c.gate === 'maxDiffRate')).toMatchObject({ ok: false });
    expect(v.reason).toMatch(/diff rate/);
    // Back on the monolith: answers no longer carry the service's version header.
    const res = await fetch(`${base}/products/1`, { headers: { 'x-user-id': '7' } });
    expect(res.headers.get('x-catalog-version')).toBeNull();
    // The state file says so too, for the next start.
    await gw.rollouts.flushed();
    expect(JSON.parse(await readFile(join(dir, 'rollouts.json'), 'utf8')).routes.products.phase).toBe('rolled-back');
  });

  it('replays the recorded diffs: fixed against the fixed build, still different against the broken one', async () => {
    const replay = async (target: string): Promise<{ code: number; result: ReplayResult }> => {
      const out = join(dir, `replay-${target === fixed.url ? 'fixed' : 'broken'}`);
      const code = await run(['replay', join(dir, 'diffs'), '--target', target, '--config', 'ficus.gateway.yaml', '--out', out], {
        io: { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: dir, interactive: false },
      });
      // The report beside the JSON: self-contained HTML and Markdown naming the route.
      expect((await readFile(join(out, 'replay.html'), 'utf8')).toLowerCase()).toMatch(/^<!doctype html>/);
      expect(await readFile(join(out, 'replay.md'), 'utf8')).toContain('products');
      return { code, result: JSON.parse(await readFile(join(out, 'replay.json'), 'utf8')) as ReplayResult };
    };
    // The gateway's config file: replay takes each route's compare rules from it.
    await writeFile(join(dir, 'ficus.gateway.yaml'), configText(fixed.url));
    const good = await replay(fixed.url);
    expect(good.result.summary.total).toBeGreaterThan(0);
    expect(good.result.summary).toMatchObject({ stillDifferent: 0, newlyDifferent: 0, error: 0 });
    expect(good.result.summary.fixed).toBe(good.result.summary.total - good.result.summary.skipped);
    expect(good.code).toBe(0);
    const bad = await replay(broken.url);
    expect(bad.result.summary.stillDifferent).toBeGreaterThan(0);
    expect(bad.code).toBe(1);
  });

  it('keeps the rolled-back state across a gateway restart', async () => {
    await gw.close(200);
    gw = await buildGateway({ config: configFor(fixed.url), logger: createLogger({ level: 'silent' }), now, rolloutTickMs: 0 });
    expect(view().phase).toBe('rolled-back');
    expect(settings()).toEqual({ mode: 'monolith', weight: 0 });
  });
});
