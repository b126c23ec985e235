/**
 * The Postgres sink: applies a batch of mapped changes in ONE transaction — collapsed per key
 * (collapse.ts), then per target table a TRUNCATE (opt-in), one set-based DELETE and one
 * multi-row `INSERT … SELECT FROM unnest … ON CONFLICT DO UPDATE` per column set — and upserts
 * the consumed positions into the offsets table in the same transaction.
 *
 * Failures: lost connections, serialization failures and deadlocks reject with a retriable
 * FicusError (nothing was committed; retry the batch). A data error (SQLSTATE class 22/23)
 * rolls back to a savepoint and the batch is applied change by change, each under its own
 * savepoint; the failing ones go to the dead-letter table with their reason, the others apply,
 * all in the same transaction as the offsets. Schema mismatches reject, not retriable.
 *
 * Reverse sync: with `origin`, each batch's transaction is marked with that replication origin
 * (postgres-origin.ts) so the opposite capture skips it; with `conflicts`, per-table conflict
 * policies decide which changes apply (postgres-conflict.ts) — rejected ones are dead letters.
 *
 * @example
 *   const sink = await openPostgresSink({ url, schema: 'public', logger });
 *   const resume = await sink.lastPositions();
 *   await sink.apply({ changes, positions });
 */
import pg from 'pg';
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import type { Position } from '../model.js';
import { loadOffsets, lockOffsets, offsetsTableSql, saveOffsets } from '../offsets/postgres.js';
import type { TargetChange } from '../transform/types.js';
import { collapse } from './collapse.js';
import { classifyPgError, SinkErrorCode, sinkError } from './errors.js';
import { screenConflicts, newerWinsColumn, type ConflictPolicies, type Rejected } from './postgres-conflict.js';
import { newerWinsDeleteStatement } from './postgres-conflict-sql.js';
import { prepareOrigin, resetOrigin, setupOrigin } from './postgres-origin.js';
import { deleteStatement, groupUpserts, qualify, toJson, upsertStatement, type TableInfo } from './postgres-sql.js';
import type { ApplyResult, DeadLetter, Sink, SinkBatch } from './types.js';
import { deadLetterOf as sharedDeadLetter, groupBy } from './letters.js';
import { fence, kafkaStreams } from './fence.js';

export interface PostgresSinkOptions {
  /** Connection URL; or pass `pool`. */
  readonly url?: string;
  /** A pool to use (not ended by close()). */
  readonly pool?: pg.Pool;
  /** Schema for unqualified target tables (default public). */
  readonly schema?: string;
  readonly offsetsTable?: string;
  readonly deadLetterTable?: string;
  readonly logger?: Logger;
  /** Replication origin the sink's transactions are marked with (reverse sync; default: none, unmarked). */
  readonly origin?: string;
  /** Conflict policy per target table (`tables[].to`); default source-wins. */
  readonly conflicts?: ConflictPolicies;
  /** Test seam: runs inside the transaction right before COMMIT, with the server process id. */
  readonly beforeCommit?: (ctx: { backendPid: number }) => Promise<void>;
}

export interface PostgresSink extends Sink {
  /** Target column types of a table, as the sink sees them (cached). */
  tableInfo(table: string): Promise<TableInfo>;
}

