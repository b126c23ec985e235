/**
 * The admin API through fastify's inject, over a real GatewayRuntime built from a parsed config,
 * a real shadow dispatcher, diff writer and ndjson store in a temp folder, and a node:http data
 * plane (listening only for the /readyz case). Upstream URLs point at 127.0.0.1 ports these
 * tests never contact.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, FicusError, silentLogger } from '../../core/index.js';
import { parseGatewayConfig } from '../config/load.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffStore } from '../model.js';
import { GatewayRuntime } from '../runtime.js';
import { ShadowDispatcher } from '../shadow/dispatch.js';
import { inlineJudge } from '../shadow/judges.js';
import { createNdjsonStore } from '../store/ndjson.js';
import { sampleRecords } from '../store/sample-records.js';
import { createDiffWriter } from '../store/writer.js';
import { buildAdmin, type AdminApp } from './app.js';
import { bearerToken, resolveToken, tokensMatch } from './auth.js';
import { AdminErrorCode } from './errors.js';
import type { AdminGateway } from './views.js';

const TOKEN = 'test-admin-token-0123456789';

const yaml = (admin: string) => `
admin: ${admin}
upstreams:
  monolith: { url: "http://127.0.0.1:9" }
  catalog: { url: "http://127.0.0.1:9" }
  orders: { url: "http://127.0.0.1:9/v2" }
routes:
  - id: products
    match: { path: /products }
    service: catalog
    mode: shadow
  - id: orders
    match: { path: /orders/:id, methods: [GET] }
    service: orders
    mode: canary
    weight: 5
  - id: order-search
    match: { path: /orders/search, exact: true }
    service: orders
`;

interface Fixture {
  gateway: AdminGateway & { readonly server: http.Server; readonly store: DiffStore; readonly dispatcher: ShadowDispatcher };
  judge: ReturnType<typeof inlineJudge>;
  admin: AdminApp;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

async function fixture(dir: string, admin = `{ token: ${TOKEN} }`): Promise<Fixture> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const config = parseGatewayConfig(yaml(admin));
  const runtime = new GatewayRuntime(config, { logger: silentLogger() });
  const store = await createNdjsonStore({ dir });
  const writer = createDiffWriter(store);
  const judge = inlineJudge();
  const dispatcher = new ShadowDispatcher({ runtime, diffs: writer, logger: silentLogger(), judge });
  const server = http.createServer();
  const gateway = { runtime, server, store, writer, dispatcher };
  const app = buildAdmin(gateway, { logger });
  return {
    gateway,
    judge,
    admin: app,
    logs,
    async close() {
      await app.close();
      if (server.listening) await new Promise((r) => server.close(r));
      await writer.close();
      await runtime.close();
    },
  };
}

const auth = { authorization: `Bearer ${TOKEN}` };

let tmp: string;
let f: Fixture;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ficus-admin-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
let n = 0;
beforeEach(async () => {
  f = await fixture(join(tmp, `store-${n++}`));
});
afterEach(async () => {
  await f.close();
});

describe('admin token', () => {
  it('compares tokens of any length in constant time over digests', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, TOKEN.replace(/9$/, '8'))).toBe(false);
    expect(tokensMatch(TOKEN, 'short')).toBe(false);
    expect(tokensMatch(TOKEN, '')).toBe(false);
    expect(bearerToken(`Bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`bearer  ${TOKEN} `)).toBe(TOKEN);
    expect(bearerToken(`Basic ${TOKEN}`)).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('uses the configured or given token, generates one on loopback, refuses beyond loopback', () => {
    expect(resolveToken({ host: '127.0.0.1', token: TOKEN })).toEqual({ token: TOKEN, generated: false });
    expect(resolveToken({ host: '127.0.0.1', token: TOKEN }, 'given-token-abcdefgh')).toEqual({ token: 'given-token-abcdefgh', generated: false });
    const made = resolveToken({ host: '::1' }, undefined, (size) => Buffer.alloc(size, 0xfb));
    expect(made.generated).toBe(true);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(resolveToken({ host: 'localhost' }).token).not.toBe(resolveToken({ host: 'localhost' }).token);
    const refuse = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        return (err as FicusError).code;
      }
      return 'none';
    };
    expect(refuse(() => resolveToken({ host: '0.0.0.0' }))).toBe(GatewayErrorCode.ADMIN_UNSAFE);
    expect(refuse(() => resolveToken({ host: '127.0.0.1' }, 'too-short'))).toBe(GatewayErrorCode.ADMIN_UNSAFE);
  });

  it('generates a token when the config has none and asks for it', async () => {
    const g = await fixture(join(tmp, 'generated'), '{ host: 127.0.0.1 }');
    try {
      const token = g.admin.generatedToken;
      expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect((await g.admin.inject({ url: '/routes' })).statusCode).toBe(401);
      expect((await g.admin.inject({ url: '/routes', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
      expect(f.admin.generatedToken).toBeUndefined();
    } finally {
      await g.close();
    }
  });

  it('answers 401 JSON with www-authenticate on every endpoint but /healthz', async () => {
    const health = await f.admin.inject({ url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ ok: true });
    const wrongSameLength = TOKEN.slice(0, -1) + 'x';
    const endpoints = [
      ['GET', '/readyz'],
      ['GET', '/routes'],
      ['GET', '/routes/products'],
      ['PUT', '/routes/products'],
      ['POST', '/routes/products/rollback'],
      ['POST', '/rollback'],
      ['GET', '/changes'],
      ['GET', '/diffs'],
      ['GET', '/noise'],
      ['GET', '/metrics'],
    ] as const;
    for (const [method, url] of endpoints) {
      for (const headers of [{}, { authorization: `Bearer ${wrongSameLength}` }, { authorization: 'Bearer x' }, { authorization: `Basic ${TOKEN}` }]) {
        const res = await f.admin.inject({ method, url, headers, ...(method !== 'GET' && { payload: { mode: 'service' } }) });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="ficus-admin"/);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toMatchObject({ code: AdminErrorCode.AUTH });
        expect(res.body).not.toMatch(/\n\s+at /);
      }
    }
    expect(f.gateway.runtime.changes).toHaveLength(0);
    expect(f.logs.some((l) => l.msg === 'admin request refused: bad token')).toBe(true);
  });
});

describe('admin routes', () => {
  it('lists routes with live settings, stats, (unmatched) and precedence', async () => {
    const { runtime } = f.gateway;
    runtime.stats.request('products', 'monolith', 200, 10);
    runtime.stats.request('products', 'monolith', 502, 30);
    runtime.stats.shadow('products', 'different');
    runtime.stats.shadow('products', 'same');
    runtime.stats.shadow('products', 'dropped');
    runtime.stats.request('(unmatched)', 'monolith', 200, 5);
    const res = await f.admin.inject({ url: '/routes', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBeTruthy();
    const body = res.json();
    expect(body.routes.map((r: { id: string }) => r.id)).toEqual(['products', 'orders', 'order-search']);
    expect(body.routes[0]).toMatchObject({ id: 'products', match: { path: '/products' }, service: 'catalog', mode: 'shadow', weight: 0 });
    expect(body.routes[0].stats).toMatchObject({
      requests: 2,
      errors: 1,
      errorRate: 0.5,
      p50Ms: 10,
      p99Ms: 30,
      compared: 2,
      different: 1,
      diffRate: 0.5,
      drops: 1,
    });
    expect(body.routes[1]).toMatchObject({ id: 'orders', mode: 'canary', weight: 5 });
    expect(body.routes[2]).toMatchObject({ id: 'order-search', mode: 'monolith', weight: 0 });
    expect(body.unmatched).toMatchObject({ id: '(unmatched)', upstream: 'monolith', stats: { requests: 1 } });
    expect(body.precedence).toEqual(runtime.snapshot.router.precedence());
    expect(body.precedence.indexOf('order-search')).toBeLessThan(body.precedence.indexOf('products'));
  });

  it('gets one route, and 404 names the valid ids', async () => {
    const one = await f.admin.inject({ url: '/routes/orders', headers: auth });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'orders', mode: 'canary', weight: 5, stats: { requests: 0 } });
    const missing = await f.admin.inject({ url: '/routes/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe(AdminErrorCode.NOT_FOUND);
    expect(missing.json().error).toContain('products, orders, order-search');
  });

  it('sets mode and weight, returns the change log entry and logs it with the request id', async () => {
    const res = await f.admin.inject({ method: 'PUT', url: '/routes/products', headers: auth, payload: { mode: 'canary', weight: 10, reason: 'step 1' } });
    expect(res.statusCode).toBe(200);
    const entry = res.json();
    expect(entry).toMatchObject({
      route: 'products',
      mode: 'canary',
      weight: 10,
      by: 'admin:127.0.0.1',
      reason: 'step 1',
      from: { mode: 'shadow', weight: 0 },
      to: { mode: 'canary', weight: 10 },
    });
    expect(Date.parse(entry.at)).not.toBeNaN();
    expect(f.gateway.runtime.settings(f.gateway.runtime.route('products')!)).toEqual({ mode: 'canary', weight: 10 });
    const weightOnly = await f.admin.inject({ method: 'PUT', url: '/routes/products', headers: auth, payload: { weight: 25 } });
    expect(weightOnly.json().to).toEqual({ mode: 'canary', weight: 25 });
    expect((await f.admin.inject({ url: '/routes/products', headers: auth })).json()).toMatchObject({ mode: 'canary', weight: 25 });
    const log = f.logs.find((l) => l.msg === 'admin changed route');
    expect(log).toMatchObject({ route: 'products', by: 'admin:127.0.0.1', reqId: res.headers['x-request-id'], to: { mode: 'canary', weight: 10 } });
    expect(log?.time).toBeTruthy();
  });

  it('refuses bad changes with 400 and a code, and unknown routes with 404', async () => {
    const put = (payload: unknown, url = '/routes/products', headers: Record<string, string> = {}) =>
      f.admin.inject({ method: 'PUT', url, headers: { ...auth, ...headers }, payload: payload as string });
    const cases: [unknown, number, string][] = [
      [{ mode: 'blue' }, 400, AdminErrorCode.REQUEST],
      [{ weight: 101 }, 400, AdminErrorCode.REQUEST],
      [{ weight: -1 }, 400, AdminErrorCode.REQUEST],
      [{ weight: 'lots' }, 400, AdminErrorCode.REQUEST],
      [{ mode: 'canary', wieght: 10 }, 400, AdminErrorCode.REQUEST],
      [{}, 400, AdminErrorCode.REQUEST],
      [{ reason: 'only a reason' }, 400, AdminErrorCode.REQUEST],
      [[1, 2], 400, AdminErrorCode.REQUEST],
    ];
    for (const [payload, status, code] of cases) {
      const res = await put(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().code).toBe(code);
      expect(res.json().error).toMatch(/\S/);
      expect(res.body).not.toMatch(/\n\s+at /);
    }
    expect((await put({ mode: 'blue' })).json().error).toContain('monolith, shadow, canary, service');
    expect((await put({ mode: 'canary', wieght: 10 })).json().error).toContain('mode, weight, reason');
    const badJson = await put('{"mode": ', '/routes/products', { 'content-type': 'application/json' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json().code).toBe(AdminErrorCode.REQUEST);
    const text = await put('mode=service', '/routes/products', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe(AdminErrorCode.REQUEST);
    const unknown = await put({ mode: 'service' }, '/routes/nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe(AdminErrorCode.NOT_FOUND);
    expect(f.gateway.runtime.changes).toHaveLength(0);
  });

  it('rolls one route or every route back to the monolith at once', async () => {
    const { runtime } = f.gateway;
    runtime.change({ route: 'products', mode: 'service', by: 'test' });
    const one = await f.admin.inject({ method: 'POST', url: '/routes/products/rollback', headers: auth, payload: { reason: 'errors up' } });
    expect(one.statusCode).toBe(200);
    expect(one.json().changes).toEqual([
      expect.objectContaining({ route: 'products', by: 'admin:127.0.0.1', reason: 'errors up', to: { mode: 'monolith', weight: 0 } }),
    ]);
    const noBody = await f.admin.inject({ method: 'POST', url: '/routes/orders/rollback', headers: auth });
    expect(noBody.statusCode).toBe(200);
    expect(noBody.json().changes[0]).toMatchObject({ route: 'orders', from: { mode: 'canary', weight: 5 }, to: { mode: 'monolith', weight: 0 } });
    const all = await f.admin.inject({ method: 'POST', url: '/rollback', headers: auth, payload: {} });
    expect(all.statusCode).toBe(200);
    expect(all.json().changes.map((c: { route: string }) => c.route)).toEqual(['products', 'orders', 'order-search']);
    for (const r of runtime.snapshot.config.routes) expect(runtime.settings(r)).toEqual({ mode: 'monolith', weight: 0 });
    const missing = await f.admin.inject({ method: 'POST', url: '/routes/nope/rollback', headers: auth });
    expect(missing.statusCode).toBe(404);
    const bad = await f.admin.inject({ method: 'POST', url: '/rollback', headers: auth, payload: { reason: 7, extra: true } });
    expect(bad.statusCode).toBe(400);
  });

  it('lists the change log newest first, with a limit', async () => {
    for (const weight of [10, 20, 30]) await f.admin.inject({ method: 'PUT', url: '/routes/orders', headers: auth, payload: { weight } });
    const all = await f.admin.inject({ url: '/changes', headers: auth });
    expect(all.json().changes.map((c: { weight: number }) => c.weight)).toEqual([30, 20, 10]);
    const two = await f.admin.inject({ url: '/changes?limit=2', headers: auth });
    expect(two.json().changes.map((c: { weight: number }) => c.weight)).toEqual([30, 20]);
    for (const q of ['limit=0', 'limit=abc', 'limit=1001', 'since=1']) {
      const bad = await f.admin.inject({ url: `/changes?${q}`, headers: auth });
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json().code).toBe(AdminErrorCode.REQUEST);
    }
  });
});

describe('admin diffs, noise, metrics, readiness', () => {
  it('pages diff records from the store by route, after, limit and noise', async () => {
    const records = sampleRecords(6, { route: (i) => (i % 2 ? 'orders' : 'products'), noise: (i) => i === 4 });
    await f.gateway.store.write(records);
    const all = await f.admin.inject({ url: '/diffs', headers: auth });
    expect(all.statusCode).toBe(200);
    expect(all.json().diffs.map((d: { id: string }) => d.id)).toEqual(records.filter((r) => !r.noise).map((r) => r.id));
    expect(all.json().next).toBeNull();
    expect(all.json().writer).toMatchObject({ dropped: 0 });
    const products = await f.admin.inject({ url: '/diffs?route=products&includeNoise=true&limit=2', headers: auth });
    const page = products.json();
    expect(page.diffs.map((d: { id: string }) => d.id)).toEqual([records[0]!.id, records[2]!.id]);
    expect(page.next).toBe(records[2]!.id);
    const rest = await f.admin.inject({ url: `/diffs?route=products&includeNoise=true&after=${page.next}`, headers: auth });
    expect(rest.json().diffs.map((d: { id: string }) => d.id)).toEqual([records[4]!.id]);
    for (const q of ['limit=0', 'limit=10001', 'includeNoise=maybe', 'routes=x']) {
      const bad = await f.admin.inject({ url: `/diffs?${q}`, headers: auth });
      expect(bad.statusCode, q).toBe(400);
      expect(bad.json().code).toBe(AdminErrorCode.REQUEST);
    }
  });

  it('shows the noise paths learnt per route', async () => {
    const model = f.judge.model.noiseFor('products');
    for (let i = 0; i < 2; i++) model.observeSecondary([{ path: '$.generatedAt', kind: 'changed', primary: `t${i}`, shadow: `u${i}` }]);
    const all = await f.admin.inject({ url: '/noise', headers: auth });
    expect(all.statusCode).toBe(200);
    expect(all.json().noise.products).toEqual([expect.objectContaining({ path: '$.generatedAt', reason: 'secondary', secondary: 2 })]);
    const one = await f.admin.inject({ url: '/noise?route=products', headers: auth });
    expect(Object.keys(one.json().noise)).toEqual(['products']);
    const none = await f.admin.inject({ url: '/noise?route=orders', headers: auth });
    expect(none.json()).toEqual({ noise: { orders: [] } });
    const missing = await f.admin.inject({ url: '/noise?route=nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe(AdminErrorCode.NOT_FOUND);
  });

  it('serves Prometheus text behind the token', async () => {
    f.gateway.runtime.metrics.requests.inc({ route: 'products', target: 'monolith', code: '200' });
    expect((await f.admin.inject({ url: '/metrics' })).statusCode).toBe(401);
    const res = await f.admin.inject({ url: '/metrics', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(f.gateway.runtime.metrics.registry.contentType);
    expect(res.body).toContain('ficus_gateway_requests_total{route="products",target="monolith",code="200"} 1');
  });

  it('is ready only while the data plane listens and the last reload did not fail', async () => {
    const down = await f.admin.inject({ url: '/readyz', headers: auth });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ ready: false });
    await new Promise<void>((r) => f.gateway.server.listen(0, '127.0.0.1', r));
    const up = await f.admin.inject({ url: '/readyz', headers: auth });
    expect(up.statusCode).toBe(200);
    expect(up.json()).toMatchObject({ ready: true, loadedAt: f.gateway.runtime.snapshot.loadedAt });
    f.gateway.runtime.lastReloadError = 'ficus.gateway.yaml:3:5: routes[0].service names no upstream';
    const refused = await f.admin.inject({ url: '/readyz', headers: auth });
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({ ready: false, reason: 'ficus.gateway.yaml:3:5: routes[0].service names no upstream' });
  });

  it('answers unknown endpoints with 404 JSON', async () => {
    const res = await f.admin.inject({ url: '/nope?x=1', headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe(AdminErrorCode.NOT_FOUND);
  });
});
