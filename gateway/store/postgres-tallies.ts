/**
 * The Postgres store's comparison tallies, in a table beside the records' (`<table>_tallies`):
 *
 *   route text COLLATE "C", bucket timestamptz, compared bigint, different bigint, noise bigint,
 *   PRIMARY KEY (route, bucket)
 *
 * A write adds to the row (INSERT … ON CONFLICT DO UPDATE SET compared = compared + EXCLUDED…),
 * so gateway instances sharing the store sum their counts. A batch is summed per key first: one
 * statement may not update a row twice. Names longer than Postgres's 63 bytes would be cut
 * (and could then be the records' table itself), so a long table name gets a hashed tally name.
 */
import type pg from 'pg';
import type { ComparisonTally, TallyQuery } from '../model.js';
import { checkTallies, checkTallyQuery, sumTallies } from './tallies.js';

const ROWS_PER_INSERT = 1000;
const MAX_NAME = 63;
const SUFFIX = '_tallies';

/** FNV-1a, 32 bits, as 8 hex digits: enough to keep two long table names apart. */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The tally table of a records table: `<table>_tallies`, or a hashed name within 63 bytes. */
export function talliesTable(table: string): string {
  const plain = `${table}${SUFFIX}`;
  if (plain.length <= MAX_NAME) return plain;
  const hash = fnv(table);
  return `${table.slice(0, MAX_NAME - SUFFIX.length - hash.length - 1)}_${hash}${SUFFIX}`;
}

export function createTallyTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS "${talliesTable(table)}" (route text COLLATE "C" NOT NULL, bucket timestamptz NOT NULL, compared bigint NOT NULL, different bigint NOT NULL, noise bigint NOT NULL, PRIMARY KEY (route, bucket))`;
}

export async function insertTallies(pool: pg.Pool, table: string, tallies: readonly ComparisonTally[]): Promise<void> {
  checkTallies(tallies);
  const rows = sumTallies(tallies).map((t) => [t.route, t.bucket, t.compared, t.different, t.noise] as const);
  const t = `"${talliesTable(table)}"`;
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    const values = chunk.map((_, j) => `($${j * 5 + 1}, $${j * 5 + 2}, $${j * 5 + 3}, $${j * 5 + 4}, $${j * 5 + 5})`).join(', ');
    await pool.query(
      `INSERT INTO ${t} AS t (route, bucket, compared, different, noise) VALUES ${values} ON CONFLICT (route, bucket) DO UPDATE SET compared = t.compared + EXCLUDED.compared, different = t.different + EXCLUDED.different, noise = t.noise + EXCLUDED.noise`,
      chunk.flat(),
    );
  }
}

export async function selectTallies(pool: pg.Pool, table: string, query: TallyQuery = {}): Promise<ComparisonTally[]> {
  checkTallyQuery(query);
  const params: unknown[] = [];
  const conditions: string[] = [];
  if (query.route !== undefined) conditions.push(`route = $${params.push(query.route)}`);
  if (query.from !== undefined) conditions.push(`bucket >= $${params.push(query.from)}`);
  if (query.to !== undefined) conditions.push(`bucket < $${params.push(query.to)}`);
  const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
  const result = await pool.query<{ route: string; bucket: Date; compared: string; different: string; noise: string }>(
    `SELECT route, bucket, compared, different, noise FROM "${talliesTable(table)}" ${where} ORDER BY bucket, route`,
    params,
  );
  return result.rows.map((r) => ({
    route: r.route,
    bucket: r.bucket.toISOString(),
    compared: Number(r.compared),
    different: Number(r.different),
    noise: Number(r.noise),
  }));
}
