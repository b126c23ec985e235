/**
 * Per-test-file MariaDB/MySQL databases on the machine's server (127.0.0.1:3306, user root,
 * no password; FICUS_TEST_MYSQL_URL overrides). Each call creates a fresh database
 * `t_<prefix>_<unique>` (utf8mb4) and returns its URL and a `drop()` that removes it (killing
 * leftover connections to it first).
 *
 * @example
 *   const db = await createMysqlTestDatabase('sink');
 *   afterAll(() => db.drop());
 *   const pool = mysql.createPool(db.url);
 */
import mysql from 'mysql2/promise';
import { MissingServiceError, uniqueName } from './services.js';

export const MYSQL_ADMIN_URL = process.env.FICUS_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/mysql';

export interface MysqlTestDatabase {
  readonly name: string;
  /** `mysql://root@127.0.0.1:3306/<name>` */
  readonly url: string;
  drop(): Promise<void>;
}

function urlFor(database: string): string {
  const u = new URL(MYSQL_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `fn` on a fresh root connection to the server; a server that does not answer is a MissingServiceError. */
export async function mysqlAdmin<T>(fn: (conn: mysql.Connection) => Promise<T>): Promise<T> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 5000 });
  } catch (err) {
    throw new MissingServiceError(
      `MariaDB at ${MYSQL_ADMIN_URL}`,
      "start it with 'service mariadb start' (or 'mysqld_safe &'), or set FICUS_TEST_MYSQL_URL (or run bash .ci/run)",
      err,
    );
  }
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

export async function createMysqlTestDatabase(prefix = 'ficus'): Promise<MysqlTestDatabase> {
  const name = uniqueName(`t_ficus_${prefix}`).slice(0, 64);
  await mysqlAdmin((c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`));
  return {
    name,
    url: urlFor(name),
    drop: () =>
      mysqlAdmin(async (c) => {
        const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()', [
          name,
        ]);
        for (const r of rows) await c.query(`KILL CONNECTION ${Number(r.id)}`).catch(() => undefined);
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      }),
  };
}
