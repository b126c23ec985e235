/**
 * The Postgres DiffStore, which several gateway instances can share. One table for records:
 *
 *   id text COLLATE "C" PRIMARY KEY, at timestamptz, route text, noise boolean, record jsonb
 *   index on (route, id)
 *
 * and one for comparison tallies beside it, `<table>_tallies` (postgres-tallies.ts).
 *
 * `id` uses the C collation so ORDER BY id and `id > after` are byte order — the ids' time order
 * and the same order the ndjson store uses — whatever the database's locale. The table is created
 * if missing under an advisory lock, so instances starting together do not race. Writes are
 * multi-row INSERTs (1000 rows a statement) with ON CONFLICT (id) DO NOTHING: a retried batch
 * never duplicates a record and the first write of an id wins.
 *
 * jsonb cannot hold the character U+0000 or an unpaired surrogate, which a JSON response body
 * can contain; such a record is stored as `{"ficus:json": "<its JSON text>"}` and unwrapped on
 * reading, so every record round-trips exactly.
 */
import pg from 'pg';
import { childLogger, FicusError, redactUrl, silentLogger, type Logger } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ComparisonTally, DiffQuery, DiffRecord, DiffStore, TallyQuery } from '../model.js';
import { pgStoreError, sqlState } from './postgres-errors.js';
import { createTallyTableSql, insertTallies, selectTallies } from './postgres-tallies.js';
import { normaliseQuery } from './query.js';
import { serialiseRecord } from './record.js';

export const DEFAULT_TABLE = 'ficus_diffs';
const ROWS_PER_INSERT = 1000;
const WRAPPED = 'ficus:json';
/** JSON.stringify writes U+0000 and lone surrogates as these escapes; jsonb refuses both. */
const JSONB_UNSAFE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

export interface PostgresStoreOptions {
  /** postgres:// URL; needed unless `pool` is given. */
  readonly url?: string;
  readonly table?: string;
  /** A pool to use instead of one made from `url`; the store does not end it on close. */
  readonly pool?: pg.Pool;
  readonly logger?: Logger;
}

/**
 * @example
 *   const store = await createPostgresStore({ url: 'postgres://ficus@db/ficus' });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<DiffStore> {
  const { url, table = DEFAULT_TABLE } = options;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(table)) {
    throw new FicusError(
      GatewayErrorCode.DIFF_STORE,
      `Postgres diff store: table "${table}" is not a valid name; use lower-case letters, digits and _ (not first)`,
    );
  }
  if (options.pool === undefined && (url === undefined || url === '')) {
    throw new FicusError(GatewayErrorCode.DIFF_STORE, 'Postgres diff store: give url (postgres://user@host:5432/db) or pool');
  }
  const log = childLogger(options.logger ?? silentLogger(), { part: 'gateway', mod: 'diff-store', store: 'postgres', table });
  const owned = options.pool === undefined;
  const pool =
    options.pool ?? new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, query_timeout: 30_000, application_name: 'ficus-gateway' });
  // An idle client losing its connection is reported here; unhandled, it would end the process.
  if (owned) pool.on('error', (err) => log.warn({ err: err.message, url: url === undefined ? undefined : redactUrl(url) }, 'idle Postgres connection failed'));

  const t = `"${table}"`;
  const where = owned ? url : undefined;
  let ready = false;
  let closed = false;

  async function ensureTable(): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ficus diff store ${table}`]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${t} (id text COLLATE "C" PRIMARY KEY, at timestamptz NOT NULL, route text NOT NULL, noise boolean NOT NULL, record jsonb NOT NULL)`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS "${table}_route_id" ON ${t} (route, id)`);
      await client.query(createTallyTableSql(table));
      await client.query('COMMIT');
      ready = true;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Runs `op`, creating the table first if it is not known to exist, and once more if it vanished. */
  async function withTable<T>(what: string, op: () => Promise<T>, things = 'diff records'): Promise<T> {
    if (closed) throw new FicusError(GatewayErrorCode.DIFF_STORE, `Postgres diff store ${table} is closed; cannot ${what}`);
    try {
      if (!ready) await ensureTable();
      return await op();
    } catch (err) {
      if (sqlState(err) === '42P01') ready = false;
      throw pgStoreError(`cannot ${what} ${things} (table ${table})`, where, err);
    }
  }

  try {
    await withTable('prepare', async () => undefined);
  } catch (err) {
    if (owned) await pool.end().catch(() => undefined);
    throw err;
  }

  return {
    async write(records: readonly DiffRecord[]): Promise<void> {
      if (records.length === 0) return withTable('write', async () => undefined);
      const rows = records.map((r) => [r.id, r.at, r.route, r.noise, jsonbText(serialiseRecord(r))] as const);
      await withTable('write', async () => {
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          const chunk = rows.slice(i, i + ROWS_PER_INSERT);
          const values = chunk.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`).join(', ');
          await pool.query(`INSERT INTO ${t} (id, at, route, noise, record) VALUES ${values} ON CONFLICT (id) DO NOTHING`, chunk.flat());
        }
      });
    },

    async list(query?: DiffQuery): Promise<DiffRecord[]> {
      const q = normaliseQuery(query);
      const params: unknown[] = [];
      const conditions: string[] = [];
      if (q.route !== undefined) conditions.push(`route = $${params.push(q.route)}`);
      if (q.after !== undefined) conditions.push(`id > $${params.push(q.after)}`);
      if (!q.includeNoise) conditions.push('NOT noise');
      const whereSql = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const sql = `SELECT record FROM ${t} ${whereSql} ORDER BY id LIMIT $${params.push(q.limit)}`;
      const result = await withTable('list', () => pool.query<{ record: unknown }>(sql, params));
      return result.rows.map((row) => unwrap(row.record));
    },

    async writeTallies(tallies: readonly ComparisonTally[]): Promise<void> {
      await withTable('write', () => insertTallies(pool, table, tallies), 'comparison tallies');
    },

    async listTallies(query?: TallyQuery): Promise<ComparisonTally[]> {
      return withTable('list', () => selectTallies(pool, table, query), 'comparison tallies');
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      if (owned) await pool.end();
    },
  };
}

function jsonbText(json: string): string {
  return JSONB_UNSAFE.test(json) ? JSON.stringify({ [WRAPPED]: json }) : json;
}

function unwrap(value: unknown): DiffRecord {
  const wrapped = (value as Record<string, unknown>)[WRAPPED];
  return (typeof wrapped === 'string' ? JSON.parse(wrapped) : value) as DiffRecord;
}
