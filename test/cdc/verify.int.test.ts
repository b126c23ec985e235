/**
 * `ficus cdc verify` on real Postgres: a source and a target database, the target filled
 * through the pipeline's own apply path (mapEvent + the Postgres sink) from the source rows,
 * with a mapping that renames, drops, computes, coerces (text → integer) and transforms
 * (price_cents → round(value / 100.0, 2)); a composite-key table behind a `where` filter; a
 * table whose filter reads `op` (refused). Then: equal → equal; corruptions found by key;
 * repair; a verify while writes are still being applied; the CLI's output and exit codes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compileTableMapping,
  mapEvent,
  openPostgresSink,
  parseCdcConfig,
  verifyCdc,
  type CdcConfig,
  type CdcValue,
  type ChangeEvent,
  type PostgresSink,
  type Row,
  type TableVerifyResult,
  type TargetChange,
  type VerifyProgress,
} from '../../cdc/index.js';
import { run } from '../../cli/run.js';
import type { CliIO } from '../../cli/io.js';
import { createTestDatabase, type TestDatabase } from '../harness/index.js';

const ITEMS = 20_000;
const CHUNK = 500;

let srcDb: TestDatabase;
let tgtDb: TestDatabase;
let src: pg.Pool;
let tgt: pg.Pool;
let sink: PostgresSink;
let config: CdcConfig;
let yaml: string;
const dir = mkdtempSync(join(tmpdir(), 'ficus-cdc-verify-'));

function configText(sourceUrl: string, targetUrl: string, recheckAfterMs = 0): string {
  return `
source: { postgres: { url: "${sourceUrl}" } }
sink: { postgres: { url: "${targetUrl}" } }
verify: { chunkRows: ${CHUNK}, recheckAfterMs: ${recheckAfterMs} }
tables:
  - from: public.items
    to: catalog_items
    columns:
      sku: code
      name: title
      price_cents: { to: price, expr: "round(value / 100.0, 2)" }
      qty: { type: integer }
      secret: null
    computed:
      synced_at: "now()"
  - from: stock
    where: "after.active = true and after.warehouse not in ('TEST')"
  - from: audit
    where: "op != 'd'"
`;
}

/** A row as a decoder gives it: Dates become ISO-8601 text, the rest as node-postgres parses it. */
function decoded(row: Record<string, unknown>): Row {
  const out: Record<string, CdcValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : (v as CdcValue);
  return out;
}

function snapshotEvent(table: string, key: readonly string[], row: Record<string, unknown>): ChangeEvent {
  const after = decoded(row);
  return {
    op: 'r',
    db: null,
    schema: 'public',
    table,
    key: Object.fromEntries(key.map((k) => [k, after[k] ?? null])),
    before: null,
    after,
    tsMs: Date.now(),
    snapshot: 'true',
    transaction: null,
    position: { kind: 'postgres', lsn: '0/0' },
  };
}

/** Applies source rows to the target the way the pipeline does: mapEvent, then the sink. */
async function applyRows(index: number, table: string, key: readonly string[], rows: readonly Record<string, unknown>[]): Promise<void> {
  const mapping = compileTableMapping(config.tables[index]!);
  const changes = rows.map((r) => mapEvent(snapshotEvent(table, key, r), mapping)).filter((c): c is TargetChange => c !== null);
  for (let i = 0; i < changes.length; i += 2000) await sink.apply({ changes: changes.slice(i, i + 2000), positions: [] });
}

async function syncAll(): Promise<void> {
  await applyRows(0, 'items', ['id'], (await src.query('SELECT * FROM items ORDER BY id')).rows);
  await applyRows(1, 'stock', ['warehouse', 'item_id'], (await src.query('SELECT * FROM stock')).rows);
}

const byTable = (r: { tables: readonly TableVerifyResult[] }, from: string): TableVerifyResult => {
  const t = r.tables.find((x) => x.from === from);
  if (!t) throw new Error(`no result for ${from}`);
  return t;
};

beforeAll(async () => {
  [srcDb, tgtDb] = await Promise.all([createTestDatabase('verify_src'), createTestDatabase('verify_tgt')]);
  src = new pg.Pool({ connectionString: srcDb.url, max: 3 });
  tgt = new pg.Pool({ connectionString: tgtDb.url, max: 3 });
  await src.query(`
    CREATE TABLE items (id integer PRIMARY KEY, sku text NOT NULL, name text, price_cents integer, qty text, secret text,
                        created_at timestamptz, attrs jsonb);
    INSERT INTO items
      SELECT i, 'SKU-' || i, CASE WHEN i % 11 = 0 THEN NULL ELSE 'Item ' || i END, (i * 7919) % 100000, (i % 40)::text, 'pw' || i,
             timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute 0.123 seconds',
             jsonb_build_object('size', i % 5, 'tags', jsonb_build_array('a', i % 3))
        FROM generate_series(1, ${ITEMS}) i;
    CREATE TABLE stock (warehouse text, item_id integer, on_hand integer, active boolean, PRIMARY KEY (warehouse, item_id));
    INSERT INTO stock SELECT w, i, (i * 13) % 97, (i % 3) <> 0 FROM unnest(ARRAY['berlin', 'lisbon', 'TEST']) w, generate_series(1, 700) i;
    CREATE TABLE audit (id integer PRIMARY KEY, note text);
    ANALYZE items; ANALYZE stock;`);
  await tgt.query(`
    CREATE TABLE catalog_items (id integer PRIMARY KEY, code text NOT NULL, title text, price numeric(12,2), qty integer,
                                created_at timestamptz, attrs jsonb, synced_at timestamptz, local_note text);
    CREATE TABLE stock (warehouse text, item_id integer, on_hand bigint, active boolean, PRIMARY KEY (warehouse, item_id));
    CREATE TABLE audit (id integer PRIMARY KEY, note text);`);
  yaml = configText(srcDb.url, tgtDb.url);
  config = parseCdcConfig(yaml);
  sink = await openPostgresSink({ url: tgtDb.url });
  await syncAll();
});

