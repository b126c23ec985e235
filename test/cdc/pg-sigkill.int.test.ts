/**
 * Exactly once in effect, under the crash that matters, for the built-in Postgres source:
 * `ficus cdc run` (source.postgres → sink.postgres) as a real child process, SIGKILLed again and
 * again — during the initial snapshot and while streaming, inside and between multi-row
 * transactions — while the source database takes concurrent inserts, updates and deletes; then
 * started once more and let to catch up. The target must equal the source (row by row, and by
 * `ficus cdc verify`), nothing may be dead-lettered, and the final run must write nothing to stderr.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, REPO_ROOT, uniqueName, type TestDatabase } from '../harness/index.js';

const BIN = join(REPO_ROOT, 'bin', 'ficus.js');
const ROUNDS = 6;
const SEED_ROWS = 1500;

let source: TestDatabase;
let target: TestDatabase;
let src: pg.Pool;
let dst: pg.Pool;
const slot = uniqueName('ficus_kill').slice(0, 63);
const dir = mkdtempSync(join(tmpdir(), 'ficus-pg-kill-'));

beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase('pgkill'), createTestDatabase('pgkill_target')]);
  src = new pg.Pool({ connectionString: source.url, max: 3 });
  dst = new pg.Pool({ connectionString: target.url, max: 2 });
});
afterAll(async () => {
  await src?.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active', [slot]).catch(() => undefined);
  for (let i = 0; i < 50; i++) {
    const r = await src?.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]).then(
      () => true,
      () => false,
    );
    if (r) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  await src?.end();
  await dst?.end();
  await source?.drop();
  await target?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const DDL = 'CREATE TABLE counters (id integer PRIMARY KEY, n integer NOT NULL, label text NOT NULL)';

function runChild(config: string): ChildProcess {
  return spawn(process.execPath, [BIN, 'cdc', 'run', '--config', config, '--log-level', 'error'], {
    env: { ...process.env, SOURCE_URL: source.url, TARGET_URL: target.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function runVerify(config: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [BIN, 'cdc', 'verify', '--config', config, '--recheck-after-ms', '0'], {
    env: { ...process.env, SOURCE_URL: source.url, TARGET_URL: target.url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
}

async function rows(pool: pg.Pool): Promise<string> {
  return JSON.stringify((await pool.query('SELECT id, n, label FROM counters ORDER BY id').catch(() => ({ rows: [] }))).rows);
}

it('SIGKILLed repeatedly during snapshot and streaming under concurrent writes, then restarted, the target equals the source', async () => {
  expect(existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js')) || existsSync(join(REPO_ROOT, 'dist', 'cli', 'index.js')), 'run `npm run build` first').toBe(
    true,
  );
  await src.query(DDL);
  await dst.query(DDL);
  await src.query(`INSERT INTO counters SELECT g, 0, 'seed' FROM generate_series(1, ${SEED_ROWS}) g`);
  const config = join(dir, 'ficus.cdc.yaml');
  writeFileSync(
    config,
    `source:\n  postgres:\n    url: \${SOURCE_URL}\n    slot: ${slot}\n    publication: ${slot}\n    snapshotChunkRows: 100\n    statusIntervalMs: 300\nsink:\n  postgres:\n    url: \${TARGET_URL}\ntables:\n  - from: public.counters\nbatch: { maxEvents: 25, maxWaitMs: 20 }\n`,
  );

  // Concurrent writes for the whole test: single changes and 40-row transactions.
  let writing = true;
  let next = SEED_ROWS + 1;
  let ops = 0;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const id = 1 + ((i * 7919) % (next - 1));
      if (i % 5 === 0) await src.query(`INSERT INTO counters VALUES ($1, 0, 'new')`, [next++]);
      else if (i % 13 === 0) await src.query('DELETE FROM counters WHERE id = $1', [id]);
      else if (i % 29 === 0) {
        const c = await src.connect();
        try {
          await c.query('BEGIN');
          await c.query(`INSERT INTO counters SELECT g, 0, 'bulk' FROM generate_series($1::int, $2::int) g`, [next, next + 39]);
          next += 40;
          await c.query(`UPDATE counters SET n = n + 1, label = 'bulk-' || n WHERE id BETWEEN $1 AND $2`, [id, id + 40]);
          await c.query('COMMIT');
        } finally {
          c.release();
        }
      } else await src.query(`UPDATE counters SET n = n + 1, label = 'u' || $2 WHERE id = $1`, [id, i]);
      ops++;
      await sleep(2);
    }
  })();

  const offsets = async () =>
    (
      await dst
        .query<{ stream: string; position: { snapshot?: { done: boolean } } }>('SELECT stream, position FROM ficus_offsets ORDER BY stream')
        .catch(() => ({ rows: [] }))
    ).rows;
  const committed = async () => JSON.stringify(await offsets());
  const streaming = async () => JSON.stringify((await offsets()).filter((o) => o.stream === `postgres:${slot}`));
  const snapshotDone = async () => (await offsets()).some((o) => o.position.snapshot?.done === true);
  let kills = 0;
  const states: string[] = [];
  const phases: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const child = runChild(config);
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      const end = Date.now() + 30_000;
      if (round < 2) {
        // Early rounds: kill during the initial snapshot, once it committed a chunk.
        const before = await committed();
        while ((await committed()) === before && Date.now() < end) await sleep(20);
      } else {
        // Later rounds: let the snapshot finish, then kill while streaming, once it committed something new.
        while (!(await snapshotDone()) && Date.now() < end) await sleep(20);
        const before = await streaming();
        while ((await streaming()) === before && Date.now() < end) await sleep(20);
      }
      await sleep(30 + ((round * 137) % 400));
      phases.push((await snapshotDone()) ? 'stream' : 'snapshot');
      child.kill('SIGKILL');
      await exited;
      kills++;
      states.push(await committed());
    }
  } finally {
    writing = false;
    await writer;
  }
  expect(phases).toContain('snapshot');
  expect(phases).toContain('stream');
  expect(kills).toBe(ROUNDS);
  expect(ops).toBeGreaterThan(100);
  // Every round committed something new.
  expect(new Set(states).size).toBe(ROUNDS);

  const final = runChild(config);
  let stderr = '';
  final.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const expected = await rows(src);
    const end = Date.now() + 60_000;
    let actual = await rows(dst);
    while (actual !== expected && Date.now() < end) {
      await sleep(250);
      actual = await rows(dst);
    }
    expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
    const dead = await dst.query('SELECT count(*)::int AS n FROM ficus_dead_letters').catch(() => ({ rows: [{ n: 0 }] }));
    expect(dead.rows[0]).toEqual({ n: 0 });
    // And the proof a user runs: `ficus cdc verify` over the same config agrees, by its in-database checksums.
    const verify = await runVerify(config);
    expect(verify.code).toBe(0);
    const result = JSON.parse(verify.stdout) as { equal: boolean; tables: { status: string; rows: { source: number; target: number }; mismatches: unknown }[] };
    expect(result.equal).toBe(true);
    expect(result.tables.map((t) => t.status)).toEqual(['equal']);
    expect(result.tables[0]?.rows.source).toBe(JSON.parse(expected).length);
  } finally {
    final.kill('SIGTERM');
    await new Promise((r) => final.once('exit', r));
  }
  expect(stderr).toBe('');
}, 240_000);
