import { describe, expect, it } from 'vitest';
import type { DecompositionContext, Seam, TableOwnership } from '../decomposition.js';
import type { EndpointDecl, FileFacts, RefKind, TableUse } from '../model.js';
import { cdcDrafts, gatewayDraft } from './drafts.js';
import { impactOf } from './impact.js';
import { nameCandidates, nameContexts, singular, slug } from './naming.js';
import { extractionPlan } from './order.js';
import { sharedWriteTables, tableOwnership } from './ownership.js';
import { findSeams, SHARED_KERNEL_ID } from './seams.js';

type Ref = readonly [to: string, kind: RefKind, symbols: readonly string[], count: number];

function file(path: string, extra: { refs?: readonly Ref[]; tables?: readonly TableUse[]; endpoints?: readonly EndpointDecl[] } = {}): FileFacts {
  return {
    path,
    lines: 10,
    references: (extra.refs ?? []).map(([to, kind, symbols, count]) => ({ to, kind, symbols, count })),
    tables: extra.tables ?? [],
    endpoints: extra.endpoints ?? [],
    terms: {},
  };
}

const read = (table: string): TableUse => ({ table, access: 'read', via: 'sql' });
const write = (table: string): TableUse => ({ table, access: 'write', via: 'sql' });
const route = (method: string, path: string, line = 1): EndpointDecl => ({ method, path, line, framework: 'fastify' });

/** Context id per file from `{ context: [paths] }`. */
const contextMap = (groups: Record<string, readonly string[]>): Map<string, string> =>
  new Map(Object.entries(groups).flatMap(([id, paths]) => paths.map((p) => [p, id] as const)));

function context(
  id: string,
  members: readonly string[],
  extra: { kind?: DecompositionContext['kind']; endpoints?: readonly (readonly [method: string, path: string])[] } = {},
): DecompositionContext {
  return {
    id,
    name: id,
    kind: extra.kind ?? 'domain',
    naming: [],
    members: [...members],
    metrics: { files: members.length, lines: members.length * 10, cohesion: 0, coupling: 0, stability: 1 },
    endpoints: (extra.endpoints ?? []).map(([method, path], i) => ({ method, path, file: members[0] ?? 'x.ts', line: i + 1 })),
    tables: [],
  };
}

const seam = (from: string, to: string, calls: number): Seam => ({ from, to, symbols: [], calls, weight: 0, links: [] });

// ─── seams ────────────────────────────────────────────────────────────────────────────────

const ORDER_SERVICE = 'src/orders/OrderService.ts';
const ORDER_CONTROLLER = 'src/orders/OrderController.ts';
const ORDER_REPO = 'src/orders/OrderRepository.ts';
const INVOICE_SERVICE = 'src/billing/InvoiceService.ts';
const INVOICE = 'src/billing/Invoice.ts';
const LOGGER = 'src/shared/logger.ts';

function seamFixture(): { files: FileFacts[]; contextOf: Map<string, string> } {
  const files = [
    file(ORDER_SERVICE, {
      refs: [
        [INVOICE_SERVICE, 'call', ['InvoiceService.create'], 3],
        [INVOICE_SERVICE, 'import', ['InvoiceService'], 1],
        [INVOICE, 'type', ['Invoice'], 2],
        [ORDER_REPO, 'call', ['OrderRepository.save'], 5],
        [LOGGER, 'call', ['log'], 9],
        ['src/generated/unknown.ts', 'import', ['X'], 1],
      ],
    }),
    file(ORDER_CONTROLLER, { refs: [[INVOICE_SERVICE, 'call', ['InvoiceService.get'], 1]] }),
    file(ORDER_REPO),
    file(INVOICE_SERVICE, { refs: [[ORDER_REPO, 'call', ['OrderRepository.find'], 2]] }),
    file(INVOICE),
    file(LOGGER, { refs: [[ORDER_SERVICE, 'call', ['OrderService.hook'], 4]] }),
  ];
  const contextOf = contextMap({ orders: [ORDER_SERVICE, ORDER_CONTROLLER, ORDER_REPO], billing: [INVOICE_SERVICE, INVOICE], [SHARED_KERNEL_ID]: [LOGGER] });
  return { files, contextOf };
}

