/**
 * The extracted catalog service over real HTTP, once on embedded PGlite and once on the
 * machine's Postgres: every endpoint (including 400/404/409), paging totals against
 * samples/data/catalog.json, and the documented differences from the monolith (price string,
 * name-ordered search, slug, x-catalog-version header).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../samples/catalog-service/app.js';
import { openDatabase, type Database } from '../../samples/catalog-service/db/pool.js';
import { applySchema } from '../../samples/catalog-service/db/schema.js';
import { locateCatalogData, seedCatalog, type CatalogSeed } from '../../samples/catalog-service/db/seed.js';
import { createTestDatabase, type TestDatabase } from '../harness/postgres.js';
import { REPO_ROOT } from '../harness/index.js';

const seed = JSON.parse(readFileSync(join(REPO_ROOT, 'samples/data/catalog.json'), 'utf8')) as CatalogSeed;
const active = seed.products.filter((p) => p.active);
const inactive = seed.products.filter((p) => !p.active);
const categoryById = new Map(seed.categories.map((c) => [c.id, c]));

interface ProductBody {
  id: number;
  sku: string;
  name: string;
  slug: string;
  description: string;
  price: string;
  currency: string;
  category: { id: number; slug: string; name: string };
  active: boolean;
  createdAt: string;
}
interface ListBody {
  items: ProductBody[];
  total: number;
  limit: number;
  offset: number;
}

async function call(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

const byNameThenId = (a: { name: string; id: number }, b: { name: string; id: number }): number => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.id - b.id;
};

function suite(engine: 'pglite' | 'postgres'): void {
  describe(`catalog-service on ${engine}`, () => {
    let testDb: TestDatabase | undefined;
    let db: Database;
    let app: FastifyInstance;
    let base: string;
    const get = (path: string) => call(base, 'GET', path);

    beforeAll(async () => {
      if (engine === 'postgres') testDb = await createTestDatabase('catalog');
      db = await openDatabase(testDb?.url);
      await applySchema(db);
      await seedCatalog(db);
      app = await buildApp({ db });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      base = `http://127.0.0.1:${address.port}`;
    });

    afterAll(async () => {
      await app?.close();
      await db?.close();
      await testDb?.drop();
    });

    it('runs on the engine it was given and finds the shared seed file', async () => {
      expect(db.kind).toBe(engine);
      expect(locateCatalogData()).toBe(join(REPO_ROOT, 'samples/data/catalog.json'));
      const health = await get('/health');
      expect(health.body).toEqual({ status: 'ok', db: engine });
    });

    it('seeding is idempotent: a second run inserts nothing', async () => {
      expect(await seedCatalog(db)).toBe(0);
      await applySchema(db);
      const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_items');
      expect(rows[0]?.n).toBe(seed.products.length);
    });

    it('GET /categories lists every category in id order with the x-catalog-version header', async () => {
      const res = await get('/categories');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-catalog-version')).toBe('2');
      expect(res.body).toEqual({
        items: [...seed.categories].sort((a, b) => a.id - b.id),
      });
    });

    it('GET /products defaults to the first 20 active products by id', async () => {
      const res = await get('/products');
      const body = res.body as ListBody;
      expect(res.status).toBe(200);
      expect(res.headers.get('x-catalog-version')).toBe('2');
      expect(body.total).toBe(active.length);
      expect(body.limit).toBe(20);
      expect(body.offset).toBe(0);
      expect(body.items.map((p) => p.id)).toEqual(active.slice(0, 20).map((p) => p.id));
    });

    it('paging through GET /products yields exactly the active products, once each', async () => {
      const ids: number[] = [];
      for (let offset = 0; ; offset += 33) {
        const body = (await get(`/products?limit=33&offset=${offset}`)).body as ListBody;
        expect(body.total).toBe(active.length);
        expect(body.limit).toBe(33);
        expect(body.offset).toBe(offset);
        if (body.items.length === 0) break;
        ids.push(...body.items.map((p) => p.id));
      }
      expect(ids).toEqual(active.map((p) => p.id));
      for (const p of inactive) expect(ids).not.toContain(p.id);
    });

    it('GET /products?category= filters by category slug', async () => {
      const lighting = seed.categories.find((c) => c.slug === 'lighting')!;
      const expected = active.filter((p) => p.categoryId === lighting.id);
      const body = (await get('/products?category=lighting&limit=100')).body as ListBody;
      expect(body.total).toBe(expected.length);
      expect(body.items.map((p) => p.id)).toEqual(expected.map((p) => p.id));
      expect(new Set(body.items.map((p) => p.category.slug))).toEqual(new Set(['lighting']));
      const none = (await get('/products?category=no-such-category')).body as ListBody;
      expect(none).toEqual({ items: [], total: 0, limit: 20, offset: 0 });
    });

    it('GET /products/:id returns the product with the monolith fields plus slug and a price string', async () => {
      const first = seed.products[0]!;
      const cat = categoryById.get(first.categoryId)!;
      const res = await get(`/products/${first.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        id: first.id,
        sku: first.sku,
        name: first.name,
        slug: 'cast-iron-skillet-26cm',
        description: first.description,
        price: (first.priceCents / 100).toFixed(2),
        currency: 'USD',
        category: { id: cat.id, slug: cat.slug, name: cat.name },
        active: true,
        createdAt: first.createdAt,
      });
    });

    it('formats every price as a two-decimal string (12.5 → "12.50", 20 → "20.00")', async () => {
      const tens = seed.products.find((p) => p.priceCents % 100 !== 0 && p.priceCents % 10 === 0)!;
      const whole = seed.products.find((p) => p.priceCents % 100 === 0)!;
      expect(((await get(`/products/${tens.id}`)).body as ProductBody).price).toBe(
        `${Math.trunc(tens.priceCents / 100)}.${String(tens.priceCents % 100)}`,
      );
      expect(((await get(`/products/${whole.id}`)).body as ProductBody).price).toBe(`${whole.priceCents / 100}.00`);
      const all = (await get('/products?limit=100')).body as ListBody;
      for (const p of all.items) expect(p.price).toMatch(/^\d+\.\d{2}$/);
    });

    it('GET /products/:id answers 404 with the monolith body for a missing id, and shows inactive ones', async () => {
      const res = await get('/products/999');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'product 999 not found' });
      expect(res.headers.get('x-catalog-version')).toBe('2');
      const gone = inactive[0]!;
      const inactiveRes = await get(`/products/${gone.id}`);
      expect(inactiveRes.status).toBe(200);
      expect((inactiveRes.body as ProductBody).active).toBe(false);
      expect((await get('/products/abc')).status).toBe(400);
    });

    it('search with q is case-insensitive on the name and ordered by name (not by id)', async () => {
      const matches = active.filter((p) => p.name.toLowerCase().includes('lamp'));
      expect(matches.length).toBeGreaterThan(1);
      const body = (await get('/products?q=LAMP&limit=100')).body as ListBody;
      expect(body.total).toBe(matches.length);
      expect(body.items.map((p) => p.id)).toEqual([...matches].sort(byNameThenId).map((p) => p.id));
      expect(body.items.map((p) => p.id)).not.toEqual(matches.map((p) => p.id));
      const paged = (await get('/products?q=set&limit=2&offset=1')).body as ListBody;
      const sets = active.filter((p) => p.name.toLowerCase().includes('set')).sort(byNameThenId);
      expect(paged.total).toBe(sets.length);
      expect(paged.items.map((p) => p.id)).toEqual(sets.slice(1, 3).map((p) => p.id));
      expect(((await get('/products?q=100%25')).body as ListBody).total).toBe(0);
    });

    it('every product carries a kebab-case slug of its name', async () => {
      const body = (await get('/products?limit=100')).body as ListBody;
      for (const p of body.items) expect(p.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      const coffee = body.items.find((p) => p.name === 'Cold Brew Coffee Maker 1.5L');
      expect(coffee?.slug).toBe('cold-brew-coffee-maker-1-5l');
    });

    it('rejects bad paging with 400 in the { error } shape, and caps a large limit like the monolith', async () => {
      const capped = await get('/products?limit=101');
      expect(capped.status).toBe(200);
      expect((capped.body as { limit: number }).limit).toBe(100);
      for (const q of ['limit=0', 'limit=abc', 'offset=-1']) {
        const res = await get(`/products?${q}`);
        expect(res.status, q).toBe(400);
        expect(typeof (res.body as { error: unknown }).error).toBe('string');
      }
      expect(((await get('/products?limit=100')).body as ListBody).items).toHaveLength(Math.min(100, active.length));
    });

    it('GET /categories/:slug/products matches GET /products?category= and 404s for an unknown slug', async () => {
      const viaCategory = await get('/categories/kitchen/products?limit=5&offset=1');
      const viaQuery = await get('/products?category=kitchen&limit=5&offset=1');
      expect(viaCategory.status).toBe(200);
      expect(viaCategory.body).toEqual(viaQuery.body);
      const kitchen = active.filter((p) => p.categoryId === 1);
      expect((viaCategory.body as ListBody).total).toBe(kitchen.length);
      const missing = await get('/categories/nope/products');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'category nope not found' });
    });

    it('POST /products creates an active product (201) that lists and reads back', async () => {
      const res = await call(base, 'POST', '/products', {
        sku: 'NEW-0001',
        name: 'Enamel Pie Dish 24cm',
        priceCents: 1250,
        categoryId: 2,
      });
      expect(res.status).toBe(201);
      const created = res.body as ProductBody;
      expect(created).toMatchObject({
        sku: 'NEW-0001',
        name: 'Enamel Pie Dish 24cm',
        slug: 'enamel-pie-dish-24cm',
        description: '',
        price: '12.50',
        currency: 'USD',
        category: { id: 2, slug: 'cookware', name: 'Cookware' },
        active: true,
      });
      expect(created.id).toBeGreaterThan(Math.max(...seed.products.map((p) => p.id)));
      expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
      expect((await get(`/products/${created.id}`)).body).toEqual(created);
      expect(((await get('/products')).body as ListBody).total).toBe(active.length + 1);
    });

    it('POST /products answers 400 for missing or invalid fields and 409 for a duplicate sku', async () => {
      const valid = {
        sku: 'NEW-0002',
        name: 'Tea Towel',
        priceCents: 500,
        categoryId: 1,
      };
      const bad: Record<string, unknown>[] = [
        { ...valid, sku: undefined },
        { ...valid, name: '' },
        { ...valid, priceCents: -1 },
        { ...valid, priceCents: 12.5 },
        { ...valid, priceCents: 'cheap' },
        { ...valid, categoryId: undefined },
        { ...valid, categoryId: 999 },
      ];
      for (const body of bad) {
        const res = await call(base, 'POST', '/products', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(typeof (res.body as { error: unknown }).error).toBe('string');
      }
      const dup = await call(base, 'POST', '/products', {
        ...valid,
        sku: seed.products[0]!.sku,
      });
      expect(dup.status).toBe(409);
      expect(dup.body).toEqual({
        error: `sku ${seed.products[0]!.sku} already exists`,
      });
      expect((await call(base, 'POST', '/products', valid)).status).toBe(201);
    });

    it('PUT /products/:id changes only the given fields; 404 for a missing id; 400 for bad fields', async () => {
      const target = active[3]!;
      const before = (await get(`/products/${target.id}`)).body as ProductBody;
      const res = await call(base, 'PUT', `/products/${target.id}`, {
        priceCents: 2000,
        name: 'Renamed Thing',
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        ...before,
        price: '20.00',
        name: 'Renamed Thing',
        slug: 'renamed-thing',
      });
      const moved = await call(base, 'PUT', `/products/${target.id}`, {
        categoryId: 12,
      });
      expect((moved.body as ProductBody).category).toEqual({
        id: 12,
        slug: 'toys-and-games',
        name: 'Toys & Games',
      });
      expect((await call(base, 'PUT', `/products/${target.id}`, {})).status).toBe(200);
      const missing = await call(base, 'PUT', '/products/999', { name: 'x' });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'product 999 not found' });
      expect((await call(base, 'PUT', `/products/${target.id}`, { priceCents: -5 })).status).toBe(400);
      expect((await call(base, 'PUT', `/products/${target.id}`, { categoryId: 999 })).status).toBe(400);
    });

    it('DELETE /products/:id soft-deletes (204): the product stays readable but leaves the list', async () => {
      const target = active[0]!;
      const totalBefore = ((await get('/products')).body as ListBody).total;
      const res = await call(base, 'DELETE', `/products/${target.id}`);
      expect(res.status).toBe(204);
      expect(res.body).toBeUndefined();
      expect(((await get(`/products/${target.id}`)).body as ProductBody).active).toBe(false);
      const after = (await get('/products')).body as ListBody;
      expect(after.total).toBe(totalBefore - 1);
      expect(after.items.map((p) => p.id)).not.toContain(target.id);
      const missing = await call(base, 'DELETE', '/products/999');
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'product 999 not found' });
      const revived = await call(base, 'PUT', `/products/${target.id}`, {
        active: true,
      });
      expect((revived.body as ProductBody).active).toBe(true);
    });

    it('unknown routes answer 404 in the same { error } shape', async () => {
      const res = await get('/nope');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'route GET /nope not found' });
    });
  });
}

suite('pglite');
suite('postgres');
