/**
 * SQL for the MySQL/MariaDB sink: batched multi-row statements with `?` parameters, sent as
 * server-side prepared statements (values never spliced into the SQL text):
 *
 *   INSERT INTO `db`.`t` (`id`, `name`, `price`) VALUES (?, ?, (? / 100.0)), (?, ?, (? / 100.0))
 *     ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `price` = VALUES(`price`)
 *   DELETE FROM `db`.`t` WHERE `id` IN (?, ?, ?)            (one key column)
 *   DELETE FROM `db`.`t` WHERE (`a`, `b`) IN ((?, ?), (?, ?)) (composite key)
 *
 * `VALUES(col)` is the form both MySQL and MariaDB understand (MariaDB has no `AS alias` row
 * alias; MySQL 8.0.20+ deprecates VALUES() in favour of it): the sink picks `alias` for MySQL
 * ≥ 8.0.19 and `values` otherwise. Only the columns a change carries are written, so
 * unchanged-TOAST columns stay as they are. Rows are split into statements of a power-of-two
 * size (at most 512 rows and 65 535 parameters each), so a connection prepares a handful of
 * statement shapes per column set rather than one per batch size.
 *
 * A `schema.table` target names a database: `shop.items` is table `items` in database `shop`;
 * a bare `items` is in the database of the sink's URL.
 */
import { FicusError } from '../../core/index.js';
import type { DeleteChange, UpsertChange } from '../transform/types.js';
import { SinkErrorCode } from './errors.js';
import { mysqlParam, type MysqlParam } from './mysql-values.js';