describe('findSeams', () => {
  const weights = new Map([
    [`${ORDER_SERVICE}|${INVOICE_SERVICE}`, 0.5],
    [`${ORDER_SERVICE}|${INVOICE}`, 0.25],
    [`${ORDER_CONTROLLER}|${INVOICE_SERVICE}`, 0.125],
    [`${INVOICE_SERVICE}|${ORDER_REPO}`, 0.3],
  ]);
  const pairWeight = (a: string, b: string): number => weights.get(`${a}|${b}`) ?? 0;

  it('aggregates cross-context references by (from, to) with their symbols, use sites and file links', () => {
    const { files, contextOf } = seamFixture();
    const seams = findSeams(files, contextOf, pairWeight);
    expect(seams.map((s) => [s.from, s.to])).toEqual([
      ['orders', 'billing'],
      ['billing', 'orders'],
    ]);
    const [ob, bo] = seams as [Seam, Seam];
    expect(ob.symbols).toEqual(['Invoice', 'InvoiceService', 'InvoiceService.create', 'InvoiceService.get']);
    expect(ob.calls).toBe(3 + 1 + 2 + 1);
    // Links strongest (most use sites) first, each with the symbols crossing it.
    expect(ob.links).toEqual([
      { from: ORDER_SERVICE, to: INVOICE_SERVICE, symbols: ['InvoiceService', 'InvoiceService.create'] },
      { from: ORDER_SERVICE, to: INVOICE, symbols: ['Invoice'] },
      { from: ORDER_CONTROLLER, to: INVOICE_SERVICE, symbols: ['InvoiceService.get'] },
    ]);
    expect(bo).toEqual({
      from: 'billing',
      to: 'orders',
      symbols: ['OrderRepository.find'],
      calls: 2,
      weight: 0.3,
      links: [{ from: INVOICE_SERVICE, to: ORDER_REPO, symbols: ['OrderRepository.find'] }],
    });
  });

  it('adds the coupling weight of each file pair once, however many references it has', () => {
    const { files, contextOf } = seamFixture();
    const [ob] = findSeams(files, contextOf, pairWeight);
    // OrderService → InvoiceService has a call and an import: its 0.5 counts once.
    expect(ob?.weight).toBeCloseTo(0.5 + 0.25 + 0.125, 10);
  });

  it('skips intra-context references, references into or out of the shared kernel, and files without a context', () => {
    const { files, contextOf } = seamFixture();
    const seams = findSeams(files, contextOf, pairWeight);
    for (const s of seams) {
      expect(s.from).not.toBe(s.to);
      expect([s.from, s.to]).not.toContain(SHARED_KERNEL_ID);
      expect(s.symbols).not.toContain('OrderRepository.save');
      expect(s.symbols).not.toContain('X');
    }
    expect(findSeams(files, contextMap({ orders: [ORDER_SERVICE, ORDER_CONTROLLER, ORDER_REPO, INVOICE_SERVICE, INVOICE] }), pairWeight)).toEqual([]);
  });

  it('caps the links of a seam at the twelve with most use sites', () => {
    const callers = Array.from({ length: 15 }, (_, i) => `src/a/caller${String(i).padStart(2, '0')}.ts`);
    const files = [...callers.map((p, i) => file(p, { refs: [['src/b/target.ts', 'call', [`t${i}`], i + 1]] })), file('src/b/target.ts')];
    const [s] = findSeams(files, contextMap({ a: callers, b: ['src/b/target.ts'] }), () => 1);
    expect(s?.calls).toBe((15 * 16) / 2);
    expect(s?.weight).toBe(15);
    expect(s?.symbols).toHaveLength(15);
    expect(s?.links.map((l) => l.from)).toEqual([...callers].reverse().slice(0, 12));
  });
});

// ─── table ownership ──────────────────────────────────────────────────────────────────────

