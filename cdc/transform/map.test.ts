import { describe, expect, it } from 'vitest';
import { UNAVAILABLE, type ChangeEvent, type Op, type Row } from '../model.js';
import type { TableMapping } from '../config/schema.js';
import { compileTableMapping, findMapping, mapEvent } from './map.js';

const products: TableMapping = {
  from: 'public.products',
  to: 'catalog_items',
  key: ['item_id'],
  columns: {
    id: 'item_id',
    name: 'title',
    description: 'summary',
    price_cents: { to: 'unit_price', type: 'integer', expr: 'value / 100.0' },
    active: 'is_active',
    legacy_flag: null,
  },
  unmapped: 'keep',
  computed: { updated_at: 'now()' },
  where: "after.sku != 'TEST'",
  truncate: false,
};
const m = compileTableMapping(products);

const ev = (op: Op, after: Row | null, before: Row | null = null, key: Row | null = { id: 7 }): ChangeEvent => ({
  op,
  db: 'shop',
  schema: 'public',
  table: 'products',
  key,
  before,
  after,
  tsMs: 1,
  snapshot: false,
  transaction: null,
  position: { kind: 'kafka', topic: 'shop.public.products', partition: 0, offset: '41' },
});
const full = { id: 7, sku: 'A-1', name: 'Mug', description: 'big', price_cents: 1250, active: true, legacy_flag: 'x' };

