/**
 * What the source database's catalog says about the captured tables: their columns (type OID
 * and SQL type; generated columns left out, as pgoutput leaves them out), primary key and
 * replica identity, and about types that are not built in (domains, enums, arrays of them). A
 * table that has neither a primary key nor a replica identity other than DEFAULT/NOTHING is
 * refused: adding it to a publication would make the monolith's own UPDATEs and DELETEs on it
 * fail.
 */
import type pg from 'pg';
import { pgSourceError, PgSourceErrorCode } from './errors.js';
import type { TypeInfo } from './pgoutput-values.js';
import { needsCatalog } from './pgoutput-values.js';

export interface SourceColumn {
  readonly name: string;
  readonly typeOid: number;
  /** `format_type`, e.g. `numeric(12,2)`. */
  readonly type: string;
}

export interface SourceTable {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  /** `schema.table`. */
  readonly id: string;
  /** `"schema"."table"`. */
  readonly qualified: string;
  /** d default, n nothing, f full, i index. */
  readonly identity: string;
  readonly columns: readonly SourceColumn[];
  /** Primary-key columns, in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  identity: string;
  kind: string;
}

/** Resolves `schema.table` (or `table`, by search_path) names; refuses tables that are missing or cannot be captured. */
export async function describeTables(client: pg.ClientBase, names: readonly string[], database: string): Promise<SourceTable[]> {
  const out: SourceTable[] = [];
  const seen = new Set<number>();
  for (const name of names) {
    const r = await client.query<TableRow>(
      `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relreplident AS identity, c.relkind AS kind
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
      [name],
    );
    const t = r.rows[0];
    if (!t) {
      const known = await client.query<{ t: string }>(
        `SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1 LIMIT 20`,
      );
      throw pgSourceError(
        PgSourceErrorCode.TABLE,
        `source table ${name} does not exist in database ${database}; tables there: ${known.rows.map((k) => k.t).join(', ') || '(none)'}`,
        { details: { table: name } },
      );
    }
    if (t.kind !== 'r' && t.kind !== 'p') {
      throw pgSourceError(PgSourceErrorCode.TABLE, `source ${name} is not a table (relkind ${t.kind}); logical replication carries tables only`, {
        details: { table: name },
      });
    }
    if (seen.has(t.oid)) continue;
    seen.add(t.oid);
    const cols = await client.query<SourceColumn>(
      `SELECT attname AS name, atttypid::int AS "typeOid", format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [t.oid],
    );
    const pk = await client.query<{ name: string }>(
      `SELECT a.attname AS name FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
      [t.oid],
    );
    const id = `${t.schema}.${t.name}`;
    const primaryKey = pk.rows.map((p) => p.name);
    if (primaryKey.length === 0 && (t.identity === 'd' || t.identity === 'n')) {
      throw pgSourceError(
        PgSourceErrorCode.TABLE,
        `source table ${id} has no primary key and no replica identity, so its updates and deletes cannot be captured (and would fail once it is published); add a primary key or run ALTER TABLE ${id} REPLICA IDENTITY FULL`,
        { details: { table: id } },
      );
    }
    out.push({
      oid: t.oid,
      schema: t.schema,
      name: t.name,
      id,
      qualified: `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
      identity: t.identity,
      columns: cols.rows,
      primaryKey,
    });
  }
  return out;
}

/** What the catalog says about the given type OIDs and, recursively, their base and element types. */
export async function loadTypes(client: pg.ClientBase, oids: Iterable<number>): Promise<Map<number, TypeInfo>> {
  const types = new Map<number, TypeInfo>();
  let wanted = [...new Set(oids)].filter(needsCatalog);
  while (wanted.length > 0) {
    const r = await client.query<{ oid: number; typtype: string; base: number; elem: number; category: string; delimiter: string }>(
      `SELECT oid::int AS oid, typtype, typbasetype::int AS base, typelem::int AS elem, typcategory AS category, typdelim AS delimiter
         FROM pg_type WHERE oid = ANY($1::oid[])`,
      [wanted],
    );
    for (const row of r.rows)
      types.set(row.oid, { typtype: row.typtype, baseOid: row.base, elemOid: row.elem, category: row.category, delimiter: row.delimiter });
    wanted = [...new Set(r.rows.flatMap((row) => [row.base, row.elem]))].filter((o) => o !== 0 && !types.has(o) && needsCatalog(o));
  }
  return types;
}

/**
 * Makes sure the publication exists and carries every table: creates it (`FOR TABLE …`) when
 * missing, adds the tables it lacks. Returns what it did.
 */
export async function ensurePublication(
  client: pg.ClientBase,
  publication: string,
  tables: readonly SourceTable[],
): Promise<'created' | 'extended' | 'present'> {
  try {
    const p = await client.query<{ all: boolean; ins: boolean; upd: boolean; del: boolean }>(
      'SELECT puballtables AS all, pubinsert AS ins, pubupdate AS upd, pubdelete AS del FROM pg_publication WHERE pubname = $1',
      [publication],
    );
    const list = tables.map((t) => t.qualified).join(', ');
    const pub = p.rows[0];
    if (!pub) {
      await client.query(`CREATE PUBLICATION ${quoteIdent(publication)} FOR TABLE ${list}`);
      return 'created';
    }
    if (!pub.ins || !pub.upd || !pub.del) {
      throw pgSourceError(
        PgSourceErrorCode.PUBLICATION,
        `publication ${publication} does not publish every insert, update and delete (publish = ${[pub.ins && 'insert', pub.upd && 'update', pub.del && 'delete'].filter(Boolean).join(', ') || 'none'}); ALTER PUBLICATION ${publication} SET (publish = 'insert, update, delete, truncate') or use another publication`,
      );
    }
    if (pub.all) return 'present';
    const has = await client.query<{ t: string }>(`SELECT schemaname || '.' || tablename AS t FROM pg_publication_tables WHERE pubname = $1`, [publication]);
    const present = new Set(has.rows.map((r) => r.t));
    const missing = tables.filter((t) => !present.has(t.id));
    if (missing.length === 0) return 'present';
    await client.query(`ALTER PUBLICATION ${quoteIdent(publication)} ADD TABLE ${missing.map((t) => t.qualified).join(', ')}`);
    return 'extended';
  } catch (err) {
    if ((err as { code?: unknown }).code === PgSourceErrorCode.PUBLICATION) throw err;
    throw pgSourceError(PgSourceErrorCode.PUBLICATION, `cannot create or extend publication ${publication}: ${(err as Error).message}`, { cause: err });
  }
}
