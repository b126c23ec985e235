/**
 * The built-in Postgres source end to end with real parts: a source database with tables, the
 * pipeline, and the Postgres sink into a second database. Checks that snapshot + streaming
 * under concurrent inserts, updates and deletes ends equal to the source; that the slot is told
 * only what the sink committed; that a restart (inside a big transaction) and a replication
 * connection killed from the server side neither lose nor repeat a change (a trigger in the
 * target logs every applied row version under a unique key); and that a restart in the middle
 * of the snapshot resumes after the last committed key and converges. Every slot a test
 * creates is dropped after it.
 */
import { describe, expect, it } from 'vitest';
import { configFor, ctx, deadLetters, ITEMS, newSlot, sleep, start, untilEqual, usePgSourceDatabases, writer } from './pg-source.fixture.js';

usePgSourceDatabases('pgsrc');

describe('the Postgres source', () => {
  it('snapshot + streaming under concurrent writes ends equal to the source', async () => {
    await ctx.src.query(ITEMS('items'));
    await ctx.dst.query(ITEMS('items'));
    await ctx.src.query(`INSERT INTO items SELECT g, 0, 'seed ' || g, g * 1.25 FROM generate_series(1, 3000) g`);
    const w = writer('items', 3001, 7);
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.items\n', slot }));
    try {
      const end = Date.now() + 30_000;
      while (
        !(await ctx.dst.query(`SELECT 1 FROM ficus_offsets WHERE stream LIKE '%snapshot%' AND (position->'snapshot'->>'done')::boolean`)).rowCount &&
        Date.now() < end
      ) {
        await sleep(50);
      }
      await sleep(1000);
      await w.stop();
      expect(w.ops).toBeGreaterThan(20);
      await untilEqual('items');
      expect(await deadLetters()).toBe(0);
      // The snapshot reported progress up to the table's row count.
      const last = r.progress.at(-1);
      expect(last).toMatchObject({ table: 'public.items', tableIndex: 0, tables: 1 });
      expect(last?.rows).toBeGreaterThanOrEqual(3000);
    } finally {
      await w.stop();
      await r.stop();
    }
  });
});

