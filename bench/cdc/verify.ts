/**
 * Verify benchmark: `ficus cdc verify` of an N-row table against the plain checksum a DBA
 * would run by hand, `SELECT count(*), sum(hashtext(t::text)) FROM t` over the source and then
 * the target table. Source and target are two databases on the local server; the target holds
 * the source rows through a mapping with a rename, a dropped column, an expression
 * (amount_cents → round(value / 100.0, 2)), a coercion (text → integer) and a computed column.
 * Runs are interleaved (baseline, verify, verify, baseline, …) so drift hits both alike; the
 * issue's goal is verify ≤ 1.5 × the baseline at 1M rows. The baseline with both queries at
 * once is shown too (verify aggregates the two sides concurrently).
 *
 * Usage: node dist/bench/cdc/verify.js [--rows 1000000] [--reps 5] [--chunk-rows 10000] [--dry]
 *   --dry: print the table, leave bench/RESULTS.md alone.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { parseCdcConfig, verifyCdc } from '../../cdc/index.js';
import { median, writeResultsBlock } from '../common/processes.js';
import { runMain } from '../common/main.js';

const ADMIN = process.env.FICUS_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function urlFor(db: string): string {
  const u = new URL(ADMIN);
  u.pathname = `/${db}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const ROWS_SQL = (n: number) => `generate_series(1, ${n}) i`;

async function fill(source: pg.Pool, target: pg.Pool, n: number): Promise<void> {
  await source.query(`CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, status text, title text, amount_cents integer,
    quantity text, note text, created_at timestamptz, attrs jsonb)`);
  await source.query(`INSERT INTO orders SELECT i, i % 5000, (ARRAY['new','paid','sent','done'])[1 + i % 4], 'order ' || i || ' for customer ' || (i % 5000),
    (i::bigint * 7919) % 1000000, (1 + i % 20)::text, 'internal ' || i, timestamptz '2024-01-01 00:00:00+00' + i * interval '1.5 seconds',
    jsonb_build_object('channel', (ARRAY['web','app','phone'])[1 + i % 3], 'gift', i % 7 = 0) FROM ${ROWS_SQL(n)}`);
  await target.query(`CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer, state text, title text, amount numeric(12,2),
    quantity integer, created_at timestamptz, attrs jsonb, synced_at timestamptz)`);
  await target.query(`INSERT INTO orders SELECT i, i % 5000, (ARRAY['new','paid','sent','done'])[1 + i % 4], 'order ' || i || ' for customer ' || (i % 5000),
    round(((i::bigint * 7919) % 1000000)::numeric(12,2) / 100.0, 2), 1 + i % 20, timestamptz '2024-01-01 00:00:00+00' + i * interval '1.5 seconds',
    jsonb_build_object('channel', (ARRAY['web','app','phone'])[1 + i % 3], 'gift', i % 7 = 0), now() FROM ${ROWS_SQL(n)}`);
  await Promise.all([source.query('VACUUM ANALYZE orders'), target.query('VACUUM ANALYZE orders')]);
}

const BASELINE = 'SELECT count(*), sum(hashtext(t::text)) FROM orders AS t';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rows: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '5' }, 'chunk-rows': { type: 'string', default: '10000' }, dry: { type: 'boolean', default: false } },
  });
  const n = Number(values.rows);
  const reps = Number(values.reps);
  const chunkRows = Number(values['chunk-rows']);
  const stamp = `${process.pid}_${Date.now().toString(36)}`;
  const names = [`bench_verify_src_${stamp}`, `bench_verify_tgt_${stamp}`] as const;
  for (const db of names) await admin(`CREATE DATABASE "${db}"`);
  const source = new pg.Pool({ connectionString: urlFor(names[0]), max: 2 });
  const target = new pg.Pool({ connectionString: urlFor(names[1]), max: 2 });
  try {
    process.stderr.write(`filling ${n.toLocaleString('en-US')} rows on each side…\n`);
    await fill(source, target, n);
    const config = parseCdcConfig(`
source: { postgres: { url: "${urlFor(names[0])}" } }
sink: { postgres: { url: "${urlFor(names[1])}" } }
verify: { chunkRows: ${chunkRows}, recheckAfterMs: 0 }
tables:
  - from: orders
    columns:
      status: state
      amount_cents: { to: amount, expr: "round(value / 100.0, 2)" }
      quantity: { type: integer }
      note: null
    computed: { synced_at: "now()" }
`);
    const baseline = async (): Promise<number> => {
      const t = performance.now();
      await source.query(BASELINE);
      await target.query(BASELINE);
      return performance.now() - t;
    };
    const parallel = async (): Promise<number> => {
      const t = performance.now();
      await Promise.all([source.query(BASELINE), target.query(BASELINE)]);
      return performance.now() - t;
    };
    const verify = async (): Promise<number> => {
      const t = performance.now();
      const r = await verifyCdc({ config });
      if (!r.equal) throw new Error(`verify found differences in identical tables: ${JSON.stringify(r.tables[0]?.mismatches).slice(0, 500)}`);
      return performance.now() - t;
    };
    await baseline();
    await verify();
    const times = { baseline: [] as number[], parallel: [] as number[], verify: [] as number[] };
    for (let i = 0; i < reps; i++) {
      const order = i % 2 === 0 ? (['baseline', 'verify', 'parallel'] as const) : (['verify', 'parallel', 'baseline'] as const);
      for (const kind of order) times[kind].push(await (kind === 'baseline' ? baseline() : kind === 'parallel' ? parallel() : verify()));
      process.stderr.write(`rep ${i + 1}: baseline ${times.baseline.at(-1)!.toFixed(0)} ms, verify ${times.verify.at(-1)!.toFixed(0)} ms, parallel baseline ${times.parallel.at(-1)!.toFixed(0)} ms\n`);
    }
    const b = median(times.baseline);
    const p = median(times.parallel);
    const v = median(times.verify);
    const table = [
      '| rows | chunk rows | baseline (source then target) | baseline (both at once) | ficus cdc verify | verify / baseline | verify / both at once | goal |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${n.toLocaleString('en-US')} | ${chunkRows.toLocaleString('en-US')} | ${b.toFixed(0)} ms | ${p.toFixed(0)} ms | ${v.toFixed(0)} ms | ${(v / b).toFixed(2)} | ${(v / p).toFixed(2)} | ≤ 1.5 |`,
    ].join('\n');
    process.stdout.write(`${table}\n`);
    if (!values.dry) {
      await writeResultsBlock(
        'cdc-verify',
        `${table}\n\nReproduce: \`npm run bench -- cdc-verify --rows ${n} --reps ${reps} --chunk-rows ${chunkRows}\` (${new Date().toISOString().slice(0, 10)}, medians of ${reps} interleaved runs).`,
      );
    }
  } finally {
    await source.end();
    await target.end();
    for (const db of names) await admin(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  }
}

await runMain(main, import.meta.url);