export function quoteIdent(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** `items` → { database, table: 'items' }; `shop.items` → { database: 'shop', table: 'items' }. */
export function splitTable(table: string, database: string): { database: string; table: string } {
  const dot = table.indexOf('.');
  return dot < 0 ? { database, table } : { database: table.slice(0, dot), table: table.slice(dot + 1) };
}

/** `items` → `` `service`.`items` ``. */
export function qualify(table: string, database: string): string {
  const t = splitTable(table, database);
  return `${quoteIdent(t.database)}.${quoteIdent(t.table)}`;
}

export interface MysqlColumn {
  readonly name: string;
  /** information_schema DATA_TYPE, lower case (`int`, `decimal`, `datetime`, `json` …). */
  readonly dataType: string;
}

/** A target table as the sink sees it: columns by lower-case name (MySQL column names ignore case), unique keys. */
export interface MysqlTableInfo {
  readonly table: string;
  readonly columns: ReadonlyMap<string, MysqlColumn>;
  /** Column sets (lower case) of the PRIMARY KEY and every UNIQUE index. */
  readonly uniqueKeys: readonly (readonly string[])[];
}

export type UpsertSyntax = 'values' | 'alias';

export interface Statement {
  readonly text: string;
  readonly values: MysqlParam[];
}

const MAX_ROWS = 512;
const MAX_PARAMS = 65_535;
/** Stands for `value` while an expression is rendered; each occurrence becomes one `?`. */
const VALUE_REF = '\u0000ficus_value\u0000';

function column(info: MysqlTableInfo, name: string): MysqlColumn {
  const c = info.columns.get(name.toLowerCase());
  if (!c) {
    throw new FicusError(
      SinkErrorCode.SCHEMA,
      `target table ${info.table} has no column ${name}; its columns are ${[...info.columns.values()].map((x) => x.name).join(', ')}; fix the mapping or the target schema`,
      { details: { table: info.table, column: name } },
    );
  }
  return c;
}

/** Rejects a key that no PRIMARY KEY or UNIQUE index covers exactly: ON DUPLICATE KEY UPDATE would never fire and rows would pile up. */
export function checkKey(info: MysqlTableInfo, key: readonly string[]): void {
  const want = [...new Set(key.map((k) => k.toLowerCase()))].sort().join(',');
  if (info.uniqueKeys.some((u) => [...u].sort().join(',') === want)) return;
  throw new FicusError(
    SinkErrorCode.SCHEMA,
    `target table ${info.table} has no PRIMARY KEY or UNIQUE index on (${key.join(', ')}); its unique keys are ${
      info.uniqueKeys.map((u) => `(${u.join(', ')})`).join(', ') || 'none'
    }; add one or set tables[].key`,
    { details: { table: info.table, key } },
  );
}

/** Statement sizes for `n` rows: powers of two, largest first, none above `max`. */
export function chunkSizes(n: number, max: number): number[] {
  let cap = 1;
  while (cap * 2 <= Math.max(1, max)) cap *= 2;
  const out: number[] = [];
  let left = n;
  while (left > 0) {
    let size = cap;
    while (size > left) size /= 2;
    out.push(size);
    left -= size;
  }
  return out;
}

function chunks<T>(items: readonly T[], paramsPerItem: number): T[][] {
  const max = Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / Math.max(1, paramsPerItem)));
  const out: T[][] = [];
  let at = 0;
  for (const size of chunkSizes(items.length, max)) {
    out.push(items.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Column set of an upsert: changes with the same signature go in one statement. */
export function upsertSignature(c: UpsertChange): string {
  return Object.keys(c.columns)
    .sort()
    .map((k) => `${k}:${c.columns[k]?.expr?.source ?? ''}`)
    .join(',');
}

interface Slot {
  readonly sql: string;
  /** How many times the column's value is passed (0 for computed columns, 1 for a plain column). */
  readonly uses: number;
}

function slotOf(change: UpsertChange, name: string): Slot {
  const expr = change.columns[name]?.expr;
  if (!expr) return { sql: '?', uses: 1 };
  const parts = expr.render(VALUE_REF).split(VALUE_REF);
  return { sql: `(${parts.join('?')})`, uses: parts.length - 1 };
}

/** Multi-row upserts for changes sharing one upsertSignature. */
export function upsertStatements(qualified: string, info: MysqlTableInfo, changes: readonly UpsertChange[], syntax: UpsertSyntax = 'values'): Statement[] {
  const first = changes[0];
  if (!first) return [];
  checkKey(info, first.key);
  const names = Object.keys(first.columns).sort();
  const cols = names.map((n) => column(info, n));
  const slots = names.map((n) => slotOf(first, n));
  const perRow = slots.reduce((sum, s) => sum + s.uses, 0);
  const row = `(${slots.map((s) => s.sql).join(', ')})`;
  const keys = new Set(first.key.map((k) => k.toLowerCase()));
  const rest = names.filter((n) => !keys.has(n.toLowerCase()));
  const alias = syntax === 'alias' ? ' AS ficus_new' : '';
  const set =
    rest.length === 0
      ? `${quoteIdent(first.key[0] ?? '')} = ${quoteIdent(first.key[0] ?? '')}`
      : rest.map((n) => `${quoteIdent(n)} = ${syntax === 'alias' ? `ficus_new.${quoteIdent(n)}` : `VALUES(${quoteIdent(n)})`}`).join(', ');
  return chunks(changes, perRow).map((group) => {
    const values: MysqlParam[] = [];
    for (const change of group) {
      names.forEach((n, i) => {
        const uses = slots[i]?.uses ?? 0;
        const param = mysqlParam(change.columns[n]?.value ?? null, cols[i]?.dataType ?? 'varchar');
        for (let k = 0; k < uses; k++) values.push(param);
      });
    }
    return {
      text: `INSERT INTO ${qualified} (${names.map(quoteIdent).join(', ')}) VALUES ${group.map(() => row).join(', ')}${alias} ON DUPLICATE KEY UPDATE ${set}`,
      values,
    };
  });
}

/** Deletes by key for changes sharing one key column list. */
export function deleteStatements(qualified: string, info: MysqlTableInfo, changes: readonly DeleteChange[]): Statement[] {
  const first = changes[0];
  if (!first) return [];
  const key = first.key;
  const cols = key.map((k) => column(info, k));
  const one = key.length === 1;
  const target = one ? quoteIdent(key[0] ?? '') : `(${key.map(quoteIdent).join(', ')})`;
  const tuple = one ? '?' : `(${key.map(() => '?').join(', ')})`;
  return chunks(changes, key.length).map((group) => ({
    text: `DELETE FROM ${qualified} WHERE ${target} IN (${group.map(() => tuple).join(', ')})`,
    values: group.flatMap((c) => key.map((k, i) => mysqlParam(c.keyValues[k] ?? null, cols[i]?.dataType ?? 'varchar'))),
  }));
}
