/**
 * The demo mapping (samples/ficus.cdc.yaml): the legacy shop's products and categories applied
 * onto the catalog service's own schema (samples/catalog-service/db/schema.ts) in a real
 * Postgres — renames, the price expression (cents → numeric), the computed updated_at, FK
 * order, TOAST placeholders — plus the errors a schema mismatch gives.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, REPO_ROOT, type TestDatabase } from '../harness/index.js';
import { CATALOG_SCHEMA_SQL } from '../../samples/catalog-service/db/schema.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import { UNAVAILABLE, type ChangeEvent, type Op, type Row } from '../../cdc/model.js';
import { compileTableMapping, findMapping, mapEvent } from '../../cdc/transform/map.js';
import type { TargetChange } from '../../cdc/transform/types.js';
import { openPostgresSink, type PostgresSink } from '../../cdc/sinks/postgres.js';

let db: TestDatabase;
let admin: pg.Pool;
let sink: PostgresSink;

beforeAll(async () => {
  db = await createTestDatabase('cdc_catalog');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
  await admin.query(CATALOG_SCHEMA_SQL);
  sink = await openPostgresSink({ url: db.url });
});
afterAll(async () => {
  await sink?.close();
  await admin?.end();
  await db?.drop();
});

const config = () =>
  parseCdcConfig(readFileSync(`${REPO_ROOT}/samples/ficus.cdc.yaml`, 'utf8'), 'samples/ficus.cdc.yaml', { SERVICE_DATABASE_URL: 'postgres://unused/x' });

let offset = 100;
function event(table: string, op: Op, after: Row | null, before: Row | null = null): ChangeEvent {
  const id = (after ?? before)?.id ?? null;
  return {
    op,
    db: 'shop',
    schema: 'public',
    table,
    key: { id },
    before,
    after,
    tsMs: Date.now(),
    snapshot: false,
    transaction: null,
    position: { kind: 'kafka', topic: `shop.public.${table}`, partition: 0, offset: String(offset++) },
  };
}
const product = (id: number, extra: Partial<Record<string, Row[string]>> = {}): Row => ({
  id,
  sku: `SKU-${id}`,
  name: `Product ${id}`,
  description: 'desc',
  price_cents: 1999,
  category_id: 1,
  active: true,
  created_at: '2024-01-02T03:04:05.000Z',
  updated_at: '2024-01-02T03:04:05.000Z',
  ...extra,
});

describe('the demo mapping products → catalog_items', () => {
  const mappings = config().tables.map((t, i) => compileTableMapping(t, `tables[${i}]`));
  const mapAll = (events: ChangeEvent[]): TargetChange[] =>
    events.flatMap((e) => {
      const m = findMapping(mappings, e);
      const c = m ? mapEvent(e, m) : null;
      return c ? [c] : [];
    });

  it('applies categories and products onto the service schema', async () => {
    const events = [
      event('categories', 'r', { id: 1, name: 'Kitchen', slug: 'kitchen', parent_id: null, created_at: '2024-01-01T00:00:00Z' }),
      event('products', 'r', product(1)),
      event('products', 'c', product(2, { price_cents: 5, description: null })),
    ];
    await sink.apply({ changes: mapAll(events), positions: events.map((e) => e.position) });
    const r = await admin.query('SELECT item_id, sku, title, summary, unit_price::text, is_active, category_id FROM catalog_items ORDER BY item_id');
    expect(r.rows).toEqual([
      { item_id: 1, sku: 'SKU-1', title: 'Product 1', summary: 'desc', unit_price: '19.99', is_active: true, category_id: 1 },
      { item_id: 2, sku: 'SKU-2', title: 'Product 2', summary: null, unit_price: '0.05', is_active: true, category_id: 1 },
    ]);
    const cat = await admin.query('SELECT category_id, label, slug FROM catalog_categories');
    expect(cat.rows).toEqual([{ category_id: 1, label: 'Kitchen', slug: 'kitchen' }]);
  });

  it('sets the computed updated_at on update and keeps a TOASTed summary', async () => {
    const before = await admin.query<{ updated_at: Date }>('SELECT updated_at FROM catalog_items WHERE item_id = 1');
    const events = [event('products', 'u', product(1, { name: 'Renamed', description: UNAVAILABLE, price_cents: 2500 }))];
    await sink.apply({ changes: mapAll(events), positions: events.map((e) => e.position) });
    const r = await admin.query<{ title: string; summary: string; unit_price: string; updated_at: Date }>(
      'SELECT title, summary, unit_price::text, updated_at FROM catalog_items WHERE item_id = 1',
    );
    expect(r.rows[0]).toMatchObject({ title: 'Renamed', summary: 'desc', unit_price: '25.00' });
    expect(r.rows[0]?.updated_at.getTime()).toBeGreaterThanOrEqual(before.rows[0]?.updated_at.getTime() ?? 0);
    const stored = await sink.lastPositions();
    expect(stored.get('kafka:shop.public.products:0')).toMatchObject({ offset: String(offset) });
  });

  it('dead-letters a check violation (negative price) and applies the rest', async () => {
    const events = [event('products', 'c', product(3, { price_cents: -1 })), event('products', 'c', product(4))];
    const result = await sink.apply({ changes: mapAll(events), positions: events.map((e) => e.position) });
    expect(result).toMatchObject({ applied: 1, deadLettered: 1, fellBack: true });
    const dl = await admin.query<{ code: string; target_table: string; source_table: string }>(
      'SELECT code, target_table, source_table FROM ficus_dead_letters',
    );
    expect(dl.rows).toEqual([{ code: 'CDC_SINK_DATA:23514', target_table: 'catalog_items', source_table: 'public.products' }]);
    const ids = await admin.query('SELECT item_id FROM catalog_items ORDER BY item_id');
    expect(ids.rows.map((r) => r.item_id)).toEqual([1, 2, 4]);
  });
});

describe('schema mismatches stop with a clear, non-retriable error', () => {
  it('names a column the target does not have', async () => {
    const m = compileTableMapping({
      from: 'products',
      to: 'catalog_items',
      key: ['item_id'],
      columns: { id: 'item_id' },
      unmapped: 'keep',
      computed: {},
      truncate: false,
    });
    const change = mapEvent(event('products', 'c', product(9, { legacy_flag: true })), m);
    await expect(sink.apply({ changes: change ? [change] : [], positions: [] })).rejects.toMatchObject({ code: 'CDC_SINK_SCHEMA', retriable: false });
  });

  it('names a target table that does not exist', async () => {
    const m = compileTableMapping({ from: 'products', to: 'no_such_table', columns: {}, unmapped: 'keep', computed: {}, truncate: false });
    const change = mapEvent(event('products', 'c', { id: 1 }), m);
    await expect(sink.apply({ changes: change ? [change] : [], positions: [] })).rejects.toMatchObject({ code: 'CDC_SINK_SCHEMA', retriable: false });
  });

  it('reports a lost server as retriable', async () => {
    const dead = await openPostgresSink({ url: db.url });
    await dead.close();
    await expect(dead.apply({ changes: [], positions: [] })).rejects.toMatchObject({ code: 'CDC_SINK_CLOSED' });
    const unreachable = openPostgresSink({ url: 'postgres://postgres@127.0.0.1:1/none' });
    await expect(unreachable).rejects.toMatchObject({ code: 'CDC_SINK_RETRIABLE', retriable: true });
  });
});
