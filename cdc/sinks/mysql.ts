/**
 * The MySQL/MariaDB sink (mysql2/promise pool, InnoDB targets): applies a batch of mapped
 * changes in ONE transaction — collapsed per key (collapse.ts), then per target table a
 * `DELETE FROM` for a truncate (opt-in; TRUNCATE would commit implicitly), deletes batched by
 * key, and multi-row `INSERT … ON DUPLICATE KEY UPDATE` per column set (mysql-sql.ts) — and
 * upserts the consumed positions into the offsets table in the same transaction. The offsets
 * and dead-letter tables are created when missing (InnoDB, utf8mb4).
 *
 * Failures (mysql-errors.ts): deadlocks, lock wait timeouts and lost connections reject with a
 * retriable FicusError (nothing was committed; retry the batch). A data error (strict-mode
 * value errors, SQLSTATE 22/23) rolls back to a savepoint and the batch is applied change by
 * change, each under its own savepoint; the failing ones go to the dead-letter table with
 * their reason, the others apply, all in the same transaction as the offsets. Schema
 * mismatches (missing table or column, no unique index on the key) reject, not retriable.
 *
 * Differences from the Postgres sink: a `schema.table` target is `database.table`;
 * `ON DUPLICATE KEY UPDATE` fires on ANY unique index of the table, not only the key's; mapping
 * expressions are sent as written, so they must be valid MySQL.
 *
 * @example
 *   const sink = await openMysqlSink({ url: 'mysql://ficus@127.0.0.1:3306/catalog', logger });
 *   const resume = await sink.lastPositions();
 *   await sink.apply({ changes, positions });
 */
import mysql from 'mysql2/promise';
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import type { Position } from '../model.js';
import { loadMysqlOffsets, lockMysqlOffsets, mysqlOffsetsTableSql, saveMysqlOffsets } from '../offsets/mysql.js';
import type { TargetChange } from '../transform/types.js';
import { collapse } from './collapse.js';
import { SinkErrorCode } from './errors.js';
import { currentDatabase, mysqlPoolOptions, readTableInfo, serverFlavour, SESSION_SQL, SINK_POOL_DEFAULTS } from './mysql-connect.js';
import { classifyMysqlError, mysqlSinkError } from './mysql-errors.js';
import { deleteStatements, qualify, upsertSignature, upsertStatements, type MysqlTableInfo, type Statement } from './mysql-sql.js';
import { jsonText } from './mysql-values.js';
import type { ApplyResult, DeadLetter, Sink, SinkBatch } from './types.js';
import { deadLetterOf as sharedDeadLetter, groupBy } from './letters.js';
import { fence, kafkaStreams } from './fence.js';

export interface MysqlSinkOptions {
  /** `mysql://user:password@host:3306/database` (or `mariadb://…`); or pass `pool`. */
  readonly url?: string;
  /** A mysql2/promise pool to use (not ended by close()). */
  readonly pool?: mysql.Pool;
  /** Database for unqualified target tables (default: the URL's, or the pool's current database). */
  readonly database?: string;
  readonly offsetsTable?: string;
  readonly deadLetterTable?: string;
  readonly logger?: Logger;
  /** Test seam: runs inside the transaction right before COMMIT, with the server connection id. */
  readonly beforeCommit?: (ctx: { threadId: number }) => Promise<void>;
}

export interface MysqlSink extends Sink {
  /** Columns and unique keys of a target table, as the sink sees them (cached). */
  tableInfo(table: string): Promise<MysqlTableInfo>;
  /** The server's VERSION(), e.g. `10.11.6-MariaDB`. */
  readonly serverVersion: string;
}