describe('positions and acknowledgement', () => {
  it('tells the slot only what the sink committed', async () => {
    await ctx.src.query(ITEMS('gated'));
    await ctx.dst.query(ITEMS('gated'));
    const slot = newSlot();
    let open = true;
    let release: () => void = () => undefined;
    const r = await start(configFor({ tables: '  - from: public.gated\n', slot }), {
      beforeCommit: async () => {
        if (!open) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    try {
      await ctx.src.query(`INSERT INTO gated VALUES (1, 1, 'first', 1)`);
      await untilEqual('gated');
      open = false;
      const before = (await ctx.src.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      await ctx.src.query(`INSERT INTO gated SELECT g, 1, 'held', 2 FROM generate_series(2, 50) g`);
      await sleep(1200); // several status intervals
      const held = await ctx.src.query<{ ok: boolean }>('SELECT confirmed_flush_lsn <= $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1', [
        slot,
        before,
      ]);
      expect(held.rows[0]?.ok).toBe(true);
      expect((await ctx.dst.query('SELECT 1 FROM gated')).rowCount).toBe(1);
      open = true;
      release();
      await untilEqual('gated');
      const end = Date.now() + 10_000;
      let moved = false;
      while (!moved && Date.now() < end) {
        const q = await ctx.src.query<{ ok: boolean }>('SELECT confirmed_flush_lsn > $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1', [
          slot,
          before,
        ]);
        moved = q.rows[0]?.ok === true;
        if (!moved) await sleep(100);
      }
      expect(moved).toBe(true);
    } finally {
      open = true;
      release();
      await r.stop();
    }
  });

  it('a restart and a replication connection killed by the server neither lose nor repeat a change', async () => {
    const ddl = 'CREATE TABLE ledger (id integer PRIMARY KEY, version integer NOT NULL, note text)';
    await ctx.src.query(ddl);
    await ctx.dst.query(ddl);
    // Every row version the sink writes is logged under a unique key: applying one twice is a data error, hence a dead letter.
    await ctx.dst.query('CREATE TABLE ledger_log (id integer, version integer, PRIMARY KEY (id, version))');
    await ctx.dst.query(
      `CREATE FUNCTION log_ledger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ledger_log VALUES (NEW.id, NEW.version); RETURN NEW; END $$`,
    );
    await ctx.dst.query('CREATE TRIGGER ledger_log AFTER INSERT OR UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION log_ledger()');
    await ctx.src.query(`INSERT INTO ledger SELECT g, 1, 'seed' FROM generate_series(1, 500) g`);
    let next = 501;
    let stop = false;
    const write = (async () => {
      for (let i = 0; !stop; i++) {
        const id = 1 + ((i * 37) % 500);
        if (i % 3 === 0) await ctx.src.query(`INSERT INTO ledger VALUES ($1, 1, 'new')`, [next++]);
        else if (i % 11 === 0) await ctx.src.query('DELETE FROM ledger WHERE id = $1', [id]);
        else await ctx.src.query('UPDATE ledger SET version = version + 1 WHERE id = $1', [id]);
        await sleep(1);
      }
    })();
    const slot = newSlot();
    const config = configFor({ tables: '  - from: public.ledger\n', slot, statusIntervalMs: 600_000, maxEvents: 20 });
    // A slow sink and a short backlog, so that the stop below lands inside the big transaction.
    const slow = { beforeCommit: async () => void (await sleep(15)) };
    let r = await start(config, slow, { batchSize: 20, maxBacklog: 60 });
    try {
      await sleep(1500);
      // Kill the walsender: the source reconnects and goes on from what it handed over.
      await ctx.src.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
      await sleep(1000);
      stop = true;
      await write;
      // One big transaction; stop while it is half applied.
      await ctx.src.query(
        `BEGIN; INSERT INTO ledger SELECT g, 1, 'big' FROM generate_series(100000, 101999) g; UPDATE ledger SET version = version + 1 WHERE id BETWEEN 100000 AND 100999; COMMIT`,
      );
      const end = Date.now() + 20_000;
      while (!(await ctx.dst.query('SELECT 1 FROM ledger WHERE id >= 100000')).rowCount && Date.now() < end) await sleep(20);
      await r.stop();
      expect(r.logs.join('')).toContain('reconnecting');
      const stored = await ctx.dst.query<{ position: { seq?: number } }>('SELECT position FROM ficus_offsets WHERE stream = $1', [`postgres:${slot}`]);
      expect(stored.rows[0]?.position.seq).toBeGreaterThan(0); // stopped inside the transaction
      await ctx.src.query(`INSERT INTO ledger VALUES (200000, 1, 'after')`);
      r = await start(config);
      await untilEqual('ledger');
      expect(await deadLetters()).toBe(0);
    } finally {
      stop = true;
      await write;
      await r.stop();
    }
  });

  it('a restart in the middle of the snapshot resumes after the last committed key and converges', async () => {
    await ctx.src.query(ITEMS('halfway'));
    await ctx.dst.query(ITEMS('halfway'));
    await ctx.src.query(`INSERT INTO halfway SELECT g, 0, 'seed', 1 FROM generate_series(1, 5000) g`);
    const slot = newSlot();
    const config = configFor({ tables: '  - from: public.halfway\n', slot, chunk: 100, maxEvents: 100 });
    const w = writer('halfway', 5001, 3);
    // A short backlog and a slowed sink: the snapshot reads only as fast as the sink commits.
    let r = await start(config, { beforeCommit: async () => void (await sleep(10)) }, { batchSize: 100, maxBacklog: 200 });
    try {
      const end = Date.now() + 20_000;
      while (Number((await ctx.dst.query<{ n: string }>('SELECT count(*) AS n FROM halfway')).rows[0]?.n) < 500 && Date.now() < end) await sleep(20);
      await r.stop();
      const stored = await ctx.dst.query<{ position: { snapshot: { done: boolean; lastKey: string[] | null } } }>(
        `SELECT position FROM ficus_offsets WHERE stream = $1`,
        [`postgres:${slot}:snapshot:public.halfway`],
      );
      expect(stored.rows[0]?.position.snapshot.done).toBe(false);
      expect(Number(stored.rows[0]?.position.snapshot.lastKey?.[0])).toBeGreaterThan(0);
      r = await start(config);
      await sleep(1500);
      await w.stop();
      await untilEqual('halfway');
      expect(r.logs.join('')).toContain('slot found');
      expect(await deadLetters()).toBe(0);
    } finally {
      await w.stop();
      await r.stop();
    }
  });
});
