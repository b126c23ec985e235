/**
 * Connecting the MySQL/MariaDB sink: its URL (`mysql://user:password@host:3306/database`, or
 * `mariadb://…`; the database is required) to mysql2 pool options, the session every sink
 * connection runs in, the server flavour (which upsert syntax it understands) and reading a
 * target table's columns and unique keys from information_schema.
 *
 * The session: `sql_mode` strict for every table (a value that does not fit is an error, never
 * silently truncated or zeroed) plus PIPES_AS_CONCAT (`||` concatenates, as in the Postgres
 * expressions mappings are written in), and `time_zone = '+00:00'` (TIMESTAMP columns and
 * `now()` in computed columns are UTC; instants are written in UTC).
 */
import type { Connection, PoolOptions, RowDataPacket } from 'mysql2/promise';
import { FicusError, redactUrl } from '../../core/index.js';
import { SinkErrorCode } from './errors.js';
import { splitTable, type MysqlColumn, type MysqlTableInfo, type UpsertSyntax } from './mysql-sql.js';

export const SESSION_SQL =
  "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_IN_DATE,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,PIPES_AS_CONCAT', time_zone = '+00:00'";

function bad(message: string): FicusError {
  return new FicusError(SinkErrorCode.OPTIONS, message, { exitCode: 2 });
}

/** mysql2 pool options for a sink URL; throws CDC_SINK_OPTIONS naming what is wrong. */
export function mysqlPoolOptions(url: string): PoolOptions & { database: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(`sink URL "${redactUrl(url)}" is not a URL; give mysql://user:password@host:3306/database`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw bad(`sink URL "${redactUrl(url)}" has scheme ${u.protocol.replace(/:$/, '')}; give mysql://… or mariadb://…`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw bad(`sink URL "${redactUrl(url)}" names no database; give mysql://user@host:3306/<database>`);
  }
  if ([...u.searchParams.keys()].length > 0) {
    throw bad(
      `sink URL "${redactUrl(url)}" has query parameters (${[...u.searchParams.keys()].join(', ')}); none are supported, give mysql://user:password@host:port/database`,
    );
  }
  const port = u.port === '' ? 3306 : Number(u.port);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port,
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    database,
  };
}

/** Pool settings the sink's own pool uses on top of the URL's. */
export const SINK_POOL_DEFAULTS: PoolOptions = {
  connectionLimit: 2,
  charset: 'utf8mb4',
  // Each distinct statement shape is prepared once per connection; keep the cache (and the server's count) bounded.
  maxPreparedStatements: 128,
  supportBigNumbers: true,
  bigNumberStrings: true,
  dateStrings: true,
  connectTimeout: 10_000,
  enableKeepAlive: true,
};

/** `alias` (`… AS ficus_new ON DUPLICATE KEY UPDATE c = ficus_new.c`) for MySQL ≥ 8.0.19, `values` (`VALUES(c)`) for MariaDB and older MySQL. */
export function upsertSyntaxFor(version: string): UpsertSyntax {
  if (/mariadb/i.test(version)) return 'values';
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return 'values';
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return major > 8 || (major === 8 && (minor > 0 || patch >= 19)) ? 'alias' : 'values';
}

/** The server's version string and the upsert syntax it understands. */
export async function serverFlavour(conn: Connection): Promise<{ version: string; syntax: UpsertSyntax }> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS version');
  const version = String(rows[0]?.version ?? '');
  return { version, syntax: upsertSyntaxFor(version) };
}

/** The current database of a connection (for pools handed in without a `database`). */
export async function currentDatabase(conn: Connection): Promise<string | null> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT DATABASE() AS db');
  const db = rows[0]?.db;
  return typeof db === 'string' && db !== '' ? db : null;
}

/** Columns and unique keys of a target table; throws CDC_SINK_SCHEMA when the table does not exist. */
export async function readTableInfo(conn: Connection, table: string, database: string): Promise<MysqlTableInfo> {
  const t = splitTable(table, database);
  const shown = `${t.database}.${t.table}`;
  const [cols] = await conn.execute<RowDataPacket[]>(
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [t.database, t.table],
  );
  if (cols.length === 0) {
    throw new FicusError(SinkErrorCode.SCHEMA, `target table ${shown} does not exist; create it or fix tables[].to (schema.table names database.table)`, {
      details: { table },
    });
  }
  const [idx] = await conn.execute<RowDataPacket[]>(
    'SELECT INDEX_NAME AS idx, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX',
    [t.database, t.table],
  );
  const keys = new Map<string, string[]>();
  for (const r of idx) {
    const name = String(r.idx);
    const list = keys.get(name) ?? [];
    list.push(String(r.col).toLowerCase());
    keys.set(name, list);
  }
  const columns = new Map<string, MysqlColumn>(
    cols.map((c) => [String(c.name).toLowerCase(), { name: String(c.name), dataType: String(c.type).toLowerCase() }]),
  );
  return { table: shown, columns, uniqueKeys: [...keys.values()] };
}
