import { describe, expect, it } from 'vitest';
import type { EdgeLayer, FileFacts, TableAccess } from '../model.js';
import { dataLayer, tableFamily } from './data.js';

function file(path: string, tables: Record<string, TableAccess> = {}): FileFacts {
  return {
    path,
    lines: 10,
    references: [],
    tables: Object.entries(tables).map(([table, access]) => ({ table, access, via: 'sql' as const })),
    endpoints: [],
    terms: {},
  };
}

const weight = (layer: EdgeLayer, x: string, y: string): number | undefined => layer.edges.find((e) => (e.a === x && e.b === y) || (e.a === y && e.b === x))?.w;

/** Files touching nothing, so no table is used by more than half of the files. */
const bystanders = (n: number): FileFacts[] => Array.from({ length: n }, (_, i) => file(`src/misc/file${i}.ts`));

describe('tableFamily', () => {
  it('is the first name token, singular', () => {
    expect(tableFamily('orders')).toBe('order');
    expect(tableFamily('order_lines')).toBe('order');
    expect(tableFamily('categories')).toBe('category');
    expect(tableFamily('catalog_product_entity')).toBe('catalog');
    expect(tableFamily('address_book')).toBe('address');
  });

  it('ignores generic prefixes and too-short tokens', () => {
    expect(tableFamily('tbl_orders')).toBeNull();
    expect(tableFamily('app_users')).toBeNull();
    expect(tableFamily('sys_settings')).toBeNull();
    expect(tableFamily('t_orders')).toBeNull();
    expect(tableFamily('ab_thing')).toBeNull();
  });
});

describe('dataLayer', () => {
  it('links files touching different tables of one family, more weakly than files sharing a table', () => {
    const files = [
      file('src/orders/OrderRepository.ts', { orders: 'write' }),
      file('src/orders/OrderReport.ts', { orders: 'write' }),
      file('src/orders/OrderLineRepository.ts', { order_lines: 'write' }),
      file('src/catalog/ProductRepository.ts', { products: 'write' }),
      file('src/catalog/ProductSearch.ts', { products: 'write' }),
      ...bystanders(3),
    ];
    const layer = dataLayer(files);
    expect(layer.signal).toBe('data');
    const family = weight(layer, 'src/orders/OrderRepository.ts', 'src/orders/OrderLineRepository.ts');
    expect(family).toBeGreaterThan(0);
    expect(weight(layer, 'src/orders/OrderReport.ts', 'src/orders/OrderLineRepository.ts')).toBeCloseTo(family!, 10);
    expect(family!).toBeLessThan(weight(layer, 'src/catalog/ProductRepository.ts', 'src/catalog/ProductSearch.ts')!);
    expect(family!).toBeLessThan(weight(layer, 'src/orders/OrderRepository.ts', 'src/orders/OrderReport.ts')!);
    for (const o of ['src/orders/OrderRepository.ts', 'src/orders/OrderLineRepository.ts']) {
      expect(weight(layer, o, 'src/catalog/ProductRepository.ts')).toBeUndefined();
    }
  });

  it('adds no family tie when families are turned off', () => {
    const files = [file('a/x.ts', { orders: 'write' }), file('a/y.ts', { order_lines: 'write' }), ...bystanders(3)];
    expect(weight(dataLayer(files), 'a/x.ts', 'a/y.ts')).toBeGreaterThan(0);
    expect(dataLayer(files, { family: 0 }).edges).toEqual([]);
  });

  it('does not make a family of tables sharing only a generic prefix', () => {
    const files = [file('a/x.ts', { tbl_orders: 'write' }), file('a/y.ts', { tbl_users: 'write' }), ...bystanders(3)];
    expect(dataLayer(files).edges).toEqual([]);
  });

  it('needs two tables for a family: one table alone adds nothing beyond the shared-table tie', () => {
    const files = [file('a/x.ts', { payments: 'write' }), file('a/y.ts', { payments: 'read' }), file('a/z.ts', { refunds: 'write' }), ...bystanders(3)];
    expect(dataLayer(files).edges).toEqual(dataLayer(files, { family: 0 }).edges);
    expect(weight(dataLayer(files), 'a/x.ts', 'a/z.ts')).toBeUndefined();
  });

  it('weighs shared writers above a writer and a reader, above two readers', () => {
    const files = [
      file('w1.ts', { carts: 'write' }),
      file('w2.ts', { carts: 'write' }),
      file('r1.ts', { carts: 'read' }),
      file('r2.ts', { carts: 'read' }),
      ...bystanders(5),
    ];
    const layer = dataLayer(files);
    const ww = weight(layer, 'w1.ts', 'w2.ts')!;
    const rw = weight(layer, 'w1.ts', 'r1.ts')!;
    const rr = weight(layer, 'r1.ts', 'r2.ts')!;
    expect(ww).toBe(1);
    expect(rw).toBeLessThan(ww);
    expect(rr).toBeLessThan(rw);
  });

  it('ignores a table touched by more than half of the files, and says so', () => {
    const files = [file('a.ts', { users: 'read' }), file('b.ts', { users: 'read' }), file('c.ts', { users: 'write' }), file('d.ts')];
    const layer = dataLayer(files);
    expect(layer.edges).toEqual([]);
    expect(layer.note).toContain('users');
  });

  it('notes when no file touches a table', () => {
    expect(dataLayer(bystanders(3)).note).toBeTruthy();
  });
});
