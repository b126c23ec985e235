// knex used purely as a SQL builder (no connection); statements run through lib/db.
import knex, { type Knex } from 'knex';
import type { Queryable } from './db.js';

/** The shared builder. It never connects; `.toSQL().toNative()` gives pg-style `$1` SQL. */
export const qb: Knex = knex({ client: 'pg' });

export interface BuiltQuery {
  sql: string;
  bindings: unknown[];
}

export function toNative(builder: Knex.QueryBuilder | Knex.Raw): BuiltQuery {
  const native = builder.toSQL().toNative();
  return { sql: native.sql, bindings: [...native.bindings] };
}

/** Builds and runs a query, returning its rows. */
export async function runQuery<T = any>(db: Queryable, builder: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  const { sql, bindings } = toNative(builder);
  const res = await db.query<T>(sql, bindings);
  return res.rows;
}

/** Builds and runs a query, returning the first row or undefined. */
export async function runFirst<T = any>(db: Queryable, builder: Knex.QueryBuilder | Knex.Raw): Promise<T | undefined> {
  const rows = await runQuery<T>(db, builder);
  return rows[0];
}

/** Builds and runs a statement, returning the affected row count. */
export async function runCount(db: Queryable, builder: Knex.QueryBuilder | Knex.Raw): Promise<number> {
  const { sql, bindings } = toNative(builder);
  const res = await db.query(sql, bindings);
  return res.rowCount;
}

/** Multi-row INSERT in batches (seeding); rows must share the same keys. */
export async function insertMany(db: Queryable, table: string, rows: Record<string, unknown>[], batchSize = 500): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    if (batch.length > 0) await db.query(...spread(toNative(qb(table).insert(batch))));
  }
}

function spread(q: BuiltQuery): [string, unknown[]] {
  return [q.sql, q.bindings];
}