describe('mapEvent', () => {
  it('renames, drops, keeps unmapped columns and adds computed ones', () => {
    const c = mapEvent(ev('c', full), m);
    expect(c?.kind).toBe('upsert');
    if (c?.kind !== 'upsert') return;
    expect(c.table).toBe('catalog_items');
    expect(c.key).toEqual(['item_id']);
    expect(Object.keys(c.columns).sort()).toEqual(['is_active', 'item_id', 'sku', 'summary', 'title', 'unit_price', 'updated_at']);
    expect(c.columns.title?.value).toBe('Mug');
    expect(c.columns.unit_price).toMatchObject({ value: 1250 });
    expect(c.columns.unit_price?.expr?.source).toBe('value / 100.0');
    expect(c.columns.updated_at).toMatchObject({ value: null, computed: true });
    expect(c.unchanged).toEqual([]);
  });

  it('lists unchanged-TOAST columns of an update and refuses them in an insert', () => {
    const u = mapEvent(ev('u', { ...full, description: UNAVAILABLE }), m);
    expect(u?.kind === 'upsert' && u.unchanged).toEqual(['summary']);
    expect(u?.kind === 'upsert' && 'summary' in u.columns).toBe(false);
    expect(() => mapEvent(ev('c', { ...full, description: UNAVAILABLE }), m)).toThrow(expect.objectContaining({ code: 'CDC_MAP_UNAVAILABLE_ON_INSERT' }));
    expect(() => mapEvent(ev('r', { ...full, description: UNAVAILABLE }), m)).toThrow(expect.objectContaining({ code: 'CDC_MAP_UNAVAILABLE_ON_INSERT' }));
  });

  it('maps a delete to the target key, from the key when before is null', () => {
    expect(mapEvent(ev('d', null, null), m)).toMatchObject({ kind: 'delete', table: 'catalog_items', key: ['item_id'], keyValues: { item_id: 7 } });
    expect(mapEvent(ev('d', null, { id: 7, sku: 'TEST' }), m)).toMatchObject({ kind: 'delete', keyValues: { item_id: 7 } });
  });

  it('skips filtered inserts and deletes rows that leave the filter', () => {
    expect(mapEvent(ev('c', { ...full, sku: 'TEST' }), m)).toBeNull();
    expect(mapEvent(ev('u', { ...full, sku: 'TEST' }, full), m)).toMatchObject({ kind: 'delete', keyValues: { item_id: 7 } });
  });

  it('applies truncates only when the mapping says so; ignores messages', () => {
    expect(mapEvent(ev('t', null, null, null), m)).toBeNull();
    expect(mapEvent(ev('t', null, null, null), compileTableMapping({ ...products, truncate: true }))).toMatchObject({
      kind: 'truncate',
      table: 'catalog_items',
    });
    expect(mapEvent(ev('m', null, null, null), m)).toBeNull();
  });

  it('coerces where the mapping says and dead-letters what does not convert', () => {
    const mm = compileTableMapping({
      from: 't',
      columns: { n: { type: 'integer' }, b: { type: 'boolean' }, at: { type: 'timestamptz' }, j: { type: 'jsonb' } },
      unmapped: 'keep',
      computed: {},
      truncate: false,
    });
    const c = mapEvent(ev('c', { id: 1, n: '42', b: 't', at: 0, j: '{"a":1}' }, null, { id: 1 }), mm);
    expect(c?.kind === 'upsert' && Object.fromEntries(Object.entries(c.columns).map(([k, v]) => [k, v.value]))).toEqual({
      id: 1,
      n: '42',
      b: true,
      at: '1970-01-01T00:00:00.000Z',
      j: { a: 1 },
    });
    expect(() => mapEvent(ev('c', { id: 1, n: 'x' }, null, { id: 1 }), mm)).toThrow(expect.objectContaining({ code: 'CDC_MAP_COERCE' }));
  });

  it('takes the key from the event when the mapping names none, and needs one', () => {
    const mm = compileTableMapping({ from: 'products', columns: { id: 'pid' }, unmapped: 'keep', computed: {}, truncate: false });
    expect(mapEvent(ev('c', full), mm)).toMatchObject({ key: ['pid'] });
    expect(() => mapEvent(ev('c', full, null, null), mm)).toThrow(expect.objectContaining({ code: 'CDC_MAP_BAD_EVENT' }));
    expect(() => mapEvent(ev('u', null), mm)).toThrow(expect.objectContaining({ code: 'CDC_MAP_BAD_EVENT' }));
  });

  it('sources a named key column from the last mapped column, else from a kept column of that name the event carries', () => {
    const base = { from: 'products', unmapped: 'keep' as const, computed: {}, truncate: false };
    const renamed = compileTableMapping({ ...base, columns: { id: 'pid', legacy_id: 'pid' }, key: ['pid'] });
    expect(mapEvent(ev('d', null, { id: 7, legacy_id: 9 }, null), renamed)).toMatchObject({ key: ['pid'], keyValues: { pid: 9 } });
    const byName = compileTableMapping({ ...base, columns: {}, key: ['sku'] });
    expect(mapEvent(ev('c', full), byName)).toMatchObject({ key: ['sku'] });
    expect(mapEvent(ev('d', null, { sku: 'A-1' }, { id: 7 }), byName)).toMatchObject({ key: ['sku'], keyValues: { sku: 'A-1' } });
    expect(() => mapEvent(ev('d', null, null, { id: 7 }), byName)).toThrow(expect.objectContaining({ code: 'CDC_MAP_MISSING_KEY' }));
    const dropped = compileTableMapping({ ...base, columns: { sku: null }, key: ['sku'] });
    expect(() => mapEvent(ev('c', full), dropped)).toThrow(expect.objectContaining({ code: 'CDC_MAP_MISSING_KEY' }));
    const movedAway = compileTableMapping({ ...base, columns: { sku: 'code' }, key: ['sku'] });
    expect(() => mapEvent(ev('c', full), movedAway)).toThrow(expect.objectContaining({ code: 'CDC_MAP_MISSING_KEY' }));
    const onlyMapped = compileTableMapping({ ...base, unmapped: 'drop', columns: { name: 'title' }, key: ['sku'] });
    expect(() => mapEvent(ev('c', full), onlyMapped)).toThrow(expect.objectContaining({ code: 'CDC_MAP_MISSING_KEY' }));
  });

  it('takes delete key values from the event key before the old row, and the same key list for every event', () => {
    const mm = compileTableMapping({ from: 'products', columns: { id: 'pid' }, unmapped: 'keep', computed: {}, truncate: false });
    expect(mapEvent(ev('d', null, { id: 8, sku: 'x' }, { id: 7 }), mm)).toMatchObject({ keyValues: { pid: 7 } });
    expect(mapEvent(ev('d', null, { id: 8, sku: 'y' }, { sku: 'x' }), mm)).toMatchObject({ key: ['sku'], keyValues: { sku: 'x' } });
    expect(() => mapEvent(ev('d', null, { id: 8 }, { id: null }), mm)).toThrow(expect.objectContaining({ code: 'CDC_MAP_MISSING_KEY' }));
    const a = mapEvent(ev('c', full), mm);
    const b = mapEvent(ev('u', { ...full, id: 8 }, null, { id: 8 }), mm);
    expect(a?.kind === 'upsert' && b?.kind === 'upsert' && a.key === b.key).toBe(true);
    const composite = mapEvent(ev('c', full, null, { id: 7, sku: 'A-1' }), mm);
    expect(composite).toMatchObject({ key: ['pid', 'sku'] });
  });

  it('finds the mapping by schema.table, then by table', () => {
    const any = compileTableMapping({ from: 'products', to: 'other', columns: {}, unmapped: 'keep', computed: {}, truncate: false });
    expect(findMapping([any, m], { schema: 'public', table: 'products' })).toBe(m);
    expect(findMapping([any, m], { schema: 'sales', table: 'products' })).toBe(any);
    expect(findMapping([m], { schema: 'public', table: 'orders' })).toBeUndefined();
  });
});