function deadLetterTableSql(qualified: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified} (
  id            bigint NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at            datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  source_table  varchar(255),
  target_table  varchar(255),
  position      json NOT NULL,
  code          varchar(255),
  reason        mediumtext NOT NULL,
  event         json
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

function deadLetterOf(change: TargetChange, err: unknown): DeadLetter {
  return sharedDeadLetter(change, mysqlSinkError(err, `applying a ${change.kind} to ${change.table}`), 'errno');
}

export async function openMysqlSink(options: MysqlSinkOptions): Promise<MysqlSink> {
  if (!options.pool && !options.url) {
    throw new FicusError(SinkErrorCode.OPTIONS, 'openMysqlSink needs a url (mysql://user@host:3306/database) or a pool', { exitCode: 2 });
  }
  const urlOptions = options.url && !options.pool ? mysqlPoolOptions(options.url) : undefined;
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'sink.mysql' });
  const ownPool = !options.pool;
  const pool = options.pool ?? mysql.createPool({ ...SINK_POOL_DEFAULTS, ...urlOptions });
  const ready = new WeakSet<object>();
  const infos = new Map<string, MysqlTableInfo>();
  let closed = false;

  async function connection(): Promise<mysql.PoolConnection> {
    const conn = await pool.getConnection();
    if (!ready.has(conn.connection)) {
      try {
        await conn.query(SESSION_SQL);
      } catch (err) {
        conn.destroy();
        throw err;
      }
      // An idle connection whose server side dies emits 'error'; keep a listener so it never goes unhandled.
      conn.connection.on('error', (err: Error) => log.warn({ err: err.message }, 'connection lost'));
      ready.add(conn.connection);
    }
    return conn;
  }

  let database: string;
  let offsets: string;
  let deadLetters: string;
  let flavour: { version: string; syntax: 'values' | 'alias' };
  try {
    const conn = await connection();
    try {
      const db = options.database ?? urlOptions?.database ?? (await currentDatabase(conn));
      if (!db) throw new FicusError(SinkErrorCode.OPTIONS, 'openMysqlSink: the pool has no current database; pass database', { exitCode: 2 });
      database = db;
      offsets = qualify(options.offsetsTable ?? 'ficus_offsets', database);
      deadLetters = qualify(options.deadLetterTable ?? 'ficus_dead_letters', database);
      flavour = await serverFlavour(conn);
      await conn.query(mysqlOffsetsTableSql(offsets));
      await conn.query(deadLetterTableSql(deadLetters));
    } finally {
      conn.release();
    }
  } catch (err) {
    if (ownPool) await pool.end().catch(() => undefined);
    throw mysqlSinkError(err, 'preparing the offsets and dead-letter tables');
  }
  log.debug({ version: flavour.version, upsert: flavour.syntax, database }, 'MySQL sink open');

  async function tableInfo(table: string, conn: mysql.Connection = pool): Promise<MysqlTableInfo> {
    const cached = infos.get(table);
    if (cached) return cached;
    const info = await readTableInfo(conn, table, database);
    infos.set(table, info);
    return info;
  }

  async function run(conn: mysql.Connection, statements: readonly Statement[]): Promise<void> {
    for (const s of statements) await conn.execute(s.text, s.values);
  }

  async function applyChanges(conn: mysql.Connection, changes: readonly TargetChange[]): Promise<void> {
    for (const t of collapse(changes)) {
      const info = await tableInfo(t.table, conn);
      const qualified = qualify(t.table, database);
      if (t.truncate) await conn.query(`DELETE FROM ${qualified}`);
      for (const group of groupBy(t.deletes, (d) => d.key.join(',')).values()) await run(conn, deleteStatements(qualified, info, group));
      for (const group of groupBy(t.upserts, upsertSignature).values()) await run(conn, upsertStatements(qualified, info, group, flavour.syntax));
    }
  }

  async function writeDeadLetters(conn: mysql.Connection, letters: readonly DeadLetter[]): Promise<void> {
    for (const l of letters) {
      await conn.execute(`INSERT INTO ${deadLetters} (source_table, target_table, position, code, reason, event) VALUES (?, ?, ?, ?, ?, ?)`, [
        l.source ?? null,
        l.target ?? null,
        jsonText(l.position),
        l.code ?? null,
        l.reason,
        typeof l.event === 'string' ? jsonText({ raw: l.event }) : jsonText(l.event ?? null),
      ]);
    }
  }

  async function oneByOne(conn: mysql.Connection, changes: readonly TargetChange[]): Promise<{ applied: number; failed: DeadLetter[] }> {
    const failed: DeadLetter[] = [];
    let applied = 0;
    for (const change of changes) {
      await conn.query('SAVEPOINT ficus_change');
      try {
        await applyChanges(conn, [change]);
        await conn.query('RELEASE SAVEPOINT ficus_change');
        applied++;
      } catch (err) {
        if (classifyMysqlError(err) !== 'data') throw err;
        await conn.query('ROLLBACK TO SAVEPOINT ficus_change');
        failed.push(deadLetterOf(change, err));
      }
    }
    return { applied, failed };
  }

  async function apply(given: SinkBatch): Promise<ApplyResult> {
    let batch = given;
    let fenced = 0;
    if (closed) throw new FicusError(SinkErrorCode.CLOSED, 'the MySQL sink is closed');
    let conn: mysql.PoolConnection;
    try {
      conn = await connection();
    } catch (err) {
      throw mysqlSinkError(err, 'connecting to the target database');
    }
    let lost: Error | undefined;
    const onError = (err: Error): void => {
      lost = err;
    };
    conn.on('error', onError);
    try {
      await conn.query('START TRANSACTION');
      ({ batch, fenced } = fence(given, await lockMysqlOffsets(conn, offsets, kafkaStreams(given))));
      let result: { applied: number; failed: DeadLetter[] } = { applied: batch.changes.length, failed: [] };
      let fellBack = false;
      if (batch.changes.length > 0) {
        await conn.query('SAVEPOINT ficus_batch');
        try {
          await applyChanges(conn, batch.changes);
          await conn.query('RELEASE SAVEPOINT ficus_batch');
        } catch (err) {
          if (classifyMysqlError(err) !== 'data') throw err;
          log.info({ err: (err as Error).message, changes: batch.changes.length }, 'data error in batch; applying change by change');
          await conn.query('ROLLBACK TO SAVEPOINT ficus_batch');
          fellBack = true;
          result = await oneByOne(conn, batch.changes);
        }
      }
      const letters = [...(batch.deadLetters ?? []), ...result.failed];
      await writeDeadLetters(conn, letters);
      await saveMysqlOffsets(conn, offsets, batch.positions);
      if (options.beforeCommit) await options.beforeCommit({ threadId: conn.threadId });
      await conn.query('COMMIT');
      conn.off('error', onError);
      conn.release();
      return { applied: result.applied, deadLettered: letters.length, fellBack, ...(fenced > 0 && { fenced }) };
    } catch (err) {
      const failure = mysqlSinkError(lost ?? err, `applying a batch of ${batch.changes.length} changes`);
      if (!lost && !failure.retriable) await conn.query('ROLLBACK').catch(() => undefined);
      conn.off('error', onError);
      // A broken connection (or one whose transaction state is unknown) must not go back to the pool.
      if (lost || failure.retriable) conn.destroy();
      else conn.release();
      throw failure;
    }
  }

  return {
    apply,
    serverVersion: flavour.version,
    tableInfo: (table) => tableInfo(table),
    async lastPositions(): Promise<Map<string, Position>> {
      try {
        return await loadMysqlOffsets(pool, offsets);
      } catch (err) {
        throw mysqlSinkError(err, 'reading stored positions');
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (ownPool) await pool.end();
    },
  };
}