function deadLetterTableSql(qualified: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified} (
  id            bigserial PRIMARY KEY,
  at            timestamptz NOT NULL DEFAULT now(),
  source_table  text,
  target_table  text,
  position      jsonb NOT NULL,
  code          text,
  reason        text NOT NULL,
  event         jsonb
)`;
}

/** Conflict-policy rejections that do not apply, as dead letters. */
const rejectedLetters = (rejected: readonly Rejected[]): DeadLetter[] => rejected.map((r) => deadLetterOf(r.change, r.error));

function deadLetterOf(change: TargetChange, err: unknown): DeadLetter {
  return sharedDeadLetter(change, sinkError(err, `applying a ${change.kind} to ${change.table}`), 'sqlstate');
}

export async function openPostgresSink(options: PostgresSinkOptions): Promise<PostgresSink> {
  if (!options.pool && !options.url) {
    throw new FicusError(SinkErrorCode.OPTIONS, 'openPostgresSink needs a url (postgres://…) or a pool', { exitCode: 2 });
  }
  const schema = options.schema ?? 'public';
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'sink.postgres' });
  const ownPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.url, max: 2 });
  // An idle client whose server connection dies emits 'error' on the pool; without a listener it would crash the process.
  // It stays on an own pool after close: pool.end() resolves before the connections have closed, and
  // an error the server sends meanwhile (a terminated backend) still reaches the pool.
  const onPoolError = (err: Error): void => (closed ? log.debug({ err: err.message }, 'connection lost while closing') : log.warn({ err: err.message }, 'idle connection lost'));
  pool.on('error', onPoolError);
  const offsets = qualify(options.offsetsTable ?? 'ficus_offsets', schema);
  const deadLetters = qualify(options.deadLetterTable ?? 'ficus_dead_letters', schema);
  const infos = new Map<string, TableInfo>();
  const policies: ConflictPolicies = options.conflicts ?? new Map();
  const origin = options.origin;
  let closed = false;

  try {
    await pool.query(offsetsTableSql(offsets));
    await pool.query(deadLetterTableSql(deadLetters));
    if (origin !== undefined) await prepareOrigin(pool, origin, log);
  } catch (err) {
    if (ownPool) await pool.end().catch(() => undefined);
    throw sinkError(err, 'preparing the offsets and dead-letter tables');
  }

  async function tableInfo(table: string, client: pg.ClientBase | pg.Pool = pool): Promise<TableInfo> {
    const cached = infos.get(table);
    if (cached) return cached;
    const r = await client.query<{ name: string; type: string }>(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
         FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [qualify(table, schema)],
    );
    if (r.rows.length === 0) {
      throw new FicusError(SinkErrorCode.SCHEMA, `target table ${qualify(table, schema)} does not exist; create it or fix tables[].to`, { details: { table } });
    }
    const info = new Map(r.rows.map((row) => [row.name, row.type]));
    infos.set(table, info);
    return info;
  }

  /** Applies what the conflict policies let through; returns what they rejected. */
  async function applyChanges(client: pg.ClientBase, changes: readonly TargetChange[]): Promise<Rejected[]> {
    const screened = await screenConflicts({ client, policies, tableInfo: (t) => tableInfo(t, client), qualify: (t) => qualify(t, schema) }, changes);
    for (const t of collapse(screened.apply)) {
      const info = await tableInfo(t.table, client);
      const qualified = qualify(t.table, schema);
      const newerWins = newerWinsColumn(policies, t.table);
      if (t.truncate) await client.query(`TRUNCATE ${qualified}`);
      const deletesByKey = groupBy(t.deletes, (d) => d.key.join(','));
      for (const group of deletesByKey.values()) {
        const s =
          newerWins === undefined ? deleteStatement(qualified, t.table, info, group) : newerWinsDeleteStatement(qualified, t.table, info, group, newerWins);
        await client.query(s.text, s.values);
      }
      for (const group of groupUpserts(t.upserts)) {
        const s = upsertStatement(qualified, t.table, info, group, newerWins === undefined ? {} : { newerWins });
        await client.query(s.text, s.values);
      }
    }
    return screened.rejected;
  }

  async function writeDeadLetters(client: pg.ClientBase, letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await client.query(
      `INSERT INTO ${deadLetters} (source_table, target_table, position, code, reason, event)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[], $5::text[], $6::jsonb[])`,
      [
        letters.map((l) => l.source ?? null),
        letters.map((l) => l.target ?? null),
        letters.map((l) => toJson(l.position)),
        letters.map((l) => l.code ?? null),
        letters.map((l) => l.reason),
        letters.map((l) => (typeof l.event === 'string' ? JSON.stringify({ raw: l.event }) : toJson(l.event ?? null))),
      ],
    );
  }

  async function oneByOne(client: pg.ClientBase, changes: readonly TargetChange[]): Promise<{ applied: number; failed: DeadLetter[] }> {
    const failed: DeadLetter[] = [];
    let applied = 0;
    for (const change of changes) {
      await client.query('SAVEPOINT ficus_change');
      try {
        const rejected = await applyChanges(client, [change]);
        await client.query('RELEASE SAVEPOINT ficus_change');
        if (rejected.length === 0) applied++;
        failed.push(...rejectedLetters(rejected));
      } catch (err) {
        if (classifyPgError(err) !== 'data') throw err;
        await client.query('ROLLBACK TO SAVEPOINT ficus_change');
        failed.push(deadLetterOf(change, err));
      }
    }
    return { applied, failed };
  }

  async function apply(given: SinkBatch): Promise<ApplyResult> {
    if (closed) throw new FicusError(SinkErrorCode.CLOSED, 'the Postgres sink is closed');
    let batch = given;
    let fenced = 0;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw sinkError(err, 'connecting to the target database');
    }
    let lost: Error | undefined;
    const onError = (err: Error): void => {
      lost = err;
    };
    client.on('error', onError);
    let marked = false;
    try {
      if (origin !== undefined) {
        await setupOrigin(client, origin);
        marked = true;
      }
      await client.query('BEGIN');
      ({ batch, fenced } = fence(given, await lockOffsets(client, offsets, kafkaStreams(given))));
      let result: { applied: number; failed: DeadLetter[] } = { applied: batch.changes.length, failed: [] };
      let fellBack = false;
      if (batch.changes.length > 0) {
        await client.query('SAVEPOINT ficus_batch');
        try {
          const rejected = await applyChanges(client, batch.changes);
          await client.query('RELEASE SAVEPOINT ficus_batch');
          result = { applied: batch.changes.length - rejected.length, failed: rejectedLetters(rejected) };
        } catch (err) {
          if (classifyPgError(err) !== 'data') throw err;
          log.info({ err: (err as Error).message, changes: batch.changes.length }, 'data error in batch; applying change by change');
          await client.query('ROLLBACK TO SAVEPOINT ficus_batch');
          fellBack = true;
          result = await oneByOne(client, batch.changes);
        }
      }
      const letters = [...(batch.deadLetters ?? []), ...result.failed];
      await writeDeadLetters(client, letters);
      await saveOffsets(client, offsets, batch.positions);
      if (options.beforeCommit) {
        const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await options.beforeCommit({ backendPid: pid.rows[0]?.pid ?? 0 });
      }
      await client.query('COMMIT');
      client.off('error', onError);
      client.release(await unmark(client, marked));
      return { applied: result.applied, deadLettered: letters.length, fellBack, ...(fenced > 0 && { fenced }) };
    } catch (err) {
      const failure = sinkError(lost ?? err, `applying a batch of ${batch.changes.length} changes`);
      if (!lost) await client.query('ROLLBACK').catch(() => undefined);
      client.off('error', onError);
      // A broken connection must not go back to the pool; nor one that may still hold the origin.
      const stuck = lost ? undefined : await unmark(client, marked);
      client.release((lost ?? stuck ?? failure.retriable) ? failure : undefined);
      throw failure;
    }
  }

  /** Resets the origin after a batch; an error when that failed (the connection is then discarded, freeing the origin). */
  async function unmark(client: pg.ClientBase, marked: boolean): Promise<Error | undefined> {
    if (!marked) return undefined;
    try {
      await resetOrigin(client);
      return undefined;
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not reset the replication origin; dropping the connection');
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  return {
    apply,
    tableInfo: (table) => tableInfo(table),
    async lastPositions(): Promise<Map<string, Position>> {
      try {
        return await loadOffsets(pool, offsets);
      } catch (err) {
        throw sinkError(err, 'reading stored positions');
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (ownPool) await pool.end();
      else pool.off('error', onPoolError);
    },
  };
}
