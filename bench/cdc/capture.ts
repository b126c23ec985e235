/**
 * Capture benchmark of the built-in Postgres source, side by side in one run on the same WAL:
 *   test_decoding   `SELECT count(*) FROM pg_logical_slot_get_changes(slot, NULL, NULL)` — the
 *                   server decoding alone, nothing leaves the server (the raw rate to compare to)
 *   ficus           the built-in source (cdc/sources/postgres): pgoutput over the replication
 *                   protocol, every change decoded into a ChangeEvent with JS values, handed to
 *                   a handler that only counts; timed from the end of its one-off setup (catalog,
 *                   publication and slot checks: `start()` resolved), so from opening the
 *                   replication connection to the last change
 *   ficus_eager     the same with `readCoalesceMs: 0`: each read taken in at once (what the
 *                   default 1 ms wait after a small read saves, cdc/sources/postgres/coalesce.ts)
 *   plr             pg-logical-replication's PgoutputPlugin with its own parser, for reference
 *   pg_recvlogical  Postgres's own C client streaming the same slot to /dev/null: the ceiling of
 *                   the replication protocol itself (walsender, one CopyData message per change)
 * Besides wall time, the CPU time of the server process (the backend running the SQL function,
 * or the walsender) and of the client is read from /proc, and a capacity ratio computed from
 * it: on a shared 2-core machine a streaming pair (walsender + client) waits for CPU twice
 * where the SQL function needs one process, so wall-clock ratios swing with the machine's load.
 * Each repetition writes the workload once (a fresh table; inserts, updates, deletes in
 * 1000-row transactions, `--rows` changes in all) with one slot per variant created before it,
 * then lets each variant decode it (order rotated), and drops the slots. Medians of rows/s
 * and the ratio to test_decoding go to bench/RESULTS.md between the cdc-capture markers.
 *
 * Usage: node dist/bench/cdc/capture.js [--rows 200000] [--reps 3] [--variants test_decoding,ficus,ficus_eager,plr,pg_recvlogical]
 *        [--pg postgres://postgres@127.0.0.1:5432/postgres] [--no-write]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { createPostgresSource } from '../../cdc/sources/postgres/source.js';
import { runMain } from '../common/main.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
type Variant = 'test_decoding' | 'ficus' | 'ficus_eager' | 'plr' | 'pg_recvlogical';
const VARIANTS: readonly Variant[] = ['test_decoding', 'ficus', 'ficus_eager', 'plr', 'pg_recvlogical'];

/** One variant's run: wall time, and CPU time of the server process (backend or walsender) and of the client. */
interface Run {
  readonly ms: number;
  readonly serverCpuMs: number | null;
  readonly clientCpuMs: number | null;
}

