/**
 * The built-in Postgres source's values and row images, with real parts (source database →
 * pipeline → Postgres sink): an unchanged TOASTed column is kept (REPLICA IDENTITY DEFAULT and
 * FULL); values of many types round-trip through the snapshot and the stream; a key-changing
 * update becomes a delete and a create; truncates apply; a replication origin in skipOrigins
 * is not captured; missing and key-less tables are refused; `ficus cdc slot list|drop`.
 */
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../harness/index.js';
import type { CliIO } from '../../cli/io.js';
import { run as runCli } from '../../cli/run.js';
import { configFor, ctx, deadLetters, ITEMS, newSlot, sleep, start, untilEqual, usePgSourceDatabases } from './pg-source.fixture.js';

usePgSourceDatabases('pgvals');

describe('values and row images', () => {
  it('keeps an unchanged TOASTed column, with REPLICA IDENTITY DEFAULT and FULL', async () => {
    for (const [table, identity] of [
      ['docs_default', 'DEFAULT'],
      ['docs_full', 'FULL'],
    ] as const) {
      const ddl = `CREATE TABLE ${table} (id integer PRIMARY KEY, n integer NOT NULL, body text)`;
      await ctx.src.query(ddl);
      await ctx.src.query(`ALTER TABLE ${table} ALTER COLUMN body SET STORAGE EXTERNAL, REPLICA IDENTITY ${identity}`);
      await ctx.dst.query(ddl);
      // ~20 kB of text that is stored out of line, uncompressed.
      await ctx.src.query(
        `INSERT INTO ${table} SELECT g, 0, (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 600) i) FROM generate_series(1, 3) g`,
      );
    }
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.docs_default\n  - from: public.docs_full\n', slot }));
    try {
      for (const table of ['docs_default', 'docs_full']) {
        await untilEqual(table);
        await ctx.src.query(`INSERT INTO ${table} SELECT 10, 0, (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 700) i)`);
        await ctx.src.query(`UPDATE ${table} SET n = n + 1`);
        await untilEqual(table);
      }
      expect(await deadLetters()).toBe(0);
      const lengths = await ctx.dst.query<{ n: number }>('SELECT length(body) AS n FROM docs_default ORDER BY id');
      expect(lengths.rows.map((x) => x.n).every((n) => n > 10_000)).toBe(true);
    } finally {
      await r.stop();
    }
  });

  it('round-trips values of many types through the snapshot and the stream', async () => {
    const ddl = (t: string) => `CREATE TABLE ${t} (
      id integer PRIMARY KEY, i2 smallint, i8 bigint, num numeric(20,4), f8 float8, f4 real, b boolean, t text, vc varchar(20), ch char(3),
      d date, tm time, tmz timetz, ts timestamp, tsz timestamptz, iv interval, j json, jb jsonb, by bytea, u uuid,
      ta text[], ia integer[], na numeric[], m money, ip inet, mood mood, price positive, da date[])`;
    for (const pool of [ctx.src, ctx.dst]) {
      await pool.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
      await pool.query('CREATE DOMAIN positive AS numeric(10,2) CHECK (VALUE > 0)');
    }
    await ctx.src.query(ddl('typed'));
    await ctx.dst.query(ddl('typed'));
    const insert = (id: number) =>
      ctx.src.query(
        `INSERT INTO typed VALUES ($1, -32768, 9007199254740993, -12345678.5, 1.5e300, 'NaN', true, 'ünïcødé "q" \\ back', 'v', 'ab',
          '2024-02-29', '23:59:59.999999', '10:15:30.5+00', '1969-12-31 23:59:59.000001', '2024-05-01 10:15:30.123456+02', '1 year 2 mons 3 days 04:05:06.5',
          '{"a": [1, 2.50, 12345678901234567890], "b": null}', '{"z": {"k": "v"}, "n": 1.0}', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          ARRAY['x', 'with space', 'com,ma', NULL, 'quo"te'], '{1,2,3}', '{1.10,-2}', '1234.56', '192.168.0.1/24', 'happy', 12.5, '{2024-01-01,infinity}')`,
        [id],
      );
    await insert(1);
    await ctx.src.query(`INSERT INTO typed (id, ts, tsz, d, f8, f4) VALUES (2, 'infinity', '-infinity', '-infinity', 'Infinity', '-Infinity')`);
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.typed\n', slot }));
    try {
      await untilEqual('typed');
      await insert(3);
      await ctx.src.query(`UPDATE typed SET num = 0.0001, ia = '{{1,2},{3,4}}', jb = '[]', t = NULL WHERE id = 1`);
      await untilEqual('typed');
      expect(await deadLetters()).toBe(0);
    } finally {
      await r.stop();
    }
  });

  it('turns a key change into a delete and a create, applies truncates, skips a replication origin', async () => {
    await ctx.src.query(ITEMS('moves'));
    await ctx.dst.query(ITEMS('moves'));
    await ctx.src.query(`INSERT INTO moves SELECT g, 0, 'seed', 1 FROM generate_series(1, 5) g`);
    const origin = uniqueName('ficus_origin');
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.moves\n    truncate: true\n', slot, extra: `    skipOrigins: [${origin}]\n` }));
    const c = await ctx.src.connect();
    try {
      await untilEqual('moves');
      await ctx.src.query('UPDATE moves SET id = 100 WHERE id = 1');
      await untilEqual('moves');
      // A change written under the skipped origin (as a reverse-sync sink would) is not captured.
      await c.query('SELECT pg_replication_origin_create($1)', [origin]);
      await c.query('SELECT pg_replication_origin_session_setup($1)', [origin]);
      await c.query(`INSERT INTO moves VALUES (200, 0, 'from the service', 1)`);
      await c.query('SELECT pg_replication_origin_session_reset()');
      await ctx.src.query(`INSERT INTO moves VALUES (300, 0, 'after', 1)`);
      const end = Date.now() + 10_000;
      while (!(await ctx.dst.query('SELECT 1 FROM moves WHERE id = 300')).rowCount && Date.now() < end) await sleep(50);
      expect((await ctx.dst.query('SELECT id FROM moves WHERE id >= 200 ORDER BY id')).rows).toEqual([{ id: 300 }]);
      await ctx.src.query('DELETE FROM moves WHERE id = 200');
      await ctx.src.query('TRUNCATE moves');
      await ctx.src.query(`INSERT INTO moves VALUES (7, 0, 'after truncate', 1)`);
      await untilEqual('moves');
    } finally {
      await c.query('SELECT pg_replication_origin_session_reset()').catch(() => undefined);
      await c.query('SELECT pg_replication_origin_drop($1)', [origin]).catch(() => undefined);
      c.release();
      await r.stop();
    }
  });
});

