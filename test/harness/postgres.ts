/**
 * Per-test-file Postgres databases on the machine's server (127.0.0.1:5432, user postgres,
 * trust auth). Each call creates a fresh database and returns its URL and a `drop()` that
 * removes it (terminating leftover connections first).
 *
 * @example
 *   const db = await createTestDatabase('shop');
 *   afterAll(() => db.drop());
 *   const pool = new pg.Pool({ connectionString: db.url });
 */
import pg from 'pg';
import { MissingServiceError, uniqueName } from './services.js';

export const PG_ADMIN_URL = process.env.FICUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new MissingServiceError(
      `Postgres at ${PG_ADMIN_URL}`,
      "start it with 'pg_ctlcluster --skip-systemctl-redirect 15 main start' (or run bash .ci/run)",
      err,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'ficus'): Promise<TestDatabase> {
  const name = uniqueName(`t_${prefix}`).slice(0, 63);
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      admin(async (c) => {
        // pg's pool.end() resolves once it has asked its connections to close, not once they have:
        // a backend the loaded machine has not yet scheduled still holds the database, and
        // terminating it then sends an error to a client that is closing, which its pool emits
        // (uncaught in a test pool without an 'error' listener). So give those a moment first.
        const others = 'FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()';
        for (let waited = 0; waited < 3000; waited += 50) {
          const left = await c.query<{ n: number }>(`SELECT count(*)::int AS n ${others}`, [name]);
          if ((left.rows[0]?.n ?? 0) === 0) break;
          await new Promise((r) => setTimeout(r, 50));
        }
        await c.query(`SELECT pg_terminate_backend(pid) ${others}`, [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
}

/** The server's wal_level; logical decoding tests need 'logical'. */
export async function walLevel(): Promise<string> {
  return admin(async (c) => {
    const r = await c.query<{ wal_level: string }>('SHOW wal_level');
    return r.rows[0]?.wal_level ?? 'unknown';
  });
}
