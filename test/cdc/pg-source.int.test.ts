/**
 * The built-in Postgres source end to end with real parts: a source database with tables, the
 * pipeline, and the Postgres sink into a second database. Checks that snapshot + streaming
 * under concurrent inserts, updates and deletes ends equal to the source; that a stop and
 * restart, and a replication connection killed from the server side, neither lose nor repeat
 * a change (a trigger in the target logs every applied row version under a unique key);
 * that an unchanged TOASTed column is kept; that values of many types round-trip through
 * snapshot and streaming; key-changing updates, truncates and skipped replication origins;
 * and `ficus cdc slot list|drop`. Every slot a test creates is dropped after it.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import type { CdcConfig } from '../../cdc/config/schema.js';
import { createPipeline, type Pipeline } from '../../cdc/pipeline.js';
import { openPostgresSink, type PostgresSink, type PostgresSinkOptions } from '../../cdc/sinks/postgres.js';
import { createPostgresSource, type PostgresSourceOptions } from '../../cdc/sources/postgres/source.js';
import type { SnapshotProgress } from '../../cdc/sources/postgres/snapshot.js';
import type { CliIO } from '../../cli/io.js';
import { run as runCli } from '../../cli/run.js';

let source: TestDatabase;
let target: TestDatabase;
let src: pg.Pool;
let dst: pg.Pool;
const slots = new Set<string>();

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase('pgsrc'), createTestDatabase('pgsrc_target')]);
  src = new pg.Pool({ connectionString: source.url, max: 4 });
  dst = new pg.Pool({ connectionString: target.url, max: 2 });
  src.on('error', () => undefined);
});
afterEach(async () => {
  for (const slot of slots) {
    await src.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]);
    for (let i = 0; i < 50; i++) {
      try {
        await src.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
        break;
      } catch {
        await sleep(100);
      }
    }
  }
  slots.clear();
});
afterAll(async () => {
  await src?.end();
  await dst?.end();
  await source?.drop();
  await target?.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function newSlot(): string {
  const slot = uniqueName('ficus_t').slice(0, 63);
  slots.add(slot);
  return slot;
}

interface ConfigOptions {
  tables: string;
  slot: string;
  publication?: string;
  chunk?: number;
  maxEvents?: number;
  extra?: string;
  statusIntervalMs?: number;
}

function configFor(o: ConfigOptions): CdcConfig {
  return parseCdcConfig(
    `source:
  postgres:
    url: ${source.url}
    slot: ${o.slot}
    publication: ${o.publication ?? o.slot}
    snapshotChunkRows: ${o.chunk ?? 100}
    statusIntervalMs: ${o.statusIntervalMs ?? 200}
${o.extra ?? ''}sink:
  postgres:
    url: ${target.url}
tables:
${o.tables}batch:
  maxEvents: ${o.maxEvents ?? 50}
  maxWaitMs: 20
`,
    'test.cdc.yaml',
  );
}

interface Running {
  pipeline: Pipeline;
  sink: PostgresSink;
  logs: string[];
  progress: SnapshotProgress[];
  stop(): Promise<void>;
}

async function start(config: CdcConfig, sinkOptions: Partial<PostgresSinkOptions> = {}, sourceOptions: Partial<PostgresSourceOptions> = {}): Promise<Running> {
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString('utf8')), cb()) }));
  const sink = await openPostgresSink({ url: config.sink.postgres!.url, logger, ...sinkOptions });
  const pgc = config.source.postgres!;
  const progress: SnapshotProgress[] = [];
  const s = createPostgresSource({
    ...pgc,
    tables: pgc.tables ?? config.tables.map((t) => t.from),
    positions: () => sink.lastPositions(),
    logger,
    onSnapshotProgress: (p) => progress.push(p),
    ...sourceOptions,
  });
  const pipeline = createPipeline({ config, sink, source: s, logger });
  await pipeline.start();
  return {
    pipeline,
    sink,
    logs,
    progress,
    async stop() {
      await pipeline.stop();
      await sink.close();
    },
  };
}

async function rows(pool: pg.Pool, table: string): Promise<unknown[]> {
  return (await pool.query(`SELECT to_jsonb(t) AS r FROM ${table} t ORDER BY id`)).rows.map((r: { r: unknown }) => r.r);
}

async function untilEqual(table: string, timeoutMs = 30_000, targetTable = table): Promise<void> {
  const end = Date.now() + timeoutMs;
  let a = await rows(src, table);
  let b = await rows(dst, targetTable).catch(() => []);
  while (JSON.stringify(a) !== JSON.stringify(b) && Date.now() < end) {
    await sleep(100);
    [a, b] = await Promise.all([rows(src, table), rows(dst, targetTable)]);
  }
  expect(b).toEqual(a);
}

async function deadLetters(): Promise<number> {
  const r = await dst.query<{ n: number }>('SELECT count(*)::int AS n FROM ficus_dead_letters').catch(() => ({ rows: [{ n: 0 }] }));
  return r.rows[0]?.n ?? 0;
}

/** Small random transactions (insert, update, delete, a few multi-row) until stopped. */
function writer(table: string, firstId: number, seed: number) {
  let stop = false;
  let next = firstId;
  let x = seed;
  const rand = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  let ops = 0;
  const done = (async () => {
    while (!stop) {
      const r = rand();
      const id = 1 + Math.floor(rand() * (next - 1));
      if (r < 0.35) await src.query(`INSERT INTO ${table} (id, n, label, price) VALUES ($1, 1, $2, $3)`, [next++, `w${ops}`, (rand() * 1000).toFixed(2)]);
      else if (r < 0.75) await src.query(`UPDATE ${table} SET n = n + 1, label = $2 WHERE id = $1`, [id, `u${ops}`]);
      else if (r < 0.9) await src.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
      else {
        const c = await src.connect();
        try {
          await c.query('BEGIN');
          await c.query(`INSERT INTO ${table} (id, n, label, price) SELECT g, 1, 'batch', 1.50 FROM generate_series($1::int, $2::int) g`, [next, next + 29]);
          next += 30;
          await c.query(`UPDATE ${table} SET n = n + 1 WHERE id BETWEEN $1 AND $2`, [id, id + 20]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      }
      ops++;
    }
  })();
  return {
    get ops() {
      return ops;
    },
    async stop() {
      stop = true;
      await done;
    },
  };
}

const ITEMS = (name: string) => `CREATE TABLE ${name} (id integer PRIMARY KEY, n integer NOT NULL, label text, price numeric(12,2))`;

describe('the Postgres source', () => {
  it('snapshot + streaming under concurrent writes ends equal to the source', async () => {
    await src.query(ITEMS('items'));
    await dst.query(ITEMS('items'));
    await src.query(`INSERT INTO items SELECT g, 0, 'seed ' || g, g * 1.25 FROM generate_series(1, 3000) g`);
    const w = writer('items', 3001, 7);
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.items\n', slot }));
    try {
      const end = Date.now() + 30_000;
      while (
        !(await dst.query(`SELECT 1 FROM ficus_offsets WHERE stream LIKE '%snapshot%' AND (position->'snapshot'->>'done')::boolean`)).rowCount &&
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
    await src.query(ITEMS('gated'));
    await dst.query(ITEMS('gated'));
    const slot = newSlot();
    let open = true;
    let release: () => void = () => undefined;
    const r = await start(configFor({ tables: '  - from: public.gated\n', slot }), {
      beforeCommit: async () => {
        if (!open) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    try {
      await src.query(`INSERT INTO gated VALUES (1, 1, 'first', 1)`);
      await untilEqual('gated');
      open = false;
      const before = (await src.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
      await src.query(`INSERT INTO gated SELECT g, 1, 'held', 2 FROM generate_series(2, 50) g`);
      await sleep(1200); // several status intervals
      const held = await src.query<{ ok: boolean }>('SELECT confirmed_flush_lsn <= $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1', [
        slot,
        before,
      ]);
      expect(held.rows[0]?.ok).toBe(true);
      expect((await dst.query('SELECT 1 FROM gated')).rowCount).toBe(1);
      open = true;
      release();
      await untilEqual('gated');
      const end = Date.now() + 10_000;
      let moved = false;
      while (!moved && Date.now() < end) {
        const q = await src.query<{ ok: boolean }>('SELECT confirmed_flush_lsn > $2::pg_lsn AS ok FROM pg_replication_slots WHERE slot_name = $1', [
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
    await src.query(ddl);
    await dst.query(ddl);
    // Every row version the sink writes is logged under a unique key: applying one twice is a data error, hence a dead letter.
    await dst.query('CREATE TABLE ledger_log (id integer, version integer, PRIMARY KEY (id, version))');
    await dst.query(
      `CREATE FUNCTION log_ledger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO ledger_log VALUES (NEW.id, NEW.version); RETURN NEW; END $$`,
    );
    await dst.query('CREATE TRIGGER ledger_log AFTER INSERT OR UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION log_ledger()');
    await src.query(`INSERT INTO ledger SELECT g, 1, 'seed' FROM generate_series(1, 500) g`);
    let next = 501;
    let stop = false;
    const write = (async () => {
      for (let i = 0; !stop; i++) {
        const id = 1 + ((i * 37) % 500);
        if (i % 3 === 0) await src.query(`INSERT INTO ledger VALUES ($1, 1, 'new')`, [next++]);
        else if (i % 11 === 0) await src.query('DELETE FROM ledger WHERE id = $1', [id]);
        else await src.query('UPDATE ledger SET version = version + 1 WHERE id = $1', [id]);
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
      await src.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
      await sleep(1000);
      stop = true;
      await write;
      // One big transaction; stop while it is half applied.
      await src.query(
        `BEGIN; INSERT INTO ledger SELECT g, 1, 'big' FROM generate_series(100000, 101999) g; UPDATE ledger SET version = version + 1 WHERE id BETWEEN 100000 AND 100999; COMMIT`,
      );
      const end = Date.now() + 20_000;
      while (!(await dst.query('SELECT 1 FROM ledger WHERE id >= 100000')).rowCount && Date.now() < end) await sleep(20);
      await r.stop();
      expect(r.logs.join('')).toContain('reconnecting');
      const stored = await dst.query<{ position: { seq?: number } }>('SELECT position FROM ficus_offsets WHERE stream = $1', [`postgres:${slot}`]);
      expect(stored.rows[0]?.position.seq).toBeGreaterThan(0); // stopped inside the transaction
      await src.query(`INSERT INTO ledger VALUES (200000, 1, 'after')`);
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
    await src.query(ITEMS('halfway'));
    await dst.query(ITEMS('halfway'));
    await src.query(`INSERT INTO halfway SELECT g, 0, 'seed', 1 FROM generate_series(1, 5000) g`);
    const slot = newSlot();
    const config = configFor({ tables: '  - from: public.halfway\n', slot, chunk: 100, maxEvents: 100 });
    const w = writer('halfway', 5001, 3);
    // A short backlog and a slowed sink: the snapshot reads only as fast as the sink commits.
    let r = await start(config, { beforeCommit: async () => void (await sleep(10)) }, { batchSize: 100, maxBacklog: 200 });
    try {
      const end = Date.now() + 20_000;
      while (Number((await dst.query<{ n: string }>('SELECT count(*) AS n FROM halfway')).rows[0]?.n) < 500 && Date.now() < end) await sleep(20);
      await r.stop();
      const stored = await dst.query<{ position: { snapshot: { done: boolean; lastKey: string[] | null } } }>(
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

describe('values and row images', () => {
  it('keeps an unchanged TOASTed column, with REPLICA IDENTITY DEFAULT and FULL', async () => {
    for (const [table, identity] of [
      ['docs_default', 'DEFAULT'],
      ['docs_full', 'FULL'],
    ] as const) {
      const ddl = `CREATE TABLE ${table} (id integer PRIMARY KEY, n integer NOT NULL, body text)`;
      await src.query(ddl);
      await src.query(`ALTER TABLE ${table} ALTER COLUMN body SET STORAGE EXTERNAL, REPLICA IDENTITY ${identity}`);
      await dst.query(ddl);
      // ~20 kB of text that is stored out of line, uncompressed.
      await src.query(
        `INSERT INTO ${table} SELECT g, 0, (SELECT string_agg(md5(g::text || i::text), '') FROM generate_series(1, 600) i) FROM generate_series(1, 3) g`,
      );
    }
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.docs_default\n  - from: public.docs_full\n', slot }));
    try {
      for (const table of ['docs_default', 'docs_full']) {
        await untilEqual(table);
        await src.query(`INSERT INTO ${table} SELECT 10, 0, (SELECT string_agg(md5(i::text), '') FROM generate_series(1, 700) i)`);
        await src.query(`UPDATE ${table} SET n = n + 1`);
        await untilEqual(table);
      }
      expect(await deadLetters()).toBe(0);
      const lengths = await dst.query<{ n: number }>('SELECT length(body) AS n FROM docs_default ORDER BY id');
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
    for (const pool of [src, dst]) {
      await pool.query(`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`);
      await pool.query('CREATE DOMAIN positive AS numeric(10,2) CHECK (VALUE > 0)');
    }
    await src.query(ddl('typed'));
    await dst.query(ddl('typed'));
    const insert = (id: number) =>
      src.query(
        `INSERT INTO typed VALUES ($1, -32768, 9007199254740993, -12345678.5, 1.5e300, 'NaN', true, 'ünïcødé "q" \\ back', 'v', 'ab',
          '2024-02-29', '23:59:59.999999', '10:15:30.5+00', '1969-12-31 23:59:59.000001', '2024-05-01 10:15:30.123456+02', '1 year 2 mons 3 days 04:05:06.5',
          '{"a": [1, 2.50, 12345678901234567890], "b": null}', '{"z": {"k": "v"}, "n": 1.0}', '\\x00ff10', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
          ARRAY['x', 'with space', 'com,ma', NULL, 'quo"te'], '{1,2,3}', '{1.10,-2}', '1234.56', '192.168.0.1/24', 'happy', 12.5, '{2024-01-01,infinity}')`,
        [id],
      );
    await insert(1);
    await src.query(`INSERT INTO typed (id, ts, tsz, d, f8, f4) VALUES (2, 'infinity', '-infinity', '-infinity', 'Infinity', '-Infinity')`);
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.typed\n', slot }));
    try {
      await untilEqual('typed');
      await insert(3);
      await src.query(`UPDATE typed SET num = 0.0001, ia = '{{1,2},{3,4}}', jb = '[]', t = NULL WHERE id = 1`);
      await untilEqual('typed');
      expect(await deadLetters()).toBe(0);
    } finally {
      await r.stop();
    }
  });

  it('turns a key change into a delete and a create, applies truncates, skips a replication origin', async () => {
    await src.query(ITEMS('moves'));
    await dst.query(ITEMS('moves'));
    await src.query(`INSERT INTO moves SELECT g, 0, 'seed', 1 FROM generate_series(1, 5) g`);
    const origin = uniqueName('ficus_origin');
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.moves\n    truncate: true\n', slot, extra: `    skipOrigins: [${origin}]\n` }));
    const c = await src.connect();
    try {
      await untilEqual('moves');
      await src.query('UPDATE moves SET id = 100 WHERE id = 1');
      await untilEqual('moves');
      // A change written under the skipped origin (as a reverse-sync sink would) is not captured.
      await c.query('SELECT pg_replication_origin_create($1)', [origin]);
      await c.query('SELECT pg_replication_origin_session_setup($1)', [origin]);
      await c.query(`INSERT INTO moves VALUES (200, 0, 'from the service', 1)`);
      await c.query('SELECT pg_replication_origin_session_reset()');
      await src.query(`INSERT INTO moves VALUES (300, 0, 'after', 1)`);
      const end = Date.now() + 10_000;
      while (!(await dst.query('SELECT 1 FROM moves WHERE id = 300')).rowCount && Date.now() < end) await sleep(50);
      expect((await dst.query('SELECT id FROM moves WHERE id >= 200 ORDER BY id')).rows).toEqual([{ id: 300 }]);
      await src.query('DELETE FROM moves WHERE id = 200');
      await src.query('TRUNCATE moves');
      await src.query(`INSERT INTO moves VALUES (7, 0, 'after truncate', 1)`);
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
    await src.query('CREATE TABLE nokey (a integer, b text)');
    for (const table of ['public.nowhere', 'public.nokey']) {
      const slot = newSlot();
      const config = configFor({ tables: `  - from: ${table}\n`, slot });
      await expect(start(config)).rejects.toMatchObject({ code: 'CDC_PG_TABLE' });
    }
    expect((await src.query(`SELECT 1 FROM pg_publication_tables WHERE tablename = 'nokey'`)).rowCount).toBe(0);
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
    await src.query(ITEMS('slotted'));
    await dst.query(ITEMS('slotted'));
    const slot = newSlot();
    const r = await start(configFor({ tables: '  - from: public.slotted\n', slot }));
    try {
      // Active: listed without a warning, and not dropped without --force.
      const active = await cli('list', '--url', source.url);
      expect(active.code).toBe(0);
      expect(active.out).toContain(slot);
      expect(active.err).not.toContain(slot);
      const refused = await cli('drop', slot, '--url', source.url);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('[CDC_PG_SLOT]');
    } finally {
      await r.stop();
    }
    const idle = await cli('list', '--url', source.url, '--json');
    const listed = (JSON.parse(idle.out) as { name: string; active: boolean; retainedBytes: number }[]).find((s) => s.name === slot);
    expect(listed).toMatchObject({ active: false });
    expect(typeof listed?.retainedBytes).toBe('number');
    expect(idle.err).toContain(`slot ${slot} is inactive`);
    expect((await cli('drop', slot, '--url', source.url)).code).toBe(0);
    expect((await cli('list', '--url', source.url)).out).not.toContain(slot);
    expect((await cli('drop', slot, '--url', source.url)).code).toBe(1);
    expect((await cli('list', '--url', 'mysql://nope')).code).toBe(2);
  });
});