describe('refusals', () => {
  it('refuses a missing table and a table without key or replica identity', async () => {
    await ctx.src.query('CREATE TABLE nokey (a integer, b text)');
    for (const table of ['public.nowhere', 'public.nokey']) {
      const slot = newSlot();
      const config = configFor({ tables: `  - from: ${table}\n`, slot });
      await expect(start(config)).rejects.toMatchObject({ code: 'CDC_PG_TABLE' });
    }
    expect((await ctx.src.query(`SELECT 1 FROM pg_publication_tables WHERE tablename = 'nokey'`)).rowCount).toBe(0);
  });
});

describe('ficus cdc slot', () => {
  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: Partial<CliIO> = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, interactive: false };
    const code = await runCli(['cdc', 'slot', ...args], { io });
    return { code, out, err };
  }

  it('lists slots with the WAL they hold, warns about idle ones, drops them', async () => {
    await ctx.src.query(ITEMS('slotted'));
    await ctx.dst.query(ITEMS('slotted'));
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.slotted\n', slot }));
    try {
      // Active: listed without a warning, and not dropped without --force.
      const active = await cli('list', '--url', ctx.source.url);
      expect(active.code).toBe(0);
      expect(active.out).toContain(slot);
      expect(active.err).not.toContain(slot);
      const refused = await cli('drop', slot, '--url', ctx.source.url);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('[CDC_PG_SLOT]');
    } finally {
      await r.stop();
    }
    const idle = await cli('list', '--url', ctx.source.url, '--json');
    const listed = (JSON.parse(idle.out) as { name: string; active: boolean; retainedBytes: number }[]).find((s) => s.name === slot);
    expect(listed).toMatchObject({ active: false });
    expect(typeof listed?.retainedBytes).toBe('number');
    expect(idle.err).toContain(`slot ${slot} is inactive`);
    expect((await cli('drop', slot, '--url', ctx.source.url)).code).toBe(0);
    expect((await cli('list', '--url', ctx.source.url)).out).not.toContain(slot);
    expect((await cli('drop', slot, '--url', ctx.source.url)).code).toBe(1);
    expect((await cli('list', '--url', 'mysql://nope')).code).toBe(2);
  });
});
