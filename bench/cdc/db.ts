/**
 * The benchmark's database: a fresh one per run on the machine's Postgres, with the target
 * table of the pipeline, the tables of the plain-script baselines and the expected final
 * state (loaded by COPY from the generator's own text forms), and the check that a table
 * holds exactly the expected rows.
 */
import pg from 'pg';
import { copyIn } from './copy-in.js';
import { copyLine, TABLE_SQL, type OrderRow } from './events.js';

export interface BenchDatabase {
  readonly url: string;
  readonly pool: pg.Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(adminUrl: string): Promise<BenchDatabase> {
  const name = `ficus_bench_cdc_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: 3 });
  return {
    url: u.toString(),
    pool,
    drop: async () => {
      await pool.end();
      await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`);
      await admin(`DROP DATABASE IF EXISTS "${name}"`);
    },
  };
}

export async function createTables(pool: pg.Pool, names: readonly string[]): Promise<void> {
  for (const n of names) await pool.query(TABLE_SQL(n));
}

export async function loadExpected(pool: pg.Pool, table: string, rows: Iterable<OrderRow>): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query(`TRUNCATE ${table}`);
    const lines: string[] = [];
    for (const r of rows) lines.push(copyLine(r));
    return await copyIn(client, `COPY ${table} FROM STDIN`, lines.join(''));
  } finally {
    client.release();
  }
}

/** Rows of `table` not in `expected` plus rows of `expected` not in `table` (0 = equal), and the row count. */
export async function compareTables(pool: pg.Pool, table: string, expected: string): Promise<{ differing: number; rows: number }> {
  const r = await pool.query<{ differing: string; rows: string }>(
    `SELECT (SELECT count(*) FROM ((TABLE ${table} EXCEPT ALL TABLE ${expected}) UNION ALL (TABLE ${expected} EXCEPT ALL TABLE ${table})) d) AS differing,
            (SELECT count(*) FROM ${table}) AS rows`,
  );
  return { differing: Number(r.rows[0]?.differing), rows: Number(r.rows[0]?.rows) };
}

export async function assertEqual(pool: pg.Pool, table: string, expected: string, what: string): Promise<number> {
  const c = await compareTables(pool, table, expected);
  if (c.differing !== 0) throw new Error(`${what}: the target differs from the expected state in ${c.differing} rows (${c.rows} rows in ${table})`);
  return c.rows;
}