describe('tableOwnership', () => {
  const files = [
    file('src/orders/OrderRepository.ts', { tables: [read('orders'), write('orders'), write('order_items')] }),
    file('src/orders/OrderService.ts', { tables: [read('orders'), read('customers'), read('settings')] }),
    file('src/billing/InvoiceRepository.ts', { tables: [write('invoices'), write('customers')] }),
    file('src/billing/CustomerSync.ts', { tables: [write('customers')] }),
    file('src/billing/BillingReport.ts', { tables: [read('orders'), read('invoices')] }),
    file('src/shared/settings.ts', { tables: [write('settings'), write('audit_log')] }),
    file('src/unclustered/script.ts', { tables: [write('orders')] }),
  ];
  const contextOf = contextMap({
    orders: ['src/orders/OrderRepository.ts', 'src/orders/OrderService.ts'],
    billing: ['src/billing/InvoiceRepository.ts', 'src/billing/CustomerSync.ts', 'src/billing/BillingReport.ts'],
    [SHARED_KERNEL_ID]: ['src/shared/settings.ts'],
  });
  const byName = (): Map<string, TableOwnership> => new Map(tableOwnership(files, contextOf).map((t) => [t.name, t]));

  it('lists every table once, sorted by name, ignoring files without a context', () => {
    expect(tableOwnership(files, contextOf).map((t) => t.name)).toEqual(['audit_log', 'customers', 'invoices', 'order_items', 'orders', 'settings']);
  });

  it('gives a table to the context that writes it, with read/write per context and the shared flag', () => {
    const t = byName();
    expect(t.get('orders')).toEqual({
      name: 'orders',
      owner: 'orders',
      usedBy: ['billing', 'orders'],
      access: { billing: 'read', orders: 'write' },
      shared: true,
    });
    expect(t.get('invoices')).toEqual({ name: 'invoices', owner: 'billing', usedBy: ['billing'], access: { billing: 'write' }, shared: false });
    expect(t.get('order_items')?.owner).toBe('orders');
  });

  it('prefers more writing files over more using files', () => {
    // customers: billing has two writers; orders only reads it.
    expect(byName().get('customers')).toMatchObject({ owner: 'billing', shared: true, access: { billing: 'write', orders: 'read' } });
    const tie = [
      file('src/a/w.ts', { tables: [write('carts')] }),
      file('src/b/w.ts', { tables: [write('carts')] }),
      file('src/b/r.ts', { tables: [read('carts')] }),
    ];
    // One writer each: the context with more users wins; with those equal too, the id decides.
    expect(tableOwnership(tie, contextMap({ a: ['src/a/w.ts'], b: ['src/b/w.ts', 'src/b/r.ts'] }))[0]?.owner).toBe('b');
    expect(tableOwnership(tie.slice(0, 2), contextMap({ z: ['src/a/w.ts'], y: ['src/b/w.ts'] }))[0]?.owner).toBe('y');
  });

  it('never lets the shared kernel win over a domain context, nor count it for sharing', () => {
    const t = byName();
    // The kernel writes settings and orders only reads it: orders owns it, and it is not shared.
    expect(t.get('settings')).toEqual({
      name: 'settings',
      owner: 'orders',
      usedBy: ['orders', SHARED_KERNEL_ID],
      access: { orders: 'read', [SHARED_KERNEL_ID]: 'write' },
      shared: false,
    });
    // A table only the kernel uses stays with the kernel.
    expect(t.get('audit_log')).toMatchObject({ owner: SHARED_KERNEL_ID, shared: false });
  });

  it('sharedWriteTables lists the shared tables a context writes', () => {
    const tables = tableOwnership(files, contextOf);
    expect(sharedWriteTables('orders', tables)).toEqual(['orders']);
    expect(sharedWriteTables('billing', tables)).toEqual(['customers']);
    expect(sharedWriteTables(SHARED_KERNEL_ID, tables)).toEqual([]);
  });
});

// ─── extraction order ─────────────────────────────────────────────────────────────────────

