/**
 * The catalog service's one database port: `openDatabase(url?)` gives a tiny `Database`
 * (`query`, `exec`, `close`) over a real Postgres pool when a URL is given, or over an embedded
 * in-memory PGlite otherwise, so the service runs with or without a server. Repositories only
 * see this interface.
 *
 * @example
 *   const db = await openDatabase(process.env.DATABASE_URL); // undefined → PGlite
 *   const { rows } = await db.query<{ n: number }>('SELECT 1::int AS n');
 */
import pg from 'pg';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Database {
  /** Which engine answers: a Postgres server or the embedded PGlite. */
  readonly kind: 'postgres' | 'pglite';
  /** One parameterised statement ($1, $2, …). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements without parameters (schema scripts). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  let closed = false;
  // An idle connection the server drops must not crash the service; the pool replaces it.
  pool.on('error', (err) => {
    if (!closed) console.error(JSON.stringify({ time: new Date().toISOString(), level: 'warn', name: 'catalog-service:db', msg: 'idle connection lost', err: err.message }));
  });
  return {
    kind: 'postgres',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await pool.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    close: () => {
      closed = true;
      return pool.end();
    },
  };
}

async function openPglite(): Promise<Database> {
  // Loaded lazily: the WASM build is only needed when no server is configured.
  const { PGlite } = await import('@electric-sql/pglite');
  const lite = await PGlite.create();
  return {
    kind: 'pglite',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await lite.query<R>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
    async exec(sql: string) {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}

/** Opens Postgres at `url` (checked with one round trip), or an in-memory PGlite without one. */
export async function openDatabase(url?: string): Promise<Database> {
  if (url === undefined || url === '') return openPglite();
  const db = openPostgres(url);
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** The SQLSTATE of a database error from either engine, if it has one. */
export function sqlState(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string') return err.code;
  return undefined;
}
