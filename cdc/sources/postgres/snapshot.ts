/**
 * The initial snapshot: every captured table read in primary-key chunks (`WHERE (pk) > (last)
 * ORDER BY pk LIMIT n`, or by ctid for a table without a key) inside one REPEATABLE READ
 * transaction, emitted as op 'r' events. With the snapshot the slot exported when it was
 * created (`SET TRANSACTION SNAPSHOT`), the rows are exactly the state at the slot's consistent
 * point, and streaming from the slot continues from there.
 *
 * Each event's position is the table's snapshot progress (`snapshot: {table, lastKey}`); a
 * table's end is a heartbeat whose position says `done`. The sink commits them with the rows,
 * so a restart mid-snapshot resumes each table after its last committed key. The exported
 * snapshot is gone by then, so the rest is read from a fresh snapshot: rows changed since the
 * consistent point are read in their newer state and their changes then replayed from the slot
 * on top — full-row images applied in order, so the target still converges to the source.
 */
import type pg from 'pg';
import { type CdcValue, type ChangeEvent, type DecodedMessage, type PostgresPosition } from '../../model.js';
import { quoteIdent, type SourceTable } from './catalog.js';
import { TEXT_TYPES } from './connection.js';
import { pgSourceError, PgSourceErrorCode } from './errors.js';
import { decoderFor, type TextDecoder, type TypeInfo } from './pgoutput-values.js';

export interface SnapshotProgress {
  readonly table: string;
  /** Rows read so far in this table (this run). */
  readonly rows: number;
  /** Estimated rows of the table (pg_class.reltuples, or an exact count when never analyzed). */
  readonly total: number;
  /** 0-based index of the table, and how many tables this snapshot reads. */
  readonly tableIndex: number;
  readonly tables: number;
  /** The table is read completely. */
  readonly done: boolean;
}

export interface SnapshotTable {
  readonly table: SourceTable;
  /** Resume after this key (text values of the primary key); null from the start. */
  readonly after: readonly (string | null)[] | null;
}

export interface SnapshotOptions {
  readonly client: pg.Client;
  /** The slot's exported snapshot; null reads a fresh snapshot. */
  readonly snapshotName: string | null;
  readonly tables: readonly SnapshotTable[];
  readonly chunkRows: number;
  readonly slot: string;
  /** The slot's consistent point, for the events' positions (`0/0` when unknown). */
  readonly lsn: string;
  readonly db: string;
  readonly types: ReadonlyMap<number, TypeInfo>;
  /** Takes a chunk's messages; resolves when the producer may read the next chunk. */
  readonly deliver: (messages: DecodedMessage[]) => Promise<void>;
  readonly onProgress?: (p: SnapshotProgress) => void;
  /** Polled between chunks: stop reading. */
  readonly stopped: () => boolean;
}

async function estimate(client: pg.Client, t: SourceTable): Promise<number> {
  const r = await client.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1', [t.oid]);
  const n = r.rows[0]?.n ?? -1;
  if (n >= 0) return Math.round(n);
  const c = await client.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM ${t.qualified}`);
  return c.rows[0]?.n ?? 0;
}

/** Reads the tables; resolves when every chunk has been handed to `deliver`. */
export async function runSnapshot(o: SnapshotOptions): Promise<{ rows: number }> {
  const { client } = o;
  let total = 0;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (o.snapshotName) await client.query(`SET TRANSACTION SNAPSHOT '${o.snapshotName.replace(/'/g, "''")}'`);
    for (const [index, entry] of o.tables.entries()) {
      if (o.stopped()) break;
      total += await snapshotTable(o, entry, index);
    }
    await client.query('COMMIT');
    return { rows: total };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((err as { code?: unknown }).code === PgSourceErrorCode.SNAPSHOT) throw err;
    throw pgSourceError(PgSourceErrorCode.SNAPSHOT, `the initial snapshot failed: ${(err as Error).message}`, { cause: err, retriable: true });
  }
}

async function snapshotTable(o: SnapshotOptions, entry: SnapshotTable, tableIndex: number): Promise<number> {
  const t = entry.table;
  const names = t.columns.map((c) => c.name);
  const decoders: TextDecoder[] = t.columns.map((c) => decoderFor(c.typeOid, o.types));
  const keyIdx = t.primaryKey.map((k) => names.indexOf(k));
  const byKey = keyIdx.length > 0 && keyIdx.every((i) => i >= 0);
  const keyTypes = t.primaryKey.map((k) => t.columns.find((c) => c.name === k)?.type ?? 'text');
  const select = `SELECT ${names.map(quoteIdent).join(', ')}${byKey ? '' : ', ctid::text'} FROM ${t.qualified}`;
  const order = byKey ? t.primaryKey.map(quoteIdent).join(', ') : 'ctid';
  const afterKey = byKey ? `(${t.primaryKey.map(quoteIdent).join(', ')}) > (${keyTypes.map((type, i) => `$${i + 1}::${type}`).join(', ')})` : 'ctid > $1::tid';
  const total = await estimate(o.client, t);
  let after: readonly (string | null)[] | null = byKey ? entry.after : null;
  let rows = 0;
  o.onProgress?.({ table: t.id, rows, total, tableIndex, tables: o.tables.length, done: false });
  for (;;) {
    if (o.stopped()) return rows;
    const limit = `$${(after?.length ?? 0) + 1}`;
    const text = `${select}${after ? ` WHERE ${afterKey}` : ''} ORDER BY ${order} LIMIT ${limit}`;
    const r = await o.client.query<unknown[]>({ text, values: [...(after ?? []), o.chunkRows], rowMode: 'array', types: TEXT_TYPES });
    const messages: DecodedMessage[] = [];
    for (const values of r.rows as (string | null)[][]) {
      const row: Record<string, CdcValue> = {};
      const key: Record<string, CdcValue> | null = byKey ? {} : null;
      for (let i = 0; i < names.length; i++) {
        const v = values[i];
        row[names[i] as string] = v === null || v === undefined ? null : (decoders[i] as TextDecoder)(v);
      }
      if (key) for (const i of keyIdx) key[names[i] as string] = row[names[i] as string] ?? null;
      after = byKey ? keyIdx.map((i) => values[i] ?? null) : [values[names.length] ?? null];
      const position: PostgresPosition = {
        kind: 'postgres',
        slot: o.slot,
        lsn: o.lsn,
        snapshot: { table: t.id, lastKey: byKey ? after : null, done: false },
      };
      const event: ChangeEvent = {
        op: 'r',
        db: o.db,
        schema: t.schema,
        table: t.name,
        key,
        before: null,
        after: row,
        tsMs: Date.now(),
        snapshot: rows === 0 && tableIndex === 0 ? 'first' : 'true',
        transaction: null,
        position,
      };
      messages.push({ kind: 'change', event });
      rows++;
    }
    const last = r.rows.length < o.chunkRows;
    if (last)
      messages.push({ kind: 'heartbeat', position: { kind: 'postgres', slot: o.slot, lsn: o.lsn, snapshot: { table: t.id, lastKey: null, done: true } } });
    if (messages.length > 0) await o.deliver(messages);
    o.onProgress?.({ table: t.id, rows, total: Math.max(total, rows), tableIndex, tables: o.tables.length, done: last });
    if (last) return rows;
  }
}

/** A table's snapshot progress as reset before a new slot is created: nothing read yet. */
export function snapshotReset(slot: string, table: string): DecodedMessage {
  return { kind: 'heartbeat', position: { kind: 'postgres', slot, lsn: '0/0', snapshot: { table, lastKey: null, done: false } } };
}