describe('extractionPlan', () => {
  const contexts = [
    context('catalog', ['c1.ts', 'c2.ts', 'c3.ts', 'c4.ts']),
    context('orders', ['o1.ts', 'o2.ts', 'o3.ts']),
    context('billing', ['b1.ts', 'b2.ts']),
    context('notifications', ['n1.ts', 'n2.ts']),
    context(SHARED_KERNEL_ID, ['k1.ts'], { kind: 'shared-kernel' }),
  ];
  const seams = [seam('orders', 'catalog', 5), seam('orders', 'billing', 3), seam('billing', 'catalog', 2)];
  const tables: TableOwnership[] = [
    { name: 'orders', owner: 'orders', usedBy: ['billing', 'orders'], access: { billing: 'read', orders: 'write' }, shared: true },
    { name: 'outbox', owner: 'notifications', usedBy: ['notifications'], access: { notifications: 'write' }, shared: false },
  ];

  it('starts with a context that has no inbound seams and no shared-write tables, and says why', () => {
    const [first] = extractionPlan(contexts, seams, tables);
    expect(first).toMatchObject({ step: 1, context: 'notifications', inboundSeams: 0, sharedWriteTables: [], seamsToCut: [] });
    expect(first?.reason.length).toBeGreaterThan(0);
  });

  it('orders every domain context once, fewest remaining callers first, the kernel never', () => {
    const plan = extractionPlan(contexts, seams, tables);
    expect(plan.map((s) => s.context)).toEqual(['notifications', 'orders', 'billing', 'catalog']);
    expect(plan.map((s) => s.step)).toEqual([1, 2, 3, 4]);
    // orders has no callers but writes a shared table, so it follows notifications.
    expect(plan[1]).toMatchObject({ inboundSeams: 0, sharedWriteTables: ['orders'] });
    expect(plan[1]?.reason).toContain('orders');
    // Once orders is out, billing is called by nobody left; catalog, called by billing, comes last.
    expect(plan[2]?.inboundSeams).toBe(0);
    expect(plan[3]?.inboundSeams).toBe(0);
    // Each step says why, differently when the situation differs.
    expect(new Set(plan.map((s) => s.reason)).size).toBeGreaterThan(1);
  });

  it('lists the seams each step cuts, to and from the contexts still in the monolith', () => {
    const plan = extractionPlan(contexts, seams, tables);
    expect(plan[1]?.seamsToCut).toEqual([
      { from: 'orders', to: 'catalog', calls: 5 },
      { from: 'orders', to: 'billing', calls: 3 },
    ]);
    expect(plan[2]?.seamsToCut).toEqual([{ from: 'billing', to: 'catalog', calls: 2 }]);
    expect(plan[3]?.seamsToCut).toEqual([]);
  });

  it('breaks ties among equally called contexts by use sites, then size, then id', () => {
    // a and b are each called by d only; d is called by a and b.
    const three = [context('a', ['a1']), context('b', ['b1']), context('d', ['d1', 'd2', 'd3'])];
    const plan = extractionPlan(three, [seam('d', 'a', 4), seam('d', 'b', 1), seam('a', 'd', 1), seam('b', 'd', 1)], []);
    // b before a: one caller each, but fewer use sites into b. Then d (one caller left, 1 use site) before a (4).
    expect(plan.map((s) => s.context)).toEqual(['b', 'd', 'a']);
    expect(plan[0]?.inboundSeams).toBe(1);
    expect(extractionPlan([context('x', ['1', '2']), context('y', ['1'])], [], []).map((s) => s.context)).toEqual(['y', 'x']);
    expect(extractionPlan([context('q', ['1']), context('p', ['1'])], [], []).map((s) => s.context)).toEqual(['p', 'q']);
  });

  it('counts inbound seams by calling context, not by use sites', () => {
    const four = [context('hub', ['h']), context('solo', ['s']), context('p', ['p']), context('q', ['q'])];
    // hub is called by p and q with one use site each; solo by p alone with fifty.
    const seams = [
      seam('p', 'hub', 1),
      seam('q', 'hub', 1),
      seam('p', 'solo', 50),
      seam('hub', 'p', 1),
      seam('solo', 'p', 1),
      seam('hub', 'q', 1),
      seam('solo', 'q', 1),
    ];
    const [first] = extractionPlan(four, seams, []);
    expect(first).toMatchObject({ context: 'solo', inboundSeams: 1 });
  });
});

// ─── impact ───────────────────────────────────────────────────────────────────────────────