afterAll(async () => {
  await sink?.close();
  await src?.end();
  await tgt?.end();
  await Promise.all([srcDb?.drop(), tgtDb?.drop()]);
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Partial<CliIO> = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, interactive: false, cwd: dir, env: {} };
  const code = await run(['cdc', 'verify', ...args], { io });
  return { code, out, err };
}

describe('ficus cdc verify', () => {
  it('finds equal tables equal through renames, a drop, an expression, a coercion and a filter; computed and unmapped columns are not compared', async () => {
    const r = await verifyCdc({ config, tables: ['items', 'stock'] });
    expect(r.equal).toBe(true);
    const items = byTable(r, 'public.items');
    expect(items).toMatchObject({ to: 'public.catalog_items', status: 'equal', key: ['id'], rows: { source: ITEMS, target: ITEMS } });
    expect(items.compared).toEqual(['id', 'code', 'title', 'price', 'qty', 'created_at', 'attrs']);
    expect(items.notCompared.map((n) => n.column)).toEqual(['synced_at', 'local_note']);
    expect(items.chunks.total).toBeGreaterThanOrEqual(ITEMS / CHUNK / 2);
    expect(items.chunks.mismatched).toBe(0);
    expect(items.narrowing.rowsFetched).toBe(0);
    const stock = byTable(r, 'public.stock');
    expect(stock.status).toBe('equal');
    expect(stock.key).toEqual(['warehouse', 'item_id']);
    expect(stock.filter).toBeDefined();
    expect(stock.rows.source).toBe(stock.rows.target);
    expect(stock.rows.source).toBe((await tgt.query('SELECT count(*)::int AS n FROM stock')).rows[0].n);
  });

  it('refuses a table whose filter reads op, with CDC_VERIFY_FILTER, and does not call the run equal', async () => {
    const r = await verifyCdc({ config, tables: ['audit'] });
    expect(r.equal).toBe(false);
    expect(byTable(r, 'audit')).toMatchObject({ status: 'refused', problem: { code: 'CDC_VERIFY_FILTER' } });
  });

  it('ficus cdc verify prints the result as JSON and exits 0 when equal', async () => {
    writeFileSync(join(dir, 'ficus.cdc.yaml'), yaml);
    const r = await cli('--table', 'items,stock');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { kind: string; equal: boolean; tables: unknown[] };
    expect(json).toMatchObject({ kind: 'ficus.cdc.verify', equal: true });
    expect(json.tables).toHaveLength(2);
  });

  it('finds a missing, an extra and changed rows by key, including one value in one narrow chunk among many', async () => {
    await tgt.query(`
      DELETE FROM catalog_items WHERE id = 5;
      INSERT INTO catalog_items (id, code, title, price, qty) VALUES (50001, 'SKU-X', 'stray', 1, 1);
      UPDATE catalog_items SET title = 'renamed by hand' WHERE id = 78;
      UPDATE catalog_items SET price = price + 0.01 WHERE id = 12345;
      UPDATE catalog_items SET local_note = 'not compared', synced_at = now() WHERE id = 100;
      DELETE FROM stock WHERE warehouse = 'lisbon' AND item_id = 10;
      UPDATE stock SET on_hand = on_hand + 1 WHERE warehouse = 'berlin' AND item_id = 20;
      INSERT INTO stock VALUES ('berlin', 3, 1, false);`);
    const r = await verifyCdc({ config, tables: ['items', 'stock'] });
    expect(r.equal).toBe(false);
    const items = byTable(r, 'public.items');
    expect(items.status).toBe('different');
    expect(items.mismatches.missing).toEqual([{ id: '5' }]);
    expect(items.mismatches.extra).toEqual([{ id: '50001' }]);
    const different = [...items.mismatches.different].sort((a, b) => Number(a.key.id) - Number(b.key.id));
    expect(different.map((d) => d.key)).toEqual([{ id: '78' }, { id: '12345' }]);
    expect(different[0]?.columns).toEqual([{ column: 'title', source: 'Item 78', target: 'renamed by hand' }]);
    const price = ((12345 * 7919) % 100000) / 100;
    expect(different[1]?.columns).toEqual([{ column: 'price', source: price.toFixed(2), target: (price + 0.01).toFixed(2) }]);
    // Narrowed to rows, not fetched whole: only the mismatched chunks (and their extra-row neighbour) are read.
    expect(items.chunks.mismatched).toBeLessThanOrEqual(4);
    expect(items.narrowing.rowsFetched).toBeLessThan(8 * CHUNK);
    const stock = byTable(r, 'public.stock');
    expect(stock.mismatches.missing).toEqual([{ warehouse: 'lisbon', item_id: '10' }]);
    expect(stock.mismatches.extra).toEqual([{ warehouse: 'berlin', item_id: '3' }]);
    expect(stock.mismatches.different).toEqual([{ key: { warehouse: 'berlin', item_id: '20' }, columns: [{ column: 'on_hand', source: '66', target: '67' }] }]);
  });

  it('ficus cdc verify exits 1 when tables differ and writes the HTML and Markdown reports', async () => {
    const r = await cli('--table', 'items', '--out', 'result.json', '--report', 'report');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    const json = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as { equal: boolean };
    expect(json.equal).toBe(false);
    const md = readFileSync(join(dir, 'report', 'verify.md'), 'utf8');
    expect(md).toContain('`id=5`');
    expect(md).toContain('| id=12345 | price |');
    const html = readFileSync(join(dir, 'report', 'verify.html'), 'utf8');
    expect(html).toContain('data-equal="false"');
    expect(html).not.toMatch(/<script|<link/);
    expect(r.err).toMatch(/public\.items → public\.catalog_items: different: 1 missing, 1 extra, 2 different/);
  });

  it('ficus cdc verify exits 2 for a config without a Postgres source and for an unknown --table', async () => {
    writeFileSync(
      join(dir, 'kafka.cdc.yaml'),
      `source: { kafka: { brokers: ['127.0.0.1:9092'], topics: [a], groupId: g } }\nsink: { postgres: { url: "${tgtDb.url}" } }\ntables: [{ from: items }]\n`,
    );
    const noSource = await cli('--config', 'kafka.cdc.yaml');
    expect(noSource.code).toBe(2);
    expect(noSource.err).toContain('[CDC_VERIFY_CONFIG]');
    const unknown = await cli('--table', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('[CDC_VERIFY_TABLE]');
  });

  it('--repair re-applies the source rows and deletes extra ones through the mapping; a second verify is equal', async () => {
    const r = await verifyCdc({ config, tables: ['items', 'stock'], repair: true });
    expect(r.equal).toBe(false);
    expect(byTable(r, 'public.items').repair).toEqual({ upserted: 3, deleted: 1, deadLettered: 0 });
    expect(byTable(r, 'public.stock').repair).toEqual({ upserted: 2, deleted: 1, deadLettered: 0 });
    const row = (await tgt.query('SELECT code, title, price::text, qty, synced_at IS NOT NULL AS synced FROM catalog_items WHERE id = 5')).rows[0];
    expect(row).toEqual({ code: 'SKU-5', title: 'Item 5', price: (((5 * 7919) % 100000) / 100).toFixed(2), qty: 5, synced: true });
    const again = await verifyCdc({ config, tables: ['items', 'stock'] });
    expect(again.equal).toBe(true);
    expect(byTable(again, 'public.items').rows).toEqual({ source: ITEMS, target: ITEMS });
  });

  it('while writes are still being applied (a lagging pipeline), reports no false mismatch after the recheck', async () => {
    const lagMs = 400;
    let stop = false;
    const pending: Promise<void>[] = [];
    const writer = (async () => {
      for (let n = 0; !stop; n++) {
        const id = 1 + ((n * 37) % ITEMS);
        const r = await src.query('UPDATE items SET name = $2, price_cents = price_cents + 1 WHERE id = $1 RETURNING *', [id, `live ${n}`]);
        const rows = r.rows as Record<string, unknown>[];
        pending.push(new Promise<void>((done) => setTimeout(() => void applyRows(0, 'items', ['id'], rows).then(done, done), lagMs)));
        await new Promise((w) => setTimeout(w, 10));
      }
    })();
    await new Promise((w) => setTimeout(w, 3 * lagMs));
    const events: VerifyProgress[] = [];
    let r;
    try {
      r = await verifyCdc({ config, tables: ['items'], recheckAfterMs: 3 * lagMs, onProgress: (p) => events.push(p) });
    } finally {
      stop = true;
      await writer;
      await Promise.all(pending);
    }
    const items = byTable(r, 'public.items');
    expect(items.mismatches).toEqual({ missing: [], extra: [], different: [], truncated: false });
    expect(items.status).toBe('equal');
    // The first pass did see rows the "pipeline" had not applied yet; the recheck found them applied.
    expect(items.recheck.rounds).toBeGreaterThanOrEqual(1);
    expect(items.recheck.resolved).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'recheck')).toBe(true);
    expect((await verifyCdc({ config, tables: ['items'] })).equal).toBe(true);
  });
});
