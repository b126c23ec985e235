/**
 * What verify reads from each database's catalog: the table a mapping names (an unqualified
 * source name may live in any schema), its columns with their types and collations, its
 * primary key, the planner's row estimate, and whether a type name exists (a target enum or
 * domain may be unknown in the source database).
 */
import type pg from 'pg';
import { quoteIdent } from '../sinks/postgres-sql.js';
import { queryError, verifyError, VerifyErrorCode } from './errors.js';

export interface Relation {
  readonly schema: string;
  readonly table: string;
  /** Quoted `"schema"."table"`. */
  readonly sql: string;
  readonly oid: number;
}

export interface ColumnInfo {
  readonly name: string;
  /** `format_type`, e.g. `numeric(12,2)`, `character varying(40)`, `integer[]`. */
  readonly type: string;
  /** pg_type.typname of the column type (`int4`, `_int4`, `jsonb`, an enum's name). */
  readonly typname: string;
  /** pg_type.typcategory: N numeric, S string, B boolean, D date/time, A array, U user (json, uuid, bytea), E enum … */
  readonly category: string;
  /** Collatable, with a collation other than the database default. */
  readonly explicitCollation: boolean;
  readonly collatable: boolean;
}

export interface TableCatalog {
  readonly relation: Relation;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
  /** pg_class.reltuples; -1 when never analysed. */
  readonly estimatedRows: number;
  /** The database's default collation (datcollate). */
  readonly datcollate: string;
}

async function query<R extends pg.QueryResultRow>(pool: pg.Pool, what: string, text: string, values: unknown[]): Promise<R[]> {
  try {
    return (await pool.query<R>(text, values)).rows;
  } catch (err) {
    throw queryError(err, what);
  }
}

/** Finds `schema.table`, or `table` in any schema (public first; ambiguous otherwise). */
async function resolveRelation(pool: pg.Pool, side: string, schema: string | null, table: string): Promise<Relation> {
  const rows = await query<{ nspname: string; relname: string; oid: number }>(
    pool,
    `finding ${side} table ${schema ? `${schema}.` : ''}${table}`,
    `SELECT n.nspname, c.relname, c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = $1 AND ($2::text IS NULL OR n.nspname = $2) AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
      ORDER BY (n.nspname = 'public') DESC, n.nspname`,
    [table, schema],
  );
  const first = rows[0];
  const name = `${schema ? `${schema}.` : ''}${table}`;
  if (!first) throw verifyError(VerifyErrorCode.SCHEMA, `the ${side} database has no table ${name}`, { details: { side, table: name } });
  if (schema === null && rows.length > 1 && first.nspname !== 'public') {
    throw verifyError(
      VerifyErrorCode.SCHEMA,
      `the ${side} database has a table ${table} in several schemas (${rows.map((r) => r.nspname).join(', ')}); qualify tables[].from as schema.table`,
      { details: { side, table } },
    );
  }
  return { schema: first.nspname, table: first.relname, sql: `${quoteIdent(first.nspname)}.${quoteIdent(first.relname)}`, oid: first.oid };
}

export async function readTable(pool: pg.Pool, side: 'source' | 'target', schema: string | null, table: string): Promise<TableCatalog> {
  const relation = await resolveRelation(pool, side, schema, table);
  const what = `reading the columns of ${side} table ${relation.schema}.${relation.table}`;
  const columns = await query<{ name: string; type: string; typname: string; category: string; collation: number; typcollation: number }>(
    pool,
    what,
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, t.typname, t.typcategory AS category,
            a.attcollation::int AS collation, t.typcollation::int AS typcollation
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [relation.oid],
  );
  const pk = await query<{ name: string }>(
    pool,
    what,
    `SELECT a.attname AS name FROM pg_index i JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
    [relation.oid],
  );
  const meta = await query<{ reltuples: number; datcollate: string }>(
    pool,
    what,
    `SELECT c.reltuples::float8 AS reltuples, d.datcollate FROM pg_class c, pg_database d WHERE c.oid = $1 AND d.datname = current_database()`,
    [relation.oid],
  );
  // 100 is the "default" collation's oid.
  return {
    relation,
    columns: columns.map((c) => ({
      name: c.name,
      type: c.type,
      typname: c.typname,
      category: c.category,
      collatable: c.collation !== 0,
      explicitCollation: c.collation !== 0 && c.collation !== 100,
    })),
    primaryKey: pk.map((r) => r.name),
    estimatedRows: meta[0]?.reltuples ?? -1,
    datcollate: meta[0]?.datcollate ?? '',
  };
}

/** True when `type` (format_type text) names a type in this database. */
export async function typeExists(pool: pg.Pool, type: string): Promise<boolean> {
  const rows = await query<{ ok: boolean }>(pool, `looking up type ${type}`, 'SELECT to_regtype($1) IS NOT NULL AS ok', [type]);
  return rows[0]?.ok === true;
}