describe('impactOf', () => {
  const PRODUCT = 'src/catalog/Product.ts';
  const files = [
    // Product and ProductService use each other: the cycle must not loop or revisit Product.
    file(PRODUCT, {
      refs: [
        [LOGGER, 'call', ['log'], 1],
        ['src/catalog/ProductService.ts', 'call', ['ProductService.price'], 1],
      ],
    }),
    file('src/catalog/ProductService.ts', {
      refs: [
        [PRODUCT, 'import', ['Product'], 1],
        [PRODUCT, 'new', ['Product'], 2],
      ],
    }),
    file('src/orders/OrderService.ts', { refs: [['src/catalog/ProductService.ts', 'call', ['ProductService.get'], 1]] }),
    file('src/orders/OrderController.ts', { refs: [['src/orders/OrderService.ts', 'call', ['OrderService.place'], 1]] }),
    file('src/billing/InvoiceService.ts', {
      refs: [
        ['src/orders/OrderController.ts', 'type', ['OrderDto'], 1],
        [PRODUCT, 'type', ['Product'], 1],
      ],
    }),
    file('src/billing/Unrelated.ts'),
    file(LOGGER),
    // A catalog file reached only through orders.
    file('src/catalog/ProductCache.ts', { refs: [['src/orders/OrderService.ts', 'call', ['x'], 1]] }),
  ];
  const contextOf = contextMap({
    catalog: [PRODUCT, 'src/catalog/ProductService.ts', 'src/catalog/ProductCache.ts'],
    orders: ['src/orders/OrderService.ts', 'src/orders/OrderController.ts'],
    billing: ['src/billing/InvoiceService.ts', 'src/billing/Unrelated.ts'],
    [SHARED_KERNEL_ID]: [LOGGER],
  });

  it('groups every transitive dependent by context with the fewest hops, nearest first', () => {
    const impact = impactOf(PRODUCT, files, contextOf);
    expect(impact).toEqual([
      // The changed file's own context, at depth 0, with its dependents there.
      { context: 'catalog', files: 3, depth: 0, examples: [PRODUCT, 'src/catalog/ProductCache.ts', 'src/catalog/ProductService.ts'] },
      // InvoiceService uses Product directly, so billing is one hop away, not four.
      { context: 'billing', files: 1, depth: 1, examples: ['src/billing/InvoiceService.ts'] },
      { context: 'orders', files: 2, depth: 2, examples: ['src/orders/OrderController.ts', 'src/orders/OrderService.ts'] },
    ]);
  });

  it('follows references backwards only: what the file uses is not impacted', () => {
    const impact = impactOf(PRODUCT, files, contextOf);
    expect(impact.map((e) => e.context)).not.toContain(SHARED_KERNEL_ID);
    expect(impact.flatMap((e) => e.examples)).not.toContain('src/billing/Unrelated.ts');
    // The logger is used by Product, so a change to it reaches everything above.
    expect(impactOf(LOGGER, files, contextOf).map((e) => e.context)).toEqual([SHARED_KERNEL_ID, 'catalog', 'billing', 'orders']);
  });

  it('stops at maxDepth', () => {
    const impact = impactOf('src/orders/OrderService.ts', files, contextOf, 1);
    expect(impact).toEqual([
      { context: 'orders', files: 2, depth: 0, examples: ['src/orders/OrderController.ts', 'src/orders/OrderService.ts'] },
      { context: 'catalog', files: 1, depth: 1, examples: ['src/catalog/ProductCache.ts'] },
    ]);
  });

  it('caps examples at five, sorted', () => {
    const leaves = Array.from({ length: 7 }, (_, i) => `src/x/user${i}.ts`);
    const many = [file('src/x/core.ts'), ...leaves.map((p) => file(p, { refs: [['src/x/core.ts', 'call', ['f'], 1]] }))];
    const [entry] = impactOf('src/x/core.ts', many, contextMap({ x: ['src/x/core.ts', ...leaves] }));
    expect(entry?.files).toBe(8);
    expect(entry?.examples).toEqual(['src/x/core.ts', ...leaves.slice(0, 4)]);
  });
});

// ─── naming ───────────────────────────────────────────────────────────────────────────────

describe('nameCandidates', () => {
  it('counts a route prefix once per file, so one file with many routes does not outvote two', () => {
    const members = [
      file('src/a/routes.ts', { endpoints: [route('GET', '/orders'), route('POST', '/orders'), route('GET', '/orders/:id'), route('DELETE', '/orders/:id')] }),
      file('src/b/routes.ts', { endpoints: [route('GET', '/api/v1/carts')] }),
      file('src/c/routes.ts', { endpoints: [route('PUT', '/carts/:id')] }),
    ];
    const [top, next] = nameCandidates(members);
    expect(top?.term).toBe('cart');
    expect(next?.term).toBe('order');
    expect(top!.score).toBe(2 * next!.score);
    expect(top?.evidence).toEqual(['route /carts']);
  });

  it('scores tables written above tables read, and reads above nothing', () => {
    const members = [file('src/x/a.ts', { tables: [write('invoices'), read('customers')] }), file('src/x/b.ts', { tables: [write('invoices')] })];
    const list = nameCandidates(members);
    expect(list.map((c) => c.term)).toEqual(['invoice', 'customer']);
    expect(list[0]!.score).toBeGreaterThan(list[1]!.score);
    expect(list[0]?.evidence).toEqual(['table invoices']);
  });

  it('splits file names into terms, folds plurals and drops generic words', () => {
    const list = nameCandidates([file('src/x/ShippingLabelService.ts'), file('src/x/shipping-labels.controller.ts'), file('src/x/index.ts')]);
    expect(list.map((c) => c.term).sort()).toEqual(['label', 'shipping']);
    for (const c of list) expect(c.score).toBe(2);
  });

  it('lets routes and tables outweigh file-name terms', () => {
    const list = nameCandidates([
      file('src/x/PaymentGateway.ts', { endpoints: [route('POST', '/refunds')] }),
      file('src/x/PaymentClient.ts', { tables: [write('refunds')] }),
    ]);
    expect(list[0]?.term).toBe('refund');
  });

  it('singular folds common English plurals without mangling -ss and -us', () => {
    expect(['orders', 'categories', 'addresses', 'address', 'status', 'bus', 'Products'].map(singular)).toEqual([
      'order',
      'category',
      'address',
      'address',
      'status',
      'bus',
      'product',
    ]);
  });
});

