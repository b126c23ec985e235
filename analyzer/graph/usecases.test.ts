import { describe, expect, it } from 'vitest';
import type { EdgeLayer, EndpointDecl, FileFacts, RefKind, Reference } from '../model.js';
import { routeFamily, usecaseLayer } from './usecases.js';

const ref = (to: string, kind: RefKind = 'call'): Reference => ({ to, kind, symbols: [], count: 1 });
const get = (path: string, line = 1): EndpointDecl => ({ method: 'GET', path, line, framework: 'fastify' });

function file(path: string, references: Reference[] = [], endpoints: EndpointDecl[] = []): FileFacts {
  return { path, lines: 20, references, tables: [], endpoints, terms: {} };
}

const weight = (layer: EdgeLayer, x: string, y: string): number | undefined => layer.edges.find((e) => (e.a === x && e.b === y) || (e.a === y && e.b === x))?.w;

const neighbours = (layer: EdgeLayer, p: string): Set<string> => new Set(layer.edges.flatMap((e) => (e.a === p ? [e.b] : e.b === p ? [e.a] : [])));

/** Two vertical slices: orders and products, each routes → service → repository. */
const ORDERS = ['routes/orderRoutes.ts', 'services/OrderService.ts', 'repositories/OrderRepository.ts'];
const PRODUCTS = ['routes/productRoutes.ts', 'services/ProductService.ts', 'repositories/ProductRepository.ts'];

function slices(extra: { shared?: boolean; hub?: boolean } = {}): FileFacts[] {
  const files = [
    file(ORDERS[0]!, [ref(ORDERS[1]!), ref('lib/db.ts')].slice(0, extra.hub ? 2 : 1), [get('/api/v1/orders/:id'), get('/api/v1/orders', 2)]),
    file(ORDERS[1]!, [ref(ORDERS[2]!, 'new'), ...(extra.shared ? [ref('lib/money.ts')] : [])]),
    file(ORDERS[2]!),
    file(PRODUCTS[0]!, [ref(PRODUCTS[1]!, 'import')], [get('/products')]),
    file(PRODUCTS[1]!, [ref(PRODUCTS[2]!, 'call'), ...(extra.shared ? [ref('lib/money.ts')] : [])]),
    file(PRODUCTS[2]!),
  ];
  if (extra.shared) files.push(file('lib/money.ts'));
  // A db client reached from the orders routes that in turn reaches the products repository.
  if (extra.hub) files.push(file('lib/db.ts', [ref(PRODUCTS[2]!)]));
  return files;
}

describe('routeFamily', () => {
  it('skips api, version and parameter segments', () => {
    expect(routeFamily(file('r.ts', [], [get('/api/v1/orders/:id')]))).toBe('route:orders');
    expect(routeFamily(file('r.ts', [], [get('/rest/v2.1/{id}/invoices')]))).toBe('route:invoices');
  });

  it('takes the majority family of a file’s routes, lower-cased', () => {
    const f = file('r.ts', [], [get('/Carts'), get('/carts/:id'), get('/wishlist')]);
    expect(routeFamily(f)).toBe('route:carts');
  });

  it('falls back to the file when no route names anything', () => {
    expect(routeFamily(file('routes/root.ts', [], [get('/'), get('/api/:id'), get('*')]))).toBe('file:routes/root.ts');
  });
});

