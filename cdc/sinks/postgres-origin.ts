/**
 * Marking the Postgres sink's writes with a replication origin (`sink.postgres.origin`), so the
 * capture of the opposite direction (`source.postgres.skipOrigins`) drops them and reverse sync
 * does not loop: every transaction committed while a session has the origin set up carries it,
 * and pgoutput sends it as the transaction's Origin message.
 *
 * Postgres 15 lets one session at a time set up an origin, cluster-wide ("replication origin
 * with ID n is already active for PID p", SQLSTATE 55006). So the origin is set up on the batch's
 * connection just before BEGIN and reset after COMMIT or ROLLBACK (the sink applies one batch at
 * a time); another session holding it is retriable. Each sink writing into one cluster needs its
 * own origin name. The functions are superuser-only unless granted: GRANT EXECUTE ON FUNCTION
 * pg_replication_origin_create(text), pg_replication_origin_session_setup(text),
 * pg_replication_origin_session_reset() TO <sink role> — else CDC_SINK_ORIGIN at open.
 */
import type pg from 'pg';
import { FicusError, type Logger } from '../../core/index.js';
import { SinkErrorCode } from './errors.js';

const sqlState = (err: unknown): string | undefined => {
  const c = (err as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
};

function originError(err: unknown, origin: string, what: string): FicusError {
  const state = sqlState(err);
  const message = err instanceof Error ? err.message : String(err);
  const hint =
    state === '42501'
      ? '; the sink role needs superuser or GRANT EXECUTE on pg_replication_origin_create(text), pg_replication_origin_session_setup(text) and pg_replication_origin_session_reset()'
      : state === '55006'
        ? '; another session writes under the same origin: give each sink writing into this cluster its own sink.postgres.origin'
        : '';
  return new FicusError(SinkErrorCode.ORIGIN, `${what} replication origin "${origin}": ${message}${state ? ` (SQLSTATE ${state})` : ''}${hint}`, {
    cause: err,
    retriable: state === '55006' || (state?.startsWith('08') ?? false),
    details: { origin, ...(state && { sqlstate: state }) },
  });
}

/** Marks this session's following transactions with the origin. */
export async function setupOrigin(client: pg.ClientBase, origin: string): Promise<void> {
  try {
    await client.query('SELECT pg_replication_origin_session_setup($1)', [origin]);
  } catch (err) {
    throw originError(err, origin, 'setting up');
  }
}

export async function resetOrigin(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT pg_replication_origin_session_reset()');
}

/** Creates the origin when missing and proves the sink may set it up; CDC_SINK_ORIGIN when not permitted. */
export async function prepareOrigin(pool: pg.Pool, origin: string, log: Logger): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    try {
      const r = await client.query('SELECT pg_replication_origin_create($1) WHERE NOT EXISTS (SELECT 1 FROM pg_replication_origin WHERE roname = $1)', [
        origin,
      ]);
      if (r.rowCount) log.info({ origin }, 'replication origin created');
    } catch (err) {
      if (sqlState(err) !== '23505') throw originError(err, origin, 'creating'); // 23505: created concurrently
    }
    try {
      await setupOrigin(client, origin);
      await resetOrigin(client);
    } catch (err) {
      if (!(err instanceof FicusError) || err.details.sqlstate !== '55006') throw err;
      log.warn({ origin, err: err.message }, 'replication origin in use by another session; batches wait for it');
    }
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}
