/**
 * Reverse sync end to end with real parts: a monolith database (`products`) and a service
 * database (`catalog_items`, `name` renamed to `title`), two pipelines built from configs the
 * way `ficus cdc run` builds them (createSource/openSink): monolith → service and service →
 * monolith, each sink marking its writes with its own replication origin and each source
 * skipping the other's. Checks that concurrent writes on both sides end equal with every write
 * applied exactly once on the other side and nothing applied over a quiet period (no echo);
 * that newerWins keeps the newer row against an older update; that dead-letter stores a
 * conflicting update with CDC_SINK_CONFLICT and the stream goes on; and that origin set-up
 * failures carry CDC_SINK_ORIGIN. Every slot, origin and role a test creates is dropped.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import { createPipeline, type Pipeline } from '../../cdc/pipeline.js';
import { SinkErrorCode } from '../../cdc/sinks/errors.js';
import { openSink } from '../../cdc/sinks/open.js';
import { openPostgresSink } from '../../cdc/sinks/postgres.js';
import type { Sink } from '../../cdc/sinks/types.js';
import { createSource } from '../../cdc/sources/open.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const db = {} as { mono: TestDatabase; svc: TestDatabase; a: pg.Pool; b: pg.Pool };
const slots: { pool: () => pg.Pool; name: string }[] = [];
const origins = new Set<string>();

beforeAll(async () => {
  [db.mono, db.svc] = await Promise.all([createTestDatabase('rsync_mono'), createTestDatabase('rsync_svc')]);
  db.a = new pg.Pool({ connectionString: db.mono.url, max: 4 });
  db.b = new pg.Pool({ connectionString: db.svc.url, max: 4 });
});

afterEach(async () => {
  for (const s of slots.splice(0)) {
    const pool = s.pool();
    await pool.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active', [s.name]);
    for (let i = 0; i < 50; i++) {
      try {
        await pool.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [s.name]);
        break;
      } catch {
        await sleep(100);
      }
    }
  }
  for (const o of origins) await db.a.query('SELECT pg_replication_origin_drop(roname) FROM pg_replication_origin WHERE roname = $1', [o]);
  origins.clear();
});

afterAll(async () => {
  await db.a?.end();
  await db.b?.end();
  await db.mono?.drop();
  await db.svc?.drop();
});

const PRODUCTS = (t: string) => `CREATE TABLE ${t} (id integer PRIMARY KEY, name text NOT NULL, price_cents integer NOT NULL, updated_at timestamptz NOT NULL);
  ALTER TABLE ${t} REPLICA IDENTITY FULL`;
const ITEMS = (t: string) => `CREATE TABLE ${t} (id integer PRIMARY KEY, title text NOT NULL, price_cents integer NOT NULL, updated_at timestamptz NOT NULL);
  ALTER TABLE ${t} REPLICA IDENTITY FULL`;

interface Direction {
  from: TestDatabase;
  to: TestDatabase;
  fromPool: () => pg.Pool;
  table: string;
  target: string;
  rename: string;
  slot: string;
  origin: string;
  skip: string;
  conflict: string;
}

function configOf(d: Direction) {
  return parseCdcConfig(
    `source:
  postgres:
    url: ${d.from.url}
    slot: ${d.slot}
    publication: ${d.slot}
    snapshot: never
    statusIntervalMs: 200
    skipOrigins: [${d.skip}]
sink:
  postgres:
    url: ${d.to.url}
    origin: ${d.origin}
tables:
  - from: public.${d.table}
    to: ${d.target}
    columns: { ${d.rename} }
    conflict: ${d.conflict}
batch:
  maxEvents: 50
  maxWaitMs: 20
`,
    'reverse.cdc.yaml',
  );
}

interface Running {
  pipeline: Pipeline;
  sink: Sink;
  stop(): Promise<void>;
}

async function run(d: Direction): Promise<Running> {
  if (!slots.some((s) => s.name === d.slot)) slots.push({ pool: d.fromPool, name: d.slot });
  origins.add(d.origin);
  const config = configOf(d);
  const sink = await openSink(config);
  const source = createSource(config, { positions: () => sink.lastPositions() });
  const pipeline = createPipeline({ config, sink, source });
  await pipeline.start();
  return {
    pipeline,
    sink,
    async stop() {
      await pipeline.stop();
      await sink.close();
    },
  };
}

/** Both directions between products (monolith) and catalog_items (service), newerWins by updated_at unless told. */
function pair(tag: string, conflict = '{ newerWins: updated_at }'): { ab: Direction; ba: Direction } {
  const oab = uniqueName(`ficus_ab_${tag}`);
  const oba = uniqueName(`ficus_ba_${tag}`);
  const products = `products_${tag}`;
  const items = `catalog_items_${tag}`;
  return {
    ab: {
      from: db.mono,
      to: db.svc,
      fromPool: () => db.a,
      table: products,
      target: items,
      rename: 'name: title',
      slot: uniqueName('ficus_rs').slice(0, 63),
      origin: oab,
      skip: oba,
      conflict,
    },
    ba: {
      from: db.svc,
      to: db.mono,
      fromPool: () => db.b,
      table: items,
      target: products,
      rename: 'title: name',
      slot: uniqueName('ficus_rs').slice(0, 63),
      origin: oba,
      skip: oab,
      conflict,
    },
  };
}

