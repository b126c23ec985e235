/**
 * SQL for the Postgres sink, set-based: values travel as text arrays (one parameter per
 * column), are unnested, cast to the target column's type and, where the mapping says, passed
 * through its SQL expression:
 *
 *   INSERT INTO t (k, a, b) SELECT u.c0::integer, (u.c1::numeric / 100.0)::numeric(12,2), now()::timestamptz
 *     FROM unnest($1::text[], $2::text[]) AS u(c0, c1)
 *     ON CONFLICT (k) DO UPDATE SET a = EXCLUDED.a, b = EXCLUDED.b
 *   DELETE FROM t WHERE (k) IN (SELECT u.c0::integer FROM unnest($1::text[]) AS u(c0))
 *
 * Each `text[]` parameter is sent as an array literal built here (pg-array.ts), not by the driver.
 * Only the columns a change carries are written, so unchanged-TOAST columns stay as they are.
 * Conflict policy newerWins adds `INSERT INTO t AS t … DO UPDATE SET … WHERE t.col IS NULL OR
 * t.col < EXCLUDED.col` (postgres-conflict-sql.ts has the delete and dead-letter checks).
 */
import { UNAVAILABLE, type CdcValue } from '../model.js';
import type { DeleteChange, UpsertChange } from '../transform/types.js';
import { FicusError } from '../../core/index.js';
import { SinkErrorCode } from './errors.js';
import { quoteArrayElement, textArrayLiteral, type ArrayElement } from './pg-array.js';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `catalog_items` → `"public"."catalog_items"`; `s.t` → `"s"."t"`. */
export function qualify(table: string, schema: string): string {
  const dot = table.indexOf('.');
  return dot < 0 ? `${quoteIdent(schema)}.${quoteIdent(table)}` : `${quoteIdent(table.slice(0, dot))}.${quoteIdent(table.slice(dot + 1))}`;
}

/** Target column name → its SQL type (`format_type`), read from the catalog once per table. */
export type TableInfo = ReadonlyMap<string, string>;

function toJsonSafe(v: CdcValue): unknown {
  if (v === UNAVAILABLE) return '__debezium_unavailable_value';
  if (Buffer.isBuffer(v)) return { $base64: v.toString('base64') };
  if (Array.isArray(v)) return v.map(toJsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonSafe(x)]));
  return v;
}

/** JSON for dead letters and json columns: placeholders and bytes kept distinguishable. */
export function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'symbol' ? '__debezium_unavailable_value' : x), 0) ?? 'null';
}

function arrayLiteral(v: readonly CdcValue[]): string {
  const item = (x: CdcValue): string => {
    if (x === null) return 'NULL';
    if (Array.isArray(x)) return arrayLiteral(x);
    return quoteArrayElement(textOf(x, 'text') ?? '');
  };
  return `{${v.map(item).join(',')}}`;
}

/** A value in Postgres text input form for a column of `type`; null for SQL NULL. */
export function textOf(v: CdcValue, type: string): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (Array.isArray(v) && type.endsWith('[]')) return arrayLiteral(v);
  return JSON.stringify(toJsonSafe(v));
}

/** A value as a `text[]` element: numbers and booleans as they are (pg-array.ts writes their text, as textOf would), else textOf. */
function elementOf(v: CdcValue, type: string): ArrayElement {
  return typeof v === 'number' || typeof v === 'boolean' ? v : textOf(v, type);
}

/** The SQL type of a target column; CDC_SINK_SCHEMA naming the valid columns when it is missing. */
export function typeOf(info: TableInfo, table: string, column: string): string {
  const t = info.get(column);
  if (t === undefined) {
    throw new FicusError(
      SinkErrorCode.SCHEMA,
      `target table ${table} has no column ${column}; its columns are ${[...info.keys()].join(', ')}; fix the mapping or the target schema`,
      {
        details: { table, column },
      },
    );
  }
  return t;
}

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/** Column set of an upsert: changes with the same signature go in one statement. */
export function upsertSignature(c: UpsertChange): string {
  return Object.keys(c.columns)
    .sort()
    .map((k) => `${k}:${c.columns[k]?.expr?.source ?? ''}`)
    .join(',');
}

