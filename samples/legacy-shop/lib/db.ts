// Database access for the whole shop: pg.Pool when a URL is given, in-memory PGlite otherwise.
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** Anything that runs one parameterised statement: the Db itself or an open transaction. */
export interface Queryable {
  query<T = any>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs a script of several statements without parameters (schema files). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function fromPool(pool: pg.Pool): Db {
  let closed = false;
  // an idle connection dropped by the server must not crash the process; the pool replaces it
  pool.on('error', (err) => {
    if (!closed) console.error(JSON.stringify({ time: new Date().toISOString(), level: 'warn', name: 'legacy-shop:db', msg: 'idle connection lost', err: err.message }));
  });
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) => {
    const res = await client.query(sql, params as any[] | undefined);
    return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
  };
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      closed = true;
      await pool.end();
    },
  };
}

function fromPglite(lite: PGlite): Db {
  const normalise = <T>(res: { rows: unknown[]; affectedRows?: number }): QueryResult<T> => ({
    rows: res.rows as T[],
    rowCount: res.affectedRows || res.rows.length,
  });
  return {
    kind: 'pglite',
    query: async (sql, params) => normalise(await lite.query(sql, params)),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) => lite.transaction((tx) => fn({ query: async (sql, params) => normalise(await tx.query(sql, params)) })),
    close: () => lite.close(),
  };
}

/**
 * Opens the shop database.
 * @example const db = await openDatabase(process.env.DATABASE_URL); // undefined → embedded PGlite
 */
export async function openDatabase(url?: string): Promise<Db> {
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    try {
      await pool.query('SELECT 1'); // fail fast on a bad URL
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return fromPool(pool);
  }
  const lite = new PGlite();
  await lite.waitReady;
  return fromPglite(lite);
}

/** Legacy helper kept because half the repositories still call it. */
export async function queryOne<T = any>(db: Queryable, sql: string, params?: unknown[]): Promise<T | undefined> {
  const res = await db.query<T>(sql, params);
  return res.rows[0];
}
