/**
 * The legacy-shop sample monolith over real HTTP, once on embedded PGlite and once on the
 * machine's Postgres: seed data, a full checkout (stock, payment, invoice, shipment, email),
 * declined cards, cancellation, 400/404/409 JSON errors and the size of its route table; plus
 * the shape of the sample itself (≥ 60 sources in technical layers, TRUTH.json naming each once)
 * and the server entry point.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Minimatch } from 'minimatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../samples/legacy-shop/app.js';
import { openDatabase, type Db } from '../../samples/legacy-shop/lib/db.js';
import { initDatabase } from '../../samples/legacy-shop/db/init.js';
import { silentLogger } from '../../samples/legacy-shop/lib/logger.js';
import { startServer } from '../../samples/legacy-shop/server.js';
import { createTestDatabase, type TestDatabase } from '../harness/postgres.js';
import { REPO_ROOT } from '../harness/index.js';

const SAMPLE = join(REPO_ROOT, 'samples/legacy-shop');
const catalog = JSON.parse(readFileSync(join(REPO_ROOT, 'samples/data/catalog.json'), 'utf8')) as {
  products: { id: number; sku: string; name: string; priceCents: number; active: boolean }[];
};
const activeProducts = catalog.products.filter((p) => p.active);

function sourceFiles(): string[] {
  return readdirSync(SAMPLE, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(sep).join('/'))
    .sort();
}

type Json = any;
interface Reply {
  status: number;
  type: string;
  body: Json;
}

async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: text === '' ? undefined : JSON.parse(text) };
}

/** "METHOD /path" for every route fastify printed (HEAD twins of GET routes left out). */
function endpointsOf(app: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(\S+)(?: \(([^)]+)\))?/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length;
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const path = (stack[stack.length - 1]?.path ?? '') + m[2]!;
    stack.push({ depth, path });
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') out.push(`${method} ${path}`);
  }
  return out.sort();
}

describe('samples/legacy-shop layout', () => {
  it('has at least 60 TypeScript sources, organised by technical layer', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThanOrEqual(60);
    for (const layer of ['routes', 'controllers', 'services', 'repositories', 'models', 'lib']) {
      expect(files.filter((f) => f.startsWith(`${layer}/`)).length, layer).toBeGreaterThanOrEqual(5);
    }
  });

  it('TRUTH.json puts every source file in exactly one context, with no dead globs', () => {
    const truth = JSON.parse(readFileSync(join(SAMPLE, 'TRUTH.json'), 'utf8')) as { contexts: Record<string, string[]> };
    const contexts = Object.entries(truth.contexts).map(([name, globs]) => ({
      name,
      globs: globs.map((g) => ({ glob: g, m: new Minimatch(g, { dot: true }) })),
    }));
    const files = sourceFiles();
    const placement = files.map((f) => ({ file: f, in: contexts.filter((c) => c.globs.some((g) => g.m.match(f))).map((c) => c.name) }));
    expect(placement.filter((p) => p.in.length !== 1)).toEqual([]);
    for (const c of contexts) for (const g of c.globs) expect(files.some((f) => g.m.match(f)), `${c.name}: ${g.glob}`).toBe(true);
    const business = contexts.filter((c) => c.name !== 'shared-kernel');
    expect(business.length).toBeGreaterThanOrEqual(6);
    expect(business.map((c) => c.name)).toEqual(expect.arrayContaining(['catalog', 'inventory', 'customers', 'orders', 'payments', 'shipping', 'notifications']));
  });
});