/** Whether two column sets have the same signature: the same columns with the same expressions (no strings built). */
function sameColumns(a: UpsertChange['columns'], b: UpsertChange['columns']): boolean {
  let n = 0;
  for (const k in b) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined || (x.expr?.source ?? '') !== (y.expr?.source ?? '')) return false;
    n++;
  }
  for (const _k in a) n--;
  return n === 0;
}

/**
 * Upserts grouped by upsertSignature, groups in order of first appearance, changes in batch
 * order. A change with the same columns as the one before it (the usual case) joins its group
 * without computing the signature.
 */
export function groupUpserts(changes: readonly UpsertChange[]): UpsertChange[][] {
  const groups = new Map<string, UpsertChange[]>();
  let prev: UpsertChange | undefined;
  let group: UpsertChange[] = [];
  for (const c of changes) {
    if (prev === undefined || !sameColumns(prev.columns, c.columns)) {
      const signature = upsertSignature(c);
      const found = groups.get(signature);
      if (found) group = found;
      else groups.set(signature, (group = []));
    }
    group.push(c);
    prev = c;
  }
  return [...groups.values()];
}

export interface UpsertOptions {
  /** Conflict policy newerWins: update an existing row only when its value of this column is NULL or older. */
  readonly newerWins?: string;
}

export function upsertStatement(qualified: string, table: string, info: TableInfo, changes: readonly UpsertChange[], options: UpsertOptions = {}): Statement {
  const first = changes[0];
  if (!first) throw new Error('upsertStatement needs at least one change');
  const columns = Object.keys(first.columns).sort();
  const params: string[] = [];
  const values: string[] = [];
  const selects = columns.map((col) => {
    const type = typeOf(info, table, col);
    const spec = first.columns[col];
    const usesParam = !spec?.expr || spec.expr.usesValue;
    let ref = '';
    if (usesParam) {
      const i = params.length;
      params.push(`$${i + 1}::text[]`);
      const elements = new Array<ArrayElement>(changes.length);
      for (let j = 0; j < changes.length; j++) elements[j] = elementOf((changes[j] as UpsertChange).columns[col]?.value ?? null, type);
      values.push(textArrayLiteral(elements));
      ref = `u.c${i}::${type}`;
    }
    return spec?.expr ? `(${spec.expr.render(`(${ref})`)})::${type}` : ref;
  });
  const names = columns.map(quoteIdent).join(', ');
  const aliases = params.map((_p, i) => `c${i}`).join(', ');
  const key = first.key.map(quoteIdent).join(', ');
  const set = columns.filter((c) => !first.key.includes(c)).map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`);
  const newer =
    options.newerWins === undefined
      ? ''
      : ` WHERE t.${quoteIdent(options.newerWins)} IS NULL OR t.${quoteIdent(options.newerWins)} < EXCLUDED.${quoteIdent(options.newerWins)}`;
  const conflict = set.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${set.join(', ')}${newer}`;
  return {
    text: `INSERT INTO ${qualified}${options.newerWins === undefined ? '' : ' AS t'} (${names}) SELECT ${selects.join(', ')} FROM unnest(${params.join(', ')}) AS u(${aliases}) ON CONFLICT (${key}) ${conflict}`,
    values,
  };
}

export function deleteStatement(qualified: string, table: string, info: TableInfo, changes: readonly DeleteChange[]): Statement {
  const first = changes[0];
  if (!first) throw new Error('deleteStatement needs at least one change');
  const key = first.key;
  const types = key.map((k) => typeOf(info, table, k));
  return {
    text: `DELETE FROM ${qualified} WHERE (${key.map(quoteIdent).join(', ')}) IN (SELECT ${key.map((_k, i) => `u.c${i}::${types[i]}`).join(', ')} FROM unnest(${key
      .map((_k, i) => `$${i + 1}::text[]`)
      .join(', ')}) AS u(${key.map((_k, i) => `c${i}`).join(', ')}))`,
    values: key.map((k, i) => textArrayLiteral(changes.map((c) => elementOf(c.keyValues[k] ?? null, types[i] ?? 'text')))),
  };
}