/** utime + stime of a process, in ms (Linux /proc, 100 ticks/s). */
function cpuMs(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const clientCpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function walsenderPid(pool: pg.Pool, slot: string): Promise<number | null> {
  const r = await pool.query<{ pid: number | null }>('SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  return r.rows[0]?.pid ?? null;
}
const TABLE_SQL = `CREATE TABLE orders (
  id integer PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL, title text NOT NULL, amount numeric(12,2) NOT NULL,
  quantity integer NOT NULL, discount float8 NOT NULL, active boolean NOT NULL, created timestamptz NOT NULL, updated timestamptz NOT NULL)`;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** `rows` changes: 60 % inserts, 30 % updates, 10 % deletes, in 1000-row transactions. */
async function workload(pool: pg.Pool, rows: number): Promise<number> {
  const inserts = Math.round(rows * 0.6);
  const updates = Math.round(rows * 0.3);
  const deletes = rows - inserts - updates;
  const step = 1000;
  for (let from = 1; from <= inserts; from += step) {
    const to = Math.min(inserts, from + step - 1);
    await pool.query(
      `INSERT INTO orders SELECT g, g % 5000, (ARRAY['new','paid','shipped'])[1 + g % 3], 'order number ' || g, (g % 100000) / 100.0, 1 + g % 9, (g % 7) / 10.0, g % 2 = 0,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', now() FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );
  }
  for (let from = 1; from <= updates; from += step) {
    await pool.query(`UPDATE orders SET status = 'paid', amount = amount + 1, updated = now() WHERE id BETWEEN $1 AND $2`, [
      from,
      Math.min(updates, from + step - 1),
    ]);
  }
  for (let from = inserts - deletes + 1; from <= inserts; from += step) {
    await pool.query('DELETE FROM orders WHERE id BETWEEN $1 AND $2', [from, Math.min(inserts, from + step - 1)]);
  }
  return inserts + updates + deletes;
}

/** Drops a slot, waiting for a walsender that is going away to let go of it. */
async function dropSlot(pool: pg.Pool, slot: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.query('SELECT pg_drop_replication_slot($1)', [slot]);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function testDecoding(url: string, slot: string, expected: number): Promise<Run> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const cpu0 = cpuMs(pid);
    const started = performance.now();
    const r = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_logical_slot_get_changes($1, NULL, NULL)', [slot]);
    const ms = performance.now() - started;
    const cpu1 = cpuMs(pid);
    // Every change, plus a BEGIN and a COMMIT line per transaction.
    if (Number(r.rows[0]?.n) < expected) throw new Error(`test_decoding returned ${r.rows[0]?.n} lines for ${expected} changes`);
    return { ms, serverCpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, clientCpuMs: 0 };
  } finally {
    await c.end();
  }
}

async function ficus(pool: pg.Pool, url: string, slot: string, expected: number, readCoalesceMs: number): Promise<Run> {
  let count = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const source = createPostgresSource({ url, slot, publication: slot, tables: ['public.orders'], snapshot: 'never', positions: async () => new Map(), readCoalesceMs });
  const begun = performance.now();
  await source.start(async (batch) => {
    if (!('decoded' in batch)) return;
    for (const m of batch.decoded) if (m.kind === 'change') count++;
    if (count >= expected) done();
  });
  // Setup (catalog, publication, slot checks) is done once per process: the rate counts from here,
  // the replication connection and START_REPLICATION included.
  const started = performance.now();
  const cpu0 = clientCpu();
  await all;
  const ms = performance.now() - started;
  const clientCpuMs = clientCpu() - cpu0;
  const serverCpuMs = cpuMs(await walsenderPid(pool, slot));
  if (process.env.BENCH_DEBUG) process.stderr.write(`  ficus: setup ${(started - begun).toFixed(0)} ms\n`);
  await source.stop();
  return { ms, serverCpuMs, clientCpuMs };
}

async function plr(pool: pg.Pool, url: string, slot: string, expected: number): Promise<Run> {
  const service = new LogicalReplicationService({ connectionString: url }, { acknowledge: { auto: true, timeoutSeconds: 10 } });
  const plugin = new PgoutputPlugin({ protoVersion: 1, publicationNames: [slot] });
  let count = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  service.on('data', (_lsn: string, m: { tag: string }) => {
    if (m.tag === 'insert' || m.tag === 'update' || m.tag === 'delete') count++;
    if (count >= expected) done();
  });
  const cpu0 = clientCpu();
  const started = performance.now();
  service.subscribe(plugin, slot).catch(() => undefined);
  await all;
  const ms = performance.now() - started;
  const clientCpuMs = clientCpu() - cpu0;
  const serverCpuMs = cpuMs(await walsenderPid(pool, slot));
  await service.stop();
  return { ms, serverCpuMs, clientCpuMs };
}

/** The replication protocol's own ceiling: Postgres's C client streaming the slot to /dev/null. */
async function recvlogical(pool: pg.Pool, url: string, slot: string): Promise<Run> {
  const end = (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]?.lsn ?? '0/0';
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), '-d', u.pathname.slice(1), '-S', slot, '--start'];
  args.push('-o', 'proto_version=1', '-o', `publication_names=${slot}`, '-E', end, '-f', '/dev/null', '--no-loop');
  const started = performance.now();
  let serverCpuMs: number | null = null;
  const child = spawn('pg_recvlogical', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Sample the walsender's CPU until it exits: the last sample is its total.
  const sampler = setInterval(() => {
    void walsenderPid(pool, slot).then((pid) => {
      const cpu = cpuMs(pid);
      if (cpu !== null) serverCpuMs = cpu;
    });
  }, 20);
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`pg_recvlogical exited with ${code}: ${stderr.trim()}`);
  return { ms: performance.now() - started, serverCpuMs, clientCpuMs: null };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '200000' },
      reps: { type: 'string', default: '3' },
      variants: { type: 'string', default: VARIANTS.join(',') },
      pg: { type: 'string', default: process.env.FICUS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const rows = Number(values.rows);
  const reps = Number(values.reps);
  const variants = values.variants.split(',').filter((v): v is Variant => (VARIANTS as readonly string[]).includes(v));
  if (!variants.includes('test_decoding')) variants.unshift('test_decoding');
  const name = `ficus_bench_capture_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(values.pg, `CREATE DATABASE "${name}"`);
  const u = new URL(values.pg);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const runs = new Map<Variant, Run[]>(variants.map((v) => [v, []]));
  const slots: string[] = [];
  try {
    for (let rep = 0; rep < reps; rep++) {
      await pool.query('DROP TABLE IF EXISTS orders');
      await pool.query(TABLE_SQL);
      const slotOf = (v: Variant) => `bench_${v}_${process.pid}_${rep}`;
      for (const v of variants) {
        const slot = slotOf(v);
        if (v !== 'test_decoding') await pool.query(`CREATE PUBLICATION ${slot} FOR TABLE orders`);
        await pool.query('SELECT pg_create_logical_replication_slot($1, $2)', [slot, v === 'test_decoding' ? 'test_decoding' : 'pgoutput']);
        slots.push(slot);
      }
      const expected = await workload(pool, rows);
      const order = variants.map((_v, i) => variants[(i + rep) % variants.length] as Variant);
      for (const v of order) {
        const slot = slotOf(v);
        const run =
          v === 'test_decoding'
            ? await testDecoding(url, slot, expected)
            : v === 'ficus' || v === 'ficus_eager'
              ? await ficus(pool, url, slot, expected, v === 'ficus' ? 1 : 0)
              : v === 'plr'
                ? await plr(pool, url, slot, expected)
                : await recvlogical(pool, url, slot);
        runs.get(v)?.push(run);
        process.stderr.write(
          `rep ${rep + 1}/${reps} ${v}: ${(run.ms / 1000).toFixed(2)} s, ${Math.round(expected / (run.ms / 1000))} rows/s, CPU server ${run.serverCpuMs ?? '?'} ms client ${run.clientCpuMs === null ? '?' : Math.round(run.clientCpuMs)} ms\n`,
        );
        await dropSlot(pool, slot);
        slots.splice(slots.indexOf(slot), 1);
        if (v !== 'test_decoding') await pool.query(`DROP PUBLICATION ${slot}`);
      }
    }
  } finally {
    for (const slot of slots) await dropSlot(pool, slot).catch(() => undefined);
    await pool.end();
    await adminQuery(values.pg, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
    await adminQuery(values.pg, `DROP DATABASE IF EXISTS "${name}"`);
  }
  const rateOf = (v: Variant): number => rows / (median((runs.get(v) ?? []).map((r) => r.ms)) / 1000);
  /** CPU µs per change, server and client together (null when a part was not measured). */
  const cpuOf = (v: Variant): number | null => {
    const totals = (runs.get(v) ?? []).map((r) => (r.serverCpuMs === null || r.clientCpuMs === null ? null : r.serverCpuMs + r.clientCpuMs));
    if (totals.some((t) => t === null)) return null;
    return (median(totals as number[]) * 1000) / rows;
  };
  const base = rateOf('test_decoding');
  const baseCpu = cpuOf('test_decoding');
  const lines = [
    '| variant | changes | median s | median rows/s | range rows/s | rate × test_decoding | server CPU µs/row | client CPU µs/row | capacity × test_decoding |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map((v) => {
      const rs = runs.get(v) ?? [];
      const rate = rateOf(v);
      const rates = rs.map((r) => Math.round(rows / (r.ms / 1000)));
      const server = rs.every((r) => r.serverCpuMs !== null) ? ((median(rs.map((r) => r.serverCpuMs as number)) * 1000) / rows).toFixed(1) : '';
      const client = rs.every((r) => r.clientCpuMs !== null) ? ((median(rs.map((r) => r.clientCpuMs as number)) * 1000) / rows).toFixed(1) : '';
      const cpu = cpuOf(v);
      const capacity = cpu && baseCpu ? (baseCpu / cpu).toFixed(2) : '';
      return `| ${v} | ${rows} | ${(median(rs.map((r) => r.ms)) / 1000).toFixed(2)} | ${Math.round(rate)} | ${Math.min(...rates)}–${Math.max(...rates)} | ${(rate / base).toFixed(2)} | ${server} | ${client} | ${capacity} |`;
    }),
  ];
  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);
  if (values['no-write']) return;
  const file = join(ROOT, 'bench', 'RESULTS.md');
  const begin = '<!-- cdc-capture:begin -->';
  const end = '<!-- cdc-capture:end -->';
  const section = `${begin}\n${table}\n\nReproduce: \`npm run bench -- cdc-capture --rows ${rows} --reps ${reps}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}).\n${end}`;
  const text = await readFile(file, 'utf8');
  const next = text.includes(begin)
    ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), section)
    : `${text.trimEnd()}\n\n## CDC capture: the built-in Postgres source vs test_decoding\n\nGoal (issue 8): capture rate ≥ 0.7 × pg_logical_slot_get_changes with test_decoding on the same workload.\n\n${section}\n`;
  await writeFile(file, next);
}

await runMain(main, import.meta.url);