describe.each(['pglite', 'postgres'] as const)('legacy-shop on %s', (engine) => {
  let testDb: TestDatabase | undefined;
  let db: Db;
  let app: FastifyInstance;
  let base: string;
  const get = (path: string, headers?: Record<string, string>) => call(base, 'GET', path, undefined, headers);
  const post = (path: string, body?: unknown, headers?: Record<string, string>) => call(base, 'POST', path, body ?? {}, headers);

  beforeAll(async () => {
    if (engine === 'postgres') testDb = await createTestDatabase('legacy_shop');
    db = await openDatabase(testDb?.url);
    expect(db.kind).toBe(engine);
    expect(await initDatabase(db)).toEqual({ seeded: true });
    app = buildApp({ db, logger: silentLogger });
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

  /** A fresh customer with a default address, so each flow starts from an empty cart. */
  async function newCustomer(tag: string): Promise<{ id: number; addressId: number }> {
    const email = `${tag}.${engine}.${Date.now()}@example.com`;
    const created = await post('/customers', { email, firstName: 'Test', lastName: tag, password: 'correct horse' });
    expect(created.status).toBe(201);
    const address = await post(`/customers/${created.body.id}/addresses`, { line1: '1 Test St', city: 'Testville', region: 'CA', postalCode: '94000' });
    expect(address.status).toBe(201);
    expect(address.body.isDefault).toBe(true);
    return { id: created.body.id, addressId: address.body.id };
  }

  /** Active products with at least `min` units available, cheapest first. */
  async function stockedProducts(min: number, count: number): Promise<{ id: number; priceCents: number; onHand: number }[]> {
    const found: { id: number; priceCents: number; onHand: number }[] = [];
    for (const p of [...activeProducts].sort((a, b) => a.priceCents - b.priceCents || a.id - b.id)) {
      const stock = await get(`/inventory/${p.id}`);
      if (stock.body.available >= min) found.push({ id: p.id, priceCents: p.priceCents, onHand: stock.body.onHand });
      if (found.length === count) return found;
    }
    throw new Error(`fewer than ${count} products with ${min} units`);
  }

  it('registers at least 30 endpoints', () => {
    const endpoints = endpointsOf(app);
    expect(endpoints.length).toBeGreaterThanOrEqual(30);
    expect(endpoints).toEqual(expect.arrayContaining(['GET /products', 'GET /products/:id', 'POST /cart/:customerId/checkout', 'GET /orders/:id', 'GET /health']));
  });

  it('is seeded once: a second init changes nothing', async () => {
    const count = async () => (await db.query<{ n: number }>('SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM customers) AS n')).rows[0]?.n;
    const before = await count();
    expect(await initDatabase(db)).toEqual({ seeded: false });
    expect(await count()).toBe(before);
    expect((await get('/health')).body).toEqual({ status: 'ok', db: engine });
  });

  it('serves the catalog of samples/data/catalog.json', async () => {
    const list = await get('/products?limit=5');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(activeProducts.length);
    expect(list.body.items).toHaveLength(5);
    const first = activeProducts[0]!;
    const one = await get(`/products/${first.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: first.id, sku: first.sku, name: first.name, price: first.priceCents / 100, active: true });
    expect((await get('/categories')).body.items.length).toBeGreaterThan(5);
  });

  it('checks out a cart: order, stock, payment, invoice, shipment and email', async () => {
    const customer = await newCustomer('checkout');
    const [a, b, c] = await stockedProducts(5, 3);
    expect((await post(`/cart/${customer.id}/items`, { productId: a!.id, quantity: 2 })).status).toBe(201);
    expect((await post(`/cart/${customer.id}/items`, { productId: b!.id })).status).toBe(201);
    expect((await post(`/cart/${customer.id}/items`, { productId: c!.id })).status).toBe(201);
    expect((await call(base, 'DELETE', `/cart/${customer.id}/items/${c!.id}`)).status).toBe(200);
    const cart = await get(`/cart/${customer.id}`);
    expect(cart.body.items.map((i: Json) => [i.productId, i.quantity])).toEqual([[a!.id, 2], [b!.id, 1]]);
    const subtotal = 2 * a!.priceCents + b!.priceCents;
    expect(cart.body.subtotalCents).toBe(subtotal);

    const placed = await post(`/cart/${customer.id}/checkout`, { promoCode: 'WELCOME10' });
    expect(placed.status).toBe(201);
    const order = placed.body;
    const discount = Math.round(subtotal / 10);
    expect(order).toMatchObject({ customerId: customer.id, status: 'paid', subtotalCents: subtotal, discountCents: discount, promotionCode: 'WELCOME10', shippingAddressId: customer.addressId });
    expect(order.taxCents).toBe(Math.round((subtotal - discount) * 0.08));
    expect(order.totalCents).toBe(subtotal - discount + order.shippingCents + order.taxCents);
    expect(order.lines).toHaveLength(2);

    const fetched = await get(`/orders/${order.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(order);

    const stockA = await get(`/inventory/${a!.id}`);
    expect(stockA.body.onHand).toBe(a!.onHand - 2);
    expect(stockA.body.reserved).toBe(0);
    expect((await get(`/inventory/${b!.id}`)).body.onHand).toBe(b!.onHand - 1);

    expect(order.payment).toMatchObject({ status: 'captured', amountCents: order.totalCents });
    const payment = await get(`/payments/${order.payment.id}`);
    expect(payment.body).toMatchObject({ orderId: order.id, status: 'captured', cardLast4: '4242', refundedCents: 0 });
    const invoice = await get(`/invoices/${order.id}`);
    expect(invoice.status).toBe(200);
    expect(invoice.body.totalCents).toBe(order.totalCents);
    expect(invoice.body.lines.reduce((n: number, l: Json) => n + l.amountCents, 0) + invoice.body.taxCents).toBe(order.totalCents);

    expect(order.shipment).toMatchObject({ status: 'label_created', carrier: 'UPS' });
    const shipment = await get(`/shipments/${order.shipment.id}`);
    expect(shipment.body).toMatchObject({ orderId: order.id, trackingNumber: order.shipment.trackingNumber });
    expect((await get(`/tracking/${order.shipment.trackingNumber}`)).body.id).toBe(order.shipment.id);

    const mail = await get(`/notifications?customerId=${customer.id}`);
    const confirmation = mail.body.items.find((n: Json) => n.template === 'order_confirmation');
    expect(confirmation).toMatchObject({ status: 'queued', subject: `Your order #${order.id} is confirmed` });
    expect(mail.body.items.some((n: Json) => n.template === 'welcome')).toBe(true);
    const dispatched = await post('/notifications/retry');
    expect(dispatched.body.sent).toBeGreaterThanOrEqual(2);
    const after = await get(`/notifications?customerId=${customer.id}&status=queued`);
    expect(after.body.items).toEqual([]);

    expect((await get(`/cart/${customer.id}`)).body.items).toEqual([]);
    expect((await get(`/customers/${customer.id}/orders`)).body.items.map((o: Json) => o.id)).toEqual([order.id]);

    const scanned = await post(`/shipments/${order.shipment.id}/events`, { status: 'in_transit', location: 'Memphis, TN' });
    expect(scanned.status).toBe(201);
    expect((await get(`/orders/${order.id}`)).body.status).toBe('shipped');
    expect((await post(`/orders/${order.id}/cancel`)).status).toBe(409);
  });

  it('keeps the order as payment_failed and gives the stock back when the card is declined', async () => {
    const customer = await newCustomer('declined');
    const [p] = await stockedProducts(3, 1);
    await post(`/cart/${customer.id}/items`, { productId: p!.id, quantity: 3 });
    const declined = await post(`/cart/${customer.id}/checkout`, { cardNumber: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatch(/declined/);
    const orders = await get(`/orders?customerId=${customer.id}`);
    expect(orders.body.items.map((o: Json) => o.status)).toEqual(['payment_failed']);
    const stock = await get(`/inventory/${p!.id}`);
    expect([stock.body.onHand, stock.body.reserved]).toEqual([p!.onHand, 0]);
    expect((await get(`/cart/${customer.id}`)).body.items).toHaveLength(1);
    const failed = orders.body.items[0];
    const retried = await post(`/payments/${failed.id}`, { cardNumber: '4242 4242 4242 4242' });
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ orderId: failed.id, status: 'captured', amountCents: failed.totalCents });
    expect((await get(`/orders/${failed.id}`)).body.status).toBe('paid');
    expect((await post('/payments/999999', {})).body).toEqual({ error: 'order 999999 not found' });
  });

  it('cancels a paid order: refund, stock back, label voided', async () => {
    const customer = await newCustomer('cancel');
    const [p] = await stockedProducts(2, 1);
    await post(`/cart/${customer.id}/items`, { productId: p!.id, quantity: 2 });
    const order = (await post(`/cart/${customer.id}/checkout`, { carrierCode: 'usps' })).body;
    expect(order.shipment.carrier).toBe('USPS');
    const cancelled = await post(`/orders/${order.id}/cancel`, { reason: 'changed my mind' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', payment: { status: 'refunded' }, shipment: { status: 'cancelled' } });
    expect((await get(`/inventory/${p!.id}`)).body.onHand).toBe(p!.onHand);
    expect((await get(`/payments/${order.payment.id}`)).body.refundedCents).toBe(order.totalCents);
    const mail = await get(`/notifications?customerId=${customer.id}`);
    expect(mail.body.items.map((n: Json) => n.template)).toEqual(expect.arrayContaining(['order_cancelled', 'refund_issued']));
    expect((await post(`/orders/${order.id}/cancel`)).status).toBe(409);
  });

  it('answers 404 with a JSON error for unknown ids and routes', async () => {
    for (const path of ['/products/999999', '/orders/999999', '/customers/999999', '/payments/999999', '/invoices/999999', '/shipments/999999', '/inventory/999999', '/tracking/NOPE', '/categories/no-such-slug/products', '/no/such/route']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.type, path).toMatch(/application\/json/);
      expect(typeof res.body.error, path).toBe('string');
    }
    expect((await get('/products/999999')).body).toEqual({ error: 'product 999999 not found' });
    expect((await post('/cart/999999/items', { productId: 1 })).status).toBe(404);
  });

  it('answers 400 with a JSON error for bad input', async () => {
    const customer = await newCustomer('bad-input');
    const cases: [string, Promise<Reply>][] = [
      ['non-numeric id', get('/products/abc')],
      ['limit 0', get('/products?limit=0')],
      ['bad status filter', get('/orders?status=lost')],
      ['productId not an integer', post(`/cart/${customer.id}/items`, { productId: 'x' })],
      ['quantity over 99', post(`/cart/${customer.id}/items`, { productId: 1, quantity: 500 })],
      ['empty cart checkout', post(`/cart/${customer.id}/checkout`)],
      ['unknown promo code', post(`/cart/${customer.id}/checkout`, { promoCode: 'NOPE' })],
      ['bad email', post('/customers', { email: 'not-an-email', firstName: 'A', lastName: 'B', password: 'long enough' })],
      ['product without price', post('/products', { sku: 'KIT-7777', name: 'Nameless', categoryId: 1 })],
      ['zero stock adjustment', post('/inventory/1/adjust', { delta: 0, warehouseId: 1, reason: 'x' })],
      ['rating 9', post('/reviews', { productId: 1, customerId: customer.id, rating: 9, title: 'x' })],
      ['bad date', get('/admin/reports/sales?from=yesterday')],
    ];
    for (const [name, pending] of cases) {
      const res = await pending;
      expect(res.status, name).toBe(400);
      expect(typeof res.body.error, name).toBe('string');
    }
    await post(`/cart/${customer.id}/items`, { productId: activeProducts[0]!.id });
    expect((await post(`/cart/${customer.id}/checkout`, { promoCode: 'NOPE' })).status).toBe(400);
  });

  it('answers 409 for conflicts: retired products, too little stock, duplicates', async () => {
    const customer = await newCustomer('conflict');
    const retired = catalog.products.find((p) => !p.active)!;
    expect((await post(`/cart/${customer.id}/items`, { productId: retired.id })).status).toBe(409);
    const low = (await get('/inventory/low-stock')).body.items[0];
    const stock = (await get(`/inventory/${low.productId}`)).body;
    expect(stock.available).toBeLessThan(99);
    await post(`/cart/${customer.id}/items`, { productId: low.productId, quantity: stock.available + 1 });
    const short = await post(`/cart/${customer.id}/checkout`);
    expect(short.status).toBe(409);
    expect(short.body.error).toMatch(/insufficient stock/);
    const again = await post('/customers', { email: (await get(`/customers/${customer.id}`)).body.email, firstName: 'A', lastName: 'B', password: 'long enough' });
    expect(again.status).toBe(409);
    expect((await post('/products', { sku: activeProducts[0]!.sku, name: 'Dup', priceCents: 100, categoryId: 1 })).status).toBe(409);
  });

  it('runs the rest of the API: products, auth, reviews, promotions, back office', async () => {
    const created = await post('/products', { sku: `TST-${engine === 'pglite' ? 1001 : 1002}`, name: 'Test Kettle', priceCents: 2599, categoryId: 1 });
    expect(created.status).toBe(201);
    const updated = await call(base, 'PUT', `/products/${created.body.id}`, { priceCents: 2799 });
    expect(updated.body.price).toBe(27.99);
    expect((await call(base, 'DELETE', `/products/${created.body.id}`)).status).toBe(204);
    expect((await get(`/products/${created.body.id}`)).body.active).toBe(false);

    const seeded = (await get('/customers/1')).body;
    const session = await post('/auth/login', { email: seeded.email, password: 'password123' });
    expect(session.status).toBe(200);
    const auth = { authorization: `Bearer ${session.body.token}` };
    expect((await get('/auth/me', auth)).body.id).toBe(1);
    expect((await post('/auth/logout', undefined, auth)).status).toBe(204);
    expect((await get('/auth/me', auth)).status).toBe(401);
    expect((await post('/auth/login', { email: seeded.email, password: 'wrong' })).status).toBe(401);
    expect((await call(base, 'PUT', '/customers/1', { phone: '+1-555-000-0000' })).body.phone).toBe('+1-555-000-0000');

    const review = await post('/reviews', { productId: activeProducts[1]!.id, customerId: 2, rating: 4, title: 'Fine' });
    expect([201, 409]).toContain(review.status);
    expect((await get(`/reviews?productId=${activeProducts[1]!.id}`)).body.count).toBeGreaterThan(0);
    expect((await get('/promotions')).body.items.map((p: Json) => p.code)).toContain('WELCOME10');
    expect((await post('/promotions/validate', { code: 'LAUNCH50', subtotalCents: 20_000 })).body).toMatchObject({ valid: false });
    expect((await post('/promotions/validate', { code: 'SAVE20', subtotalCents: 20_000 })).body).toMatchObject({ valid: true, discountCents: 4000 });

    const dashboard = await get('/admin/dashboard');
    expect(dashboard.body.totals.customers).toBeGreaterThanOrEqual(60);
    expect(dashboard.body.topProducts.length).toBeGreaterThan(0);
    expect((await get('/admin/reports/sales?from=2024-01-01&to=2024-03-01')).body.days.length).toBeGreaterThan(5);
    expect((await get('/inventory/low-stock')).body.items.length).toBeGreaterThan(0);
    expect((await get('/warehouses')).body.items).toHaveLength(3);
    expect((await get('/carriers')).body.items.length).toBeGreaterThanOrEqual(4);
    expect((await get('/email-templates')).body.items.length).toBe(6);
    const adjusted = await post(`/inventory/${activeProducts[2]!.id}/adjust`, { delta: 5, warehouseId: 1, reason: 'cycle count' });
    expect(adjusted.status).toBe(200);
  });

  it('starts from the server entry point on loopback', async () => {
    const env = { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...(testDb ? { DATABASE_URL: testDb.url } : {}) };
    const shop = await startServer(env);
    try {
      expect(shop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await call(shop.url, 'GET', '/health');
      expect(health.body).toEqual({ status: 'ok', db: engine });
      expect((await call(shop.url, 'GET', '/products?limit=1')).body.total).toBeGreaterThanOrEqual(activeProducts.length);
    } finally {
      await shop.close();
    }
  });
});