describe('usecaseLayer', () => {
  it('links the files of each slice to each other and never across slices', () => {
    const layer = usecaseLayer(slices());
    expect(layer.signal).toBe('usecases');
    expect(layer.note).toBeUndefined();
    for (const group of [ORDERS, PRODUCTS]) {
      for (const x of group) for (const y of group) if (x < y) expect(weight(layer, x, y), `${x} – ${y}`).toBeGreaterThan(0);
    }
    for (const x of ORDERS) for (const y of PRODUCTS) expect(weight(layer, x, y), `${x} – ${y}`).toBeUndefined();
    expect(layer.edges.every((e) => e.a < e.b && e.w > 0 && e.w <= 1)).toBe(true);
  });

  it('splits the share of a file reached from both slices, so its ties are weaker', () => {
    const layer = usecaseLayer(slices({ shared: true }));
    const money = 'lib/money.ts';
    expect(neighbours(layer, money)).toEqual(new Set([...ORDERS, ...PRODUCTS]));
    const toOrders = weight(layer, money, ORDERS[0]!)!;
    const toProducts = weight(layer, money, PRODUCTS[0]!)!;
    expect(toOrders).toBeCloseTo(toProducts, 10);
    expect(toOrders).toBeLessThan(weight(layer, ORDERS[0]!, ORDERS[1]!)!);
    // Still no direct tie between the slices themselves.
    for (const x of ORDERS) for (const y of PRODUCTS) expect(weight(layer, x, y)).toBeUndefined();
  });

  it('does not pass through excluded hubs', () => {
    const through = usecaseLayer(slices({ hub: true }));
    expect(weight(through, ORDERS[0]!, PRODUCTS[2]!)).toBeGreaterThan(0);

    const around = usecaseLayer(slices({ hub: true }), new Set(['lib/db.ts']));
    expect(weight(around, ORDERS[0]!, PRODUCTS[2]!)).toBeUndefined();
    expect(neighbours(around, 'lib/db.ts').size).toBe(0);
    for (const x of ORDERS) for (const y of PRODUCTS) expect(weight(around, x, y)).toBeUndefined();
  });

  it('does not follow type-only imports', () => {
    const files = slices();
    const withTypeImport = files.map((f) => (f.path === ORDERS[0] ? { ...f, references: [...f.references, ref(PRODUCTS[2]!, 'import-type')] } : f));
    expect(weight(usecaseLayer(withTypeImport), ORDERS[0]!, PRODUCTS[2]!)).toBeUndefined();
  });

  it('counts entry files of one route family as one use case', () => {
    const files = [
      file('routes/productRoutes.ts', [ref('services/ProductService.ts')], [get('/catalog/products')]),
      file('routes/brandRoutes.ts', [ref('services/BrandService.ts')], [get('/catalog/brands')]),
      file('services/ProductService.ts'),
      file('services/BrandService.ts'),
      file('routes/orderRoutes.ts', [ref('services/OrderService.ts')], [get('/orders')]),
      file('services/OrderService.ts'),
    ];
    const layer = usecaseLayer(files);
    expect(weight(layer, 'services/ProductService.ts', 'services/BrandService.ts')).toBeGreaterThan(0);
    expect(weight(layer, 'routes/productRoutes.ts', 'routes/brandRoutes.ts')).toBeGreaterThan(0);
    expect(weight(layer, 'services/ProductService.ts', 'services/OrderService.ts')).toBeUndefined();
  });

  it('returns an empty layer with a note when no file declares routes', () => {
    const layer = usecaseLayer([file('a.ts', [ref('b.ts')]), file('b.ts')]);
    expect(layer.edges).toEqual([]);
    expect(layer.note).toBeTruthy();
  });

  it('returns an empty layer with a note when only one file declares routes', () => {
    const layer = usecaseLayer([file('a.ts', [ref('b.ts')], [get('/a')]), file('b.ts')]);
    expect(layer.edges).toEqual([]);
    expect(layer.note).toBeTruthy();
  });

  it('stops after maxDepth hops', () => {
    const chain = [
      file('routes/a.ts', [ref('s1.ts')], [get('/alpha')]),
      file('routes/b.ts', [ref('t1.ts')], [get('/beta')]),
      file('s1.ts', [ref('s2.ts')]),
      file('s2.ts', [ref('s3.ts')]),
      file('s3.ts'),
      file('t1.ts'),
    ];
    const shallow = usecaseLayer(chain, new Set(), { maxDepth: 1 });
    expect(weight(shallow, 'routes/a.ts', 's1.ts')).toBeGreaterThan(0);
    expect(weight(shallow, 'routes/a.ts', 's2.ts')).toBeUndefined();
    expect(weight(usecaseLayer(chain), 'routes/a.ts', 's3.ts')).toBeGreaterThan(0);
  });
});