const monoRows = (t: string) => db.a.query(`SELECT id, name, price_cents, updated_at::text AS at FROM ${t} ORDER BY id`).then((r) => r.rows);
const svcRows = (t: string) => db.b.query(`SELECT id, title AS name, price_cents, updated_at::text AS at FROM ${t} ORDER BY id`).then((r) => r.rows);

async function until(what: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await what()) && Date.now() < end) await sleep(50);
}

/** Random small transactions on one side: updates of shared keys, inserts of its own keys, deletes of them; counts the row changes it made. */
function writer(pool: pg.Pool, table: string, nameCol: string, ownFrom: number, seed: number) {
  let stop = false;
  let x = seed;
  const rand = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  let next = ownFrom;
  const mine: number[] = [];
  let changes = 0;
  const done = (async () => {
    for (let op = 0; !stop; op++) {
      const r = rand();
      if (r < 0.5) {
        const id = 1 + Math.floor(rand() * 100);
        const q = await pool.query(`UPDATE ${table} SET ${nameCol} = $2, price_cents = price_cents + 1, updated_at = clock_timestamp() WHERE id = $1`, [
          id,
          `s${seed}-${op}`,
        ]);
        changes += q.rowCount ?? 0;
      } else if (r < 0.75) {
        await pool.query(`INSERT INTO ${table} (id, ${nameCol}, price_cents, updated_at) VALUES ($1, $2, 100, clock_timestamp())`, [next, `new${seed}-${op}`]);
        mine.push(next++);
        changes++;
      } else if (r < 0.85 && mine.length > 0) {
        const id = mine.splice(Math.floor(rand() * mine.length), 1)[0];
        const q = await pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
        changes += q.rowCount ?? 0;
      } else {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          const lo = 1 + Math.floor(rand() * 90);
          const q = await c.query(`UPDATE ${table} SET price_cents = price_cents + 10, updated_at = clock_timestamp() WHERE id BETWEEN $1 AND $2`, [
            lo,
            lo + 9,
          ]);
          await c.query('COMMIT');
          changes += q.rowCount ?? 0;
        } finally {
          c.release();
        }
      }
      await sleep(1);
    }
  })();
  return {
    get changes() {
      return changes;
    },
    async stop() {
      stop = true;
      await done;
    },
  };
}

