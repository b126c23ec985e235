/**
 * The Postgres DiffStore against the machine's real Postgres (test/harness): the shared
 * contract (records and comparison tallies), then what only this store promises — one row per
 * id, shared tables across instances (tallies summed), the schema it creates, and redacted,
 * retriable connection errors.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import { createDiffWriter, createPostgresStore, openDiffStore } from '../../gateway/store/index.js';
import { awkwardRecord, sampleRecord, sampleRecords } from '../../gateway/store/sample-records.js';
import { diffStoreContract, tallyStoreContract } from '../../gateway/store/store.case.js';
import { createTestDatabase, uniqueName, type TestDatabase } from '../harness/index.js';

let db: TestDatabase;
let admin: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase('diffstore');
  admin = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  await admin?.end();
  await db?.drop();
});

diffStoreContract('postgres', async () => {
  const table = uniqueName('diffs');
  const open = () => createPostgresStore({ url: db.url, table });
  return { store: await open(), reopen: open, cleanup: async () => void (await admin.query(`DROP TABLE IF EXISTS "${table}"`)) };
});

diffStoreContract('postgres (injected pool)', async () => {
  const table = uniqueName('diffs');
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  const open = () => createPostgresStore({ pool, table });
  return {
    store: await open(),
    reopen: open,
    cleanup: async () => {
      await admin.query(`DROP TABLE IF EXISTS "${table}"`);
      await pool.end();
    },
  };
});

tallyStoreContract('postgres', async () => {
  const table = uniqueName('diffs');
  const open = () => createPostgresStore({ url: db.url, table });
  return { store: await open(), reopen: open, cleanup: async () => void (await admin.query(`DROP TABLE IF EXISTS "${table}", "${table}_tallies"`)) };
});

async function rejection(p: Promise<unknown>): Promise<FicusError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FicusError) return err;
    throw err;
  }
  throw new Error('expected a FicusError');
}

describe('Postgres diff store', () => {
  it('creates the table with a C-collated id key and a (route, id) index', async () => {
    const table = uniqueName('diffs');
    const store = await createPostgresStore({ url: db.url, table });
    const cols = await admin.query<{ column_name: string; data_type: string; collation_name: string | null }>(
      'SELECT column_name, data_type, collation_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
      [table],
    );
    expect(cols.rows.map((c) => [c.column_name, c.data_type])).toEqual([
      ['id', 'text'],
      ['at', 'timestamp with time zone'],
      ['route', 'text'],
      ['noise', 'boolean'],
      ['record', 'jsonb'],
    ]);
    expect(cols.rows[0]?.collation_name).toBe('C');
    const idx = await admin.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE tablename = $1', [table]);
    expect(idx.rows.map((r) => r.indexdef).join('\n')).toMatch(/\(route, id\)/);
    await store.close();
  });

  it('keeps one row per id however often a batch is retried', async () => {
    const table = uniqueName('diffs');
    const store = await createPostgresStore({ url: db.url, table });
    const records = sampleRecords(250);
    await store.write(records);
    await store.write(records);
    await store.write(records.slice(100, 120).concat(records.slice(100, 120)));
    const { rows } = await admin.query<{ n: string; ids: string }>(`SELECT count(*) AS n, count(DISTINCT id) AS ids FROM "${table}"`);
    expect(rows[0]).toEqual({ n: '250', ids: '250' });
    await store.close();
  });

  it('stores query columns beside the record, and jsonb-unsafe strings wrapped', async () => {
    const table = uniqueName('diffs');
    const store = await createPostgresStore({ url: db.url, table });
    await store.write([sampleRecord(1, { route: 'orders', noise: true }), awkwardRecord(2)]);
    const { rows } = await admin.query<{ id: string; at: Date; route: string; noise: boolean; wrapped: boolean }>(
      `SELECT id, at, route, noise, record ? 'ficus:json' AS wrapped FROM "${table}" ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({ id: sampleRecord(1).id, route: 'orders', noise: true, wrapped: false });
    expect(rows[0]?.at.toISOString()).toBe(sampleRecord(1).at);
    expect(rows[1]?.wrapped).toBe(true);
    await store.close();
  });

  it('is shared by several instances opening the same table at once', async () => {
    const table = uniqueName('diffs');
    const stores = await Promise.all(Array.from({ length: 4 }, () => createPostgresStore({ url: db.url, table })));
    await Promise.all(stores.map((s, k) => s.write(sampleRecords(25, { start: k * 25 }))));
    for (const s of stores) expect(await s.list({ limit: 1000 })).toHaveLength(100);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('recreates a table dropped under it on the next write after the failure', async () => {
    const table = uniqueName('diffs');
    const store = await createPostgresStore({ url: db.url, table });
    await admin.query(`DROP TABLE "${table}"`);
    const err = await rejection(store.write([sampleRecord(0)]));
    expect(err).toMatchObject({ code: 'GW_DIFF_STORE', retriable: true });
    await store.write([sampleRecord(0)]);
    expect(await store.list()).toEqual([sampleRecord(0)]);
    await store.close();
  });

  it('refuses a record Postgres cannot take as not retriable', async () => {
    const table = uniqueName('diffs');
    const store = await createPostgresStore({ url: db.url, table });
    const err = await rejection(store.write([{ ...sampleRecord(0), at: '275760-09-13T00:00:00.000Z' }]));
    expect(err).toMatchObject({ code: 'GW_DIFF_STORE', retriable: false });
    await store.close();
  });

  it('does not end an injected pool on close', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const store = await createPostgresStore({ pool, table: uniqueName('diffs') });
    await store.close();
    await expect(pool.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await pool.end();
  });

  it('turns an unreachable server into a retriable GW_DIFF_STORE error with the password redacted', async () => {
    const url = 'postgres://ficus:hunter2-secret@127.0.0.1:1/nowhere';
    const err = await rejection(createPostgresStore({ url }));
    expect(err).toMatchObject({ code: 'GW_DIFF_STORE', retriable: true });
    expect(err.message).not.toContain('hunter2-secret');
    expect(err.message).toContain('postgres://ficus:***@127.0.0.1:1/nowhere');
  });

  it('refuses a bad table name or a missing url at once', async () => {
    expect((await rejection(createPostgresStore({ url: db.url, table: 'Bad-Name' }))).code).toBe('GW_DIFF_STORE');
    expect((await rejection(createPostgresStore({}))).code).toBe('GW_DIFF_STORE');
    expect((await rejection(openDiffStore({ store: 'postgres', path: '', table: 'ficus_diffs' }))).details).toEqual({ field: 'diffs.url' });
  });

  it('keeps tallies in <table>_tallies keyed by (route, bucket), summed across instances writing at once', async () => {
    const table = uniqueName('diffs');
    const stores = await Promise.all(Array.from({ length: 3 }, () => createPostgresStore({ url: db.url, table })));
    const bucket = '2025-01-15T10:00:00.000Z';
    await Promise.all(
      stores.map((s) => Promise.all(Array.from({ length: 5 }, () => s.writeTallies?.([{ route: 'products', bucket, compared: 2, different: 1, noise: 0 }])))),
    );
    expect(await stores[0]?.listTallies?.()).toEqual([{ route: 'products', bucket, compared: 30, different: 15, noise: 0 }]);
    const pk = await admin.query<{ def: string }>(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`,
      [`"${table}_tallies"`],
    );
    expect(pk.rows.map((r) => r.def)).toEqual(['PRIMARY KEY (route, bucket)']);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('gives a 63-character table a tally table of its own', async () => {
    const table = `t${uniqueName('x').replace(/[^a-z0-9_]/g, '_')}`.padEnd(63, 'x').slice(0, 63);
    const store = await createPostgresStore({ url: db.url, table });
    await store.write([sampleRecord(0)]);
    await store.writeTallies?.([{ route: 'products', bucket: '2025-01-15T10:00:00.000Z', compared: 1, different: 1, noise: 0 }]);
    expect(await store.list()).toEqual([sampleRecord(0)]);
    expect(await store.listTallies?.()).toHaveLength(1);
    const { rows } = await admin.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE tablename LIKE $1 ORDER BY tablename`, [
      `${table.slice(0, 40)}%`,
    ]);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.tablename.length <= 63)).toBe(true);
    await store.close();
  });

  it('is opened from config and fed by the diff writer', async () => {
    const table = uniqueName('diffs');
    const store = await openDiffStore({ store: 'postgres', url: db.url, table, path: './unused' });
    const writer = createDiffWriter(store, { batch: 50, flushMs: 10 });
    for (const r of sampleRecords(120)) writer.offer(r);
    await writer.close();
    expect(writer.stats()).toEqual({ queued: 0, written: 120, dropped: 0, failedWrites: 0 });
    const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`);
    expect(rows[0]?.n).toBe('120');
  });
});
