/**
 * Logical replication slots on the source: look one up, create one (pgoutput, with an exported
 * snapshot for the initial snapshot), list them with the WAL each retains, drop one. An idle
 * slot makes the server keep every WAL segment since its confirmed position — a slot nobody
 * will resume fills the disk, so `ficus cdc slot list` warns about inactive slots and
 * `ficus cdc slot drop` removes them.
 *
 * @example
 *   const slots = await listSlots({ url });
 *   for (const s of slots) if (!s.active) console.warn(`${s.name} holds ${s.retainedBytes} bytes of WAL`);
 *   await dropSlot({ url, slot: 'ficus' });
 */
import type pg from 'pg';
import { redactUrl } from '../../../core/index.js';
import { openQueryConnection } from './connection.js';
import { pgSourceError, PgSourceErrorCode, sqlState } from './errors.js';
import { quoteIdent } from './catalog.js';

export interface SlotInfo {
  readonly name: string;
  readonly plugin: string | null;
  /** logical or physical. */
  readonly type: string;
  readonly database: string | null;
  readonly active: boolean;
  readonly activePid: number | null;
  readonly restartLsn: string | null;
  readonly confirmedFlushLsn: string | null;
  /** reserved, extended, unreserved, lost. */
  readonly walStatus: string | null;
  /** WAL the slot keeps the server from removing (current WAL position − restart_lsn), in bytes. */
  readonly retainedBytes: number | null;
}

const SLOT_SQL = `SELECT slot_name AS name, plugin, slot_type AS type, database, active, active_pid AS "activePid",
  restart_lsn::text AS "restartLsn", confirmed_flush_lsn::text AS "confirmedFlushLsn", wal_status AS "walStatus",
  CASE WHEN restart_lsn IS NULL OR pg_is_in_recovery() THEN NULL ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 END AS "retainedBytes"
  FROM pg_replication_slots`;

export async function slotInfo(client: pg.ClientBase, name: string): Promise<SlotInfo | null> {
  const r = await client.query<SlotInfo>(`${SLOT_SQL} WHERE slot_name = $1`, [name]);
  return r.rows[0] ?? null;
}

/** Checks that an existing slot can serve this source: logical, pgoutput, on this database. */
export function checkSlot(slot: SlotInfo, database: string): void {
  if (slot.type !== 'logical' || slot.plugin !== 'pgoutput' || slot.database !== database) {
    throw pgSourceError(
      PgSourceErrorCode.SLOT,
      `replication slot ${slot.name} exists but is a ${slot.type} slot${slot.plugin ? ` of plugin ${slot.plugin}` : ''}${slot.database ? ` on database ${slot.database}` : ''}; the Postgres source needs a logical pgoutput slot on ${database}: choose another source.postgres.slot, or drop it with ficus cdc slot drop ${slot.name}`,
      { details: { slot: slot.name } },
    );
  }
}

export interface CreatedSlot {
  readonly consistentPoint: string;
  /** The exported snapshot (valid until the replication connection runs its next command). */
  readonly snapshotName: string | null;
}

/** `CREATE_REPLICATION_SLOT … LOGICAL pgoutput EXPORT_SNAPSHOT | NOEXPORT_SNAPSHOT` on a replication connection. */
export async function createSlot(replication: pg.Client, name: string, exportSnapshot: boolean): Promise<CreatedSlot> {
  try {
    const r = await replication.query<{ consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${quoteIdent(name)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    );
    const row = r.rows[0];
    if (!row) throw new Error('the server returned no row');
    return { consistentPoint: row.consistent_point, snapshotName: row.snapshot_name };
  } catch (err) {
    const state = sqlState(err);
    const hint =
      state === '53400'
        ? ' (all max_replication_slots are in use: drop an unused one with ficus cdc slot drop)'
        : state === '55000'
          ? ' (is wal_level = logical?)'
          : '';
    throw pgSourceError(PgSourceErrorCode.SLOT, `cannot create replication slot ${name}: ${(err as Error).message}${hint}`, {
      cause: err,
      details: { slot: name, ...(state && { sqlstate: state }) },
    });
  }
}

async function withConnection<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = await openQueryConnection(url);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Every replication slot of the server, with the WAL each retains. */
export function listSlots(options: { readonly url: string }): Promise<SlotInfo[]> {
  return withConnection(options.url, async (c) => (await c.query<SlotInfo>(`${SLOT_SQL} ORDER BY slot_name`)).rows);
}

/**
 * Drops a slot. An active slot (a running `ficus cdc run`) is refused unless `force`, which
 * terminates the process holding it first. Returns false when there was no such slot.
 */
export function dropSlot(options: { readonly url: string; readonly slot: string; readonly force?: boolean }): Promise<boolean> {
  return withConnection(options.url, async (c) => {
    const slot = await slotInfo(c, options.slot);
    if (!slot) return false;
    if (slot.active && !options.force) {
      throw pgSourceError(
        PgSourceErrorCode.SLOT,
        `replication slot ${options.slot} on ${redactUrl(options.url)} is in use by process ${slot.activePid ?? '?'}; stop that capture first, or pass --force to terminate it`,
        { details: { slot: options.slot } },
      );
    }
    for (let attempt = 0; ; attempt++) {
      try {
        if (slot.active && slot.activePid !== null) await c.query('SELECT pg_terminate_backend($1)', [slot.activePid]);
        await c.query('SELECT pg_drop_replication_slot($1)', [options.slot]);
        return true;
      } catch (err) {
        // A terminated walsender takes a moment to release the slot.
        if (sqlState(err) === '55006' && attempt < 50) {
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        if (sqlState(err) === '42704') return false;
        throw pgSourceError(PgSourceErrorCode.SLOT, `cannot drop replication slot ${options.slot}: ${(err as Error).message}`, { cause: err });
      }
    }
  });
}