describe('reverse sync', () => {
  it('both directions under concurrent writes on both sides end equal with no loop', async () => {
    const { ab, ba } = pair('loop');
    await db.a.query(PRODUCTS(ab.table));
    await db.b.query(ITEMS(ab.target));
    const seed = (nameCol: string, t: string) =>
      `INSERT INTO ${t} (id, ${nameCol}, price_cents, updated_at) SELECT g, 'seed ' || g, g * 10, '2024-01-01T00:00:00Z' FROM generate_series(1, 100) g`;
    await db.a.query(seed('name', ab.table));
    await db.b.query(seed('title', ab.target));
    const forward = await run(ab);
    const back = await run(ba);
    try {
      const wa = writer(db.a, ab.table, 'name', 10_000, 11);
      const wb = writer(db.b, ab.target, 'title', 20_000, 29);
      await sleep(3000);
      await Promise.all([wa.stop(), wb.stop()]);
      expect(wa.changes).toBeGreaterThan(50);
      expect(wb.changes).toBeGreaterThan(50);
      // Each side's changes are applied once on the other side, and nothing more: an echo would count again.
      await until(async () => forward.pipeline.summary().applied >= wa.changes && back.pipeline.summary().applied >= wb.changes);
      await until(async () => JSON.stringify(await monoRows(ab.table)) === JSON.stringify(await svcRows(ab.target)));
      expect(await svcRows(ab.target)).toEqual(await monoRows(ab.table));
      const settled = [forward.pipeline.summary().applied, back.pipeline.summary().applied];
      await sleep(1500);
      expect([forward.pipeline.summary().applied, back.pipeline.summary().applied]).toEqual(settled);
      expect(settled).toEqual([wa.changes, wb.changes]);
      expect(forward.pipeline.summary().deadLettered + back.pipeline.summary().deadLettered).toBe(0);
      // Both sides really wrote on shared keys, so the policy had work to do.
      const shared = await db.a.query(`SELECT count(*)::int AS n FROM ${ab.table} WHERE id <= 100 AND name LIKE 's29-%'`);
      expect(shared.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await forward.stop();
      await back.stop();
    }
  });

  it('newerWins: an older update from one side does not overwrite a newer row on the other', async () => {
    const { ab, ba } = pair('newer');
    await db.a.query(PRODUCTS(ab.table));
    await db.b.query(ITEMS(ab.target));
    let forward = await run(ab);
    const back = await run(ba);
    try {
      await db.a.query(`INSERT INTO ${ab.table} VALUES (1, 'seed', 100, '2024-01-01T00:00:00Z')`);
      await until(async () => (await svcRows(ab.target)).length === 1);
      // The monolith's older update waits in its slot while the service writes a newer one.
      await forward.stop();
      await db.a.query(`UPDATE ${ab.table} SET name = 'older', updated_at = '2024-02-01T00:00:00Z' WHERE id = 1`);
      await db.b.query(`UPDATE ${ab.target} SET title = 'newer', updated_at = '2024-03-01T00:00:00Z' WHERE id = 1`);
      await until(async () => (await monoRows(ab.table))[0]?.name === 'newer');
      forward = await run(ab);
      await until(async () => forward.pipeline.summary().applied >= 1);
      const newer = [{ id: 1, name: 'newer', price_cents: 100, at: '2024-03-01 00:00:00+00' }];
      expect(await svcRows(ab.target)).toEqual(newer);
      expect(await monoRows(ab.table)).toEqual(newer);
      // A newer one does overwrite, and a delete of the current version applies on the other side.
      await db.a.query(`UPDATE ${ab.table} SET name = 'newest', updated_at = '2024-04-01T00:00:00Z' WHERE id = 1`);
      await until(async () => (await svcRows(ab.target))[0]?.name === 'newest');
      await db.b.query(`DELETE FROM ${ab.target} WHERE id = 1`);
      await until(async () => (await monoRows(ab.table)).length === 0);
      expect(await monoRows(ab.table)).toEqual([]);
    } finally {
      await forward.stop();
      await back.stop();
    }
  });

  it('dead-letter: a conflicting update lands in the dead-letter table with CDC_SINK_CONFLICT and the stream continues', async () => {
    const { ab } = pair('dlq', 'dead-letter');
    await db.a.query(PRODUCTS(ab.table));
    await db.b.query(ITEMS(ab.target));
    const forward = await run(ab);
    try {
      await db.a.query(`INSERT INTO ${ab.table} VALUES (1, 'seed', 100, '2024-01-01T00:00:00Z'), (2, 'two', 200, '2024-01-01T00:00:00Z')`);
      await until(async () => (await svcRows(ab.target)).length === 2);
      // Someone edits row 1 in the service; the monolith then updates its own (older) version.
      await db.b.query(`UPDATE ${ab.target} SET title = 'edited in the service' WHERE id = 1`);
      await db.a.query(`UPDATE ${ab.table} SET name = 'from the monolith', updated_at = '2024-02-01T00:00:00Z' WHERE id = 1`);
      await db.a.query(`UPDATE ${ab.table} SET price_cents = 250 WHERE id = 2`);
      await db.a.query(`INSERT INTO ${ab.table} VALUES (3, 'three', 300, '2024-01-01T00:00:00Z')`);
      await until(async () => (await svcRows(ab.target)).length === 3);
      const letters = await db.b.query(`SELECT code, target_table FROM ficus_dead_letters WHERE target_table = $1`, [ab.target]);
      expect(letters.rows).toEqual([{ code: SinkErrorCode.CONFLICT, target_table: ab.target }]);
      const rows = await svcRows(ab.target);
      expect(rows.map((r: { name: string }) => r.name)).toEqual(['edited in the service', 'two', 'three']);
      expect(rows[1]).toMatchObject({ price_cents: 250 });
      expect(forward.pipeline.summary().deadLettered).toBe(1);
    } finally {
      await forward.stop();
    }
  });

  it('dead-letter without old rows (no REPLICA IDENTITY FULL) stores CDC_SINK_CONFLICT_UNCHECKABLE', async () => {
    const { ab } = pair('nofull', 'dead-letter');
    await db.a.query(`${PRODUCTS(ab.table)}; ALTER TABLE ${ab.table} REPLICA IDENTITY DEFAULT`);
    await db.b.query(ITEMS(ab.target));
    const forward = await run(ab);
    try {
      await db.a.query(`INSERT INTO ${ab.table} VALUES (1, 'seed', 100, '2024-01-01T00:00:00Z')`);
      await until(async () => (await svcRows(ab.target)).length === 1); // an insert expects no row: checkable
      await db.a.query(`UPDATE ${ab.table} SET name = 'changed' WHERE id = 1`);
      await until(async () => forward.pipeline.summary().deadLettered === 1);
      const letters = await db.b.query(`SELECT code FROM ficus_dead_letters WHERE target_table = $1`, [ab.target]);
      expect(letters.rows).toEqual([{ code: SinkErrorCode.UNCHECKABLE }]);
      expect((await svcRows(ab.target)).map((r: { name: string }) => r.name)).toEqual(['seed']);
    } finally {
      await forward.stop();
    }
  });
});

describe('the sink origin', () => {
  it('marks the sink transactions with the origin, and an origin busy in another session is a retriable CDC_SINK_ORIGIN', async () => {
    const origin = uniqueName('ficus_busy');
    origins.add(origin);
    await db.b.query('CREATE TABLE marked (id integer PRIMARY KEY)');
    const sink = await openPostgresSink({ url: db.svc.url, origin });
    const holder = await db.b.connect();
    try {
      const change = {
        kind: 'upsert' as const,
        table: 'marked',
        key: ['id'],
        columns: { id: { value: 1 } },
        unchanged: [],
        event: { op: 'c', position: { kind: 'postgres', lsn: '0/1' } } as never,
      };
      await sink.apply({ changes: [change], positions: [] });
      const r = await db.b.query(`SELECT roname FROM pg_replication_origin WHERE roname = $1`, [origin]);
      expect(r.rowCount).toBe(1);
      await holder.query('SELECT pg_replication_origin_session_setup($1)', [origin]);
      await expect(sink.apply({ changes: [change], positions: [] })).rejects.toMatchObject({ code: SinkErrorCode.ORIGIN, retriable: true });
      await holder.query('SELECT pg_replication_origin_session_reset()');
      await expect(sink.apply({ changes: [change], positions: [] })).resolves.toMatchObject({ applied: 1 });
    } finally {
      await holder.query('SELECT pg_replication_origin_session_reset()').catch(() => undefined);
      holder.release();
      await sink.close();
    }
  });

  it('a sink role without the origin functions fails at open with CDC_SINK_ORIGIN', async () => {
    const role = uniqueName('ficus_norigin');
    const origin = uniqueName('ficus_denied');
    origins.add(origin);
    await db.b.query(`CREATE ROLE ${role} LOGIN; GRANT CREATE ON SCHEMA public TO ${role}`);
    try {
      const u = new URL(db.svc.url);
      u.username = role;
      const url = u.toString();
      await expect(openPostgresSink({ url, origin, offsetsTable: `offsets_${role}`, deadLetterTable: `dl_${role}` })).rejects.toMatchObject({
        code: SinkErrorCode.ORIGIN,
        retriable: false,
      });
    } finally {
      await db.b.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });
});