describe('nameContexts', () => {
  it('names each context from its strongest term and gives unique slug ids', () => {
    const names = nameContexts([
      [file('src/orders/OrderService.ts'), file('src/orders/OrderRepository.ts')],
      [file('src/history/OrderHistory.ts'), file('src/history/OrderArchive.ts')],
      [file('src/index.ts'), file('src/app.ts')],
      [file('src/more/OrderController.ts')],
      [file('src/catalog/routes.ts', { endpoints: [route('GET', '/products')] })],
    ]);
    expect(names.map((n) => n.name)).toEqual(['Order', 'Order Archive', 'Context 3', 'Order 4', 'Product']);
    expect(names.map((n) => n.id)).toEqual(['order', 'order-archive', 'context-3', 'order-4', 'product']);
    expect(names[4]?.naming).toEqual(['route /products']);
    expect(names[2]?.naming).toEqual([]);
  });

  it('never hands out an id twice, nor the shared-kernel id', () => {
    const same = Array.from({ length: 4 }, (_, i) => [file(`src/g${i}/Order.ts`)]);
    const ids = nameContexts(same).map((n) => n.id);
    expect(new Set(ids).size).toBe(4);
    expect(ids).not.toContain(SHARED_KERNEL_ID);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it('slug makes ids the contract accepts', () => {
    expect(slug('Order Archive')).toBe('order-archive');
    expect(slug('  Gift cards & vouchers!  ')).toBe('gift-cards-vouchers');
    expect(slug('***')).toBe('context');
  });
});

// ─── drafts ───────────────────────────────────────────────────────────────────────────────

const ROUTE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

describe('gatewayDraft', () => {
  const contexts = [
    context('catalog', ['src/catalog/routes.ts'], {
      endpoints: [
        ['GET', '/products'],
        ['get', '/products/:id'],
        ['POST', '/products'],
      ],
    }),
    context('orders', ['src/orders/routes.ts'], {
      endpoints: [
        ['POST', '/orders'],
        ['GET', '/orders'],
        ['GET', '/orders/:id/items'],
      ],
    }),
    context('billing', ['src/billing/routes.ts'], { endpoints: [['GET', '/orders/:id/invoice']] }),
    context('reporting', ['src/reporting/job.ts']),
    context(SHARED_KERNEL_ID, ['src/shared/health.ts'], { kind: 'shared-kernel', endpoints: [['GET', '/health']] }),
  ];

  it('routes every domain context with endpoints to its own placeholder upstream, in shadow mode', () => {
    const draft = gatewayDraft(contexts);
    expect(draft.upstreams).toEqual({
      monolith: { url: 'http://127.0.0.1:3000' },
      catalog: { url: 'http://127.0.0.1:3001', timeoutMs: 2000 },
      orders: { url: 'http://127.0.0.1:3002', timeoutMs: 2000 },
      billing: { url: 'http://127.0.0.1:3003', timeoutMs: 2000 },
    });
    for (const r of draft.routes) {
      expect(r.mode).toBe('shadow');
      expect(r.weight).toBe(0);
      expect(r.shadow).toEqual({ sample: 100, unsafeMethods: 'never' });
      expect(Object.keys(draft.upstreams)).toContain(r.service);
      expect(r.service).not.toBe('monolith');
      expect(r.id).toMatch(ROUTE_ID);
    }
    expect(new Set(draft.routes.map((r) => r.id)).size).toBe(draft.routes.length);
    expect(draft.routes.map((r) => r.service)).not.toContain(SHARED_KERNEL_ID);
    expect(draft.routes.map((r) => r.service)).not.toContain('reporting');
    expect(gatewayDraft(contexts, 'http://legacy:8000').upstreams.monolith).toEqual({ url: 'http://legacy:8000' });
  });

  it('gives each top path segment to the context with most endpoints under it, stray endpoints exact routes listed first', () => {
    const draft = gatewayDraft(contexts);
    expect(draft.routes.map((r) => ({ path: r.match.path, methods: r.match.methods, service: r.service }))).toEqual([
      { path: '/orders/:id/invoice', methods: ['GET'], service: 'billing' },
      { path: '/orders', methods: ['GET', 'POST'], service: 'orders' },
      { path: '/products', methods: ['GET', 'POST'], service: 'catalog' },
    ]);
  });

  it('keeps the owner’s prefix route when another context declares the bare prefix path too', () => {
    // orders owns the /orders segment (2 endpoints to 1); admin-tools' stray DELETE /orders must
    // not take the place of orders' /orders route.
    const draft = gatewayDraft([
      context('orders', ['src/orders/routes.ts'], {
        endpoints: [
          ['GET', '/orders'],
          ['GET', '/orders/:id'],
        ],
      }),
      context('admin-tools', ['src/admin/routes.ts'], { endpoints: [['DELETE', '/orders']] }),
    ]);
    const routes = draft.routes.map((r) => ({ path: r.match.path, methods: r.match.methods, service: r.service }));
    expect(routes).toContainEqual({ path: '/orders', methods: ['GET'], service: 'orders' });
    expect(routes).toContainEqual({ path: '/orders', methods: ['DELETE'], service: 'admin-tools' });
  });
});

describe('cdcDrafts', () => {
  const contexts = [
    context('orders', ['o.ts']),
    context('order-history', ['h.ts']),
    context('catalog', ['c.ts']),
    context(SHARED_KERNEL_ID, ['k.ts'], { kind: 'shared-kernel' }),
  ];
  const owned = (name: string, owner: string | null): TableOwnership => ({ name, owner, usedBy: owner ? [owner] : [], access: {}, shared: false });
  const tables = [
    owned('orders', 'orders'),
    owned('order_items', 'orders'),
    owned('order_events', 'order-history'),
    owned('settings', SHARED_KERNEL_ID),
    owned('orphans', null),
  ];

  it('maps each domain context’s owned tables to its own store, one Debezium topic per table', () => {
    const drafts = cdcDrafts(contexts, tables);
    expect(Object.keys(drafts).sort()).toEqual(['order-history', 'orders']);
    expect(drafts.orders).toEqual({
      source: { kafka: { brokers: ['${KAFKA_BROKERS:-127.0.0.1:9092}'], groupId: 'ficus-cdc-orders', topics: ['monolith.public.orders', 'monolith.public.order_items'] } },
      sink: { postgres: { url: '${ORDERS_DATABASE_URL}', schema: 'public' } },
      tables: [
        { from: 'public.orders', to: 'orders', key: ['id'] },
        { from: 'public.order_items', to: 'order_items', key: ['id'] },
      ],
    });
    expect(drafts['order-history']?.sink.postgres.url).toBe('${ORDER_HISTORY_DATABASE_URL}');
  });

  it('uses the topic prefix given, and skips contexts that own nothing and the kernel', () => {
    const drafts = cdcDrafts(contexts, tables, 'shop');
    expect(drafts['order-history']?.source.kafka.topics).toEqual(['shop.public.order_events']);
    expect(drafts.catalog).toBeUndefined();
    expect(drafts[SHARED_KERNEL_ID]).toBeUndefined();
  });

  it('follows tableOwnership: a shared table goes to its writer only', () => {
    const files = [file('o.ts', { tables: [write('orders')] }), file('c.ts', { tables: [read('orders'), write('products')] })];
    const owners = tableOwnership(files, contextMap({ orders: ['o.ts'], catalog: ['c.ts'] }));
    const drafts = cdcDrafts(contexts, owners);
    expect(drafts.orders?.tables.map((t) => t.to)).toEqual(['orders']);
    expect(drafts.catalog?.tables.map((t) => t.to)).toEqual(['products']);
  });
});
