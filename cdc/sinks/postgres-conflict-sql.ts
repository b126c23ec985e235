/**
 * SQL for the Postgres sink's conflict policies (reverse sync), set-based like postgres-sql.ts:
 *
 * newerWins — a delete applies unless the target row is newer than the row the source deleted
 * (its old row, REPLICA IDENTITY FULL); with no old value the delete applies:
 *
 *   DELETE FROM t AS t USING unnest($1::text[], $2::text[]) AS u(c0, c1)
 *    WHERE t.k = u.c0::integer AND (u.c1 IS NULL OR t.v IS NULL OR t.v <= u.c1::timestamptz)
 *
 * dead-letter — which changes expect a target row other than the one there: the expected row is
 * the change's mapped old row (or no row, for an insert); the rows are locked for the rest of the
 * transaction and compared as text after casting to the column's type:
 *
 *   WITH u AS (SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) AS u(i, k0, c0)),
 *        l AS (SELECT t.* FROM t AS t JOIN u ON t.k = u.k0::integer FOR UPDATE OF t)
 *   SELECT u.i FROM u LEFT JOIN l ON l.k = u.k0::integer
 *    WHERE l.k IS NULL OR ROW(l.a::text) IS DISTINCT FROM ROW((u.c0::numeric)::text)
 */
import type { DeleteChange, TargetColumn, TargetImage, UpsertChange } from '../transform/types.js';
import { quoteIdent, textOf, typeOf, type Statement, type TableInfo } from './postgres-sql.js';

/** `u.cN::type`, through the column's expression when it has one. */
function valueSql(spec: TargetColumn | undefined, ref: string | null, type: string): string {
  if (spec?.expr) return `(${spec.expr.render(ref === null ? 'NULL' : `(${ref})`)})::${type}`;
  return ref ?? 'NULL';
}

export function newerWinsDeleteStatement(qualified: string, table: string, info: TableInfo, changes: readonly DeleteChange[], column: string): Statement {
  const first = changes[0];
  if (!first) throw new Error('newerWinsDeleteStatement needs at least one change');
  const key = first.key;
  const types = key.map((k) => typeOf(info, table, k));
  const newerType = typeOf(info, table, column);
  const spec = changes.find((c) => c.before?.[column] !== undefined)?.before?.[column];
  const n = key.length;
  const params = [...key.map((_k, i) => `$${i + 1}::text[]`), `$${n + 1}::text[]`];
  const aliases = [...key.map((_k, i) => `c${i}`), `c${n}`];
  const match = key.map((k, i) => `t.${quoteIdent(k)} = u.c${i}::${types[i]}`).join(' AND ');
  const col = `t.${quoteIdent(column)}`;
  const old = valueSql(spec, `u.c${n}::${newerType}`, newerType);
  return {
    text: `DELETE FROM ${qualified} AS t USING unnest(${params.join(', ')}) AS u(${aliases.join(', ')}) WHERE ${match} AND (u.c${n} IS NULL OR ${col} IS NULL OR ${col} <= ${old})`,
    values: [
      ...key.map((k, i) => changes.map((c) => textOf(c.keyValues[k] ?? null, types[i] ?? 'text'))),
      changes.map((c) => {
        const v = c.before?.[column];
        return v === undefined ? null : textOf(v.value, newerType);
      }),
    ],
  };
}

/** What a change expects the target to hold before it: its mapped old row, or no row (`null`) for an insert. */
export type Expected = TargetImage | null;

/** Changes with the same signature are checked by one statement. */
export function expectationSignature(expected: Expected): string {
  if (expected === null) return 'missing';
  return Object.keys(expected)
    .sort()
    .map((k) => `${k}:${expected[k]?.expr?.source ?? ''}`)
    .join(',');
}

export interface Expectation {
  readonly change: UpsertChange | DeleteChange;
  readonly expected: Expected;
}

function keyValueOf(change: UpsertChange | DeleteChange, k: string): TargetColumn['value'] {
  return (change.kind === 'delete' ? change.keyValues[k] : change.columns[k]?.value) ?? null;
}

/**
 * Returns the indexes (into `items`, all of one table and one signature) whose target row is not
 * the expected one. The statement locks the rows it finds (FOR UPDATE) until the transaction ends.
 */
export function conflictCheckStatement(qualified: string, table: string, info: TableInfo, items: readonly Expectation[]): Statement {
  const first = items[0];
  if (!first) throw new Error('conflictCheckStatement needs at least one change');
  const key = first.change.key;
  const keyTypes = key.map((k) => typeOf(info, table, k));
  const expected = first.expected;
  const columns = expected === null ? [] : Object.keys(expected).sort();
  const params: string[] = ['$1::int[]'];
  const aliases: string[] = ['i'];
  const values: unknown[] = [items.map((_it, i) => i)];
  key.forEach((k, i) => {
    params.push(`$${params.length + 1}::text[]`);
    aliases.push(`k${i}`);
    values.push(items.map((it) => textOf(keyValueOf(it.change, k), keyTypes[i] ?? 'text')));
  });
  const compared = columns.map((col, j) => {
    const type = typeOf(info, table, col);
    const spec = expected?.[col];
    let ref: string | null = null;
    if (!spec?.expr || spec.expr.usesValue) {
      params.push(`$${params.length + 1}::text[]`);
      aliases.push(`c${j}`);
      values.push(items.map((it) => textOf(it.expected?.[col]?.value ?? null, type)));
      ref = `u.c${j}::${type}`;
    }
    return { target: `l.${quoteIdent(col)}::text`, expected: `(${valueSql(spec, ref, type)})::text` };
  });
  const join = (alias: string): string => key.map((k, i) => `${alias}.${quoteIdent(k)} = u.k${i}::${keyTypes[i]}`).join(' AND ');
  const present = `l.${quoteIdent(key[0] ?? '')}`;
  const differs =
    expected === null
      ? `${present} IS NOT NULL`
      : compared.length === 0
        ? `${present} IS NULL`
        : `${present} IS NULL OR ROW(${compared.map((c) => c.target).join(', ')}) IS DISTINCT FROM ROW(${compared.map((c) => c.expected).join(', ')})`;
  return {
    text:
      `WITH u AS (SELECT * FROM unnest(${params.join(', ')}) AS u(${aliases.join(', ')})), ` +
      `l AS (SELECT t.* FROM ${qualified} AS t JOIN u ON ${join('t')} FOR UPDATE OF t) ` +
      `SELECT u.i FROM u LEFT JOIN l ON ${join('l')} WHERE ${differs}`,
    values,
  };
}
