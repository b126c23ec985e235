/**
 * Shared set-up of the built-in Postgres source's integration tests: a fresh source and target
 * database per test file, unique slots that are dropped after each test, a config builder, a
 * running pipeline (source → pipeline → Postgres sink) with its logs and snapshot progress, a
 * concurrent writer of small random transactions, and "wait until the target equals the
 * source". Not a test file itself.
 */
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { createTestDatabase, uniqueName, type TestDatabase } from '../harness/index.js';
import { parseCdcConfig } from '../../cdc/config/load.js';
import type { CdcConfig } from '../../cdc/config/schema.js';
import { createPipeline, type Pipeline } from '../../cdc/pipeline.js';
import { openPostgresSink, type PostgresSink, type PostgresSinkOptions } from '../../cdc/sinks/postgres.js';
import { createPostgresSource, type PostgresSourceOptions } from '../../cdc/sources/postgres/source.js';
import type { SnapshotProgress } from '../../cdc/sources/postgres/snapshot.js';

/** The file's databases, set by usePgSourceDatabases' hooks. */
export const ctx = {} as { source: TestDatabase; target: TestDatabase; src: pg.Pool; dst: pg.Pool };
const slots = new Set<string>();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Registers the hooks: the two databases per file; every slot a test created dropped after it. */
export function usePgSourceDatabases(prefix: string): void {
  beforeAll(async () => {
    [ctx.source, ctx.target] = await Promise.all([createTestDatabase(prefix), createTestDatabase(`${prefix}_target`)]);
    ctx.src = new pg.Pool({ connectionString: ctx.source.url, max: 4 });
    ctx.dst = new pg.Pool({ connectionString: ctx.target.url, max: 2 });
    ctx.src.on('error', () => undefined);
  });
  afterEach(async () => {
    for (const slot of slots) {
      await ctx.src.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]);
      for (let i = 0; i < 50; i++) {
        try {
          await ctx.src.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
          break;
        } catch {
          await sleep(100);
        }
      }
    }
    slots.clear();
  });
  afterAll(async () => {
    await ctx.src?.end();
    await ctx.dst?.end();
    await ctx.source?.drop();
    await ctx.target?.drop();
  });
}

export function newSlot(): string {
  const slot = uniqueName('ficus_t').slice(0, 63);
  slots.add(slot);
  return slot;
}

export interface ConfigOptions {
  tables: string;
  slot: string;
  publication?: string;
  chunk?: number;
  maxEvents?: number;
  extra?: string;
  statusIntervalMs?: number;
}

export function configFor(o: ConfigOptions): CdcConfig {
  return parseCdcConfig(
    `source:
  postgres:
    url: ${ctx.source.url}
    slot: ${o.slot}
    publication: ${o.publication ?? o.slot}
    snapshotChunkRows: ${o.chunk ?? 100}
    statusIntervalMs: ${o.statusIntervalMs ?? 200}
${o.extra ?? ''}sink:
  postgres:
    url: ${ctx.target.url}
tables:
${o.tables}batch:
  maxEvents: ${o.maxEvents ?? 50}
  maxWaitMs: 20
`,
    'test.cdc.yaml',
  );
}

export interface Running {
  pipeline: Pipeline;
  sink: PostgresSink;
  logs: string[];
  progress: SnapshotProgress[];
  stop(): Promise<void>;
}

export async function start(
  config: CdcConfig,
  sinkOptions: Partial<PostgresSinkOptions> = {},
  sourceOptions: Partial<PostgresSourceOptions> = {},
): Promise<Running> {
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

export async function rows(pool: pg.Pool, table: string): Promise<unknown[]> {
  return (await pool.query(`SELECT to_jsonb(t) AS r FROM ${table} t ORDER BY id`)).rows.map((r: { r: unknown }) => r.r);
}

/** Waits until the target table equals the source table (as jsonb rows), then asserts it. */
export async function untilEqual(table: string, timeoutMs = 30_000, targetTable = table): Promise<void> {
  const end = Date.now() + timeoutMs;
  let a = await rows(ctx.src, table);
  let b = await rows(ctx.dst, targetTable).catch(() => []);
  while (JSON.stringify(a) !== JSON.stringify(b) && Date.now() < end) {
    await sleep(100);
    [a, b] = await Promise.all([rows(ctx.src, table), rows(ctx.dst, targetTable)]);
  }
  expect(b).toEqual(a);
}

export async function deadLetters(): Promise<number> {
  const r = await ctx.dst.query<{ n: number }>('SELECT count(*)::int AS n FROM ficus_dead_letters').catch(() => ({ rows: [{ n: 0 }] }));
  return r.rows[0]?.n ?? 0;
}

/** Small random transactions (insert, update, delete, a few multi-row) on an ITEMS table until stopped. */
export function writer(table: string, firstId: number, seed: number) {
  const src = ctx.src;
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

export const ITEMS = (name: string): string => `CREATE TABLE ${name} (id integer PRIMARY KEY, n integer NOT NULL, label text, price numeric(12,2))`;
