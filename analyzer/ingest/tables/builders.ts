/**
 * Query-builder table use, read from one flattened call chain (chain.ts):
 *
 * - knex: `knex('orders').where(…)`, `this.db('t').insert(…)`, `trx('t as o').first()` — a call
 *   with one table-like string whose chain continues with builder methods; `knex.table('t')`,
 *   `.from('t')`, `.into('t')`, `.join('t', …)` and every `*Join('t', …)`; migrations'
 *   `knex.schema.createTable|alterTable|table('t', …)` (write).
 * - Kysely: `selectFrom('t')` (or an array), `insertInto`, `replaceInto`, `updateTable`,
 *   `deleteFrom`, `mergeInto(…).using('s')`; `.with('cte', …)` names are not tables.
 * - Drizzle / TypeORM query builder with table objects or entity classes as arguments:
 *   `db.select().from(orders)`, `db.insert(orders)`, `qb.update(Order)`, `.into(Order)` — only
 *   for identifiers imported from a schema-like module (schema/table/model/entity in the path)
 *   or declared in the file; the table is the declared name or the identifier in snake_case.
 *
 * Access: the chain's main table is written when the chain calls insert / update / del /
 * delete / increment / decrement / upsert / merge / truncate, else read; joined tables are read.
 * To keep `Array.from('abc')`, `path.join('a', 'b')` or `$('div').first()` out, a chain counts
 * only when it hangs off a handle-like name (knex, db, trx, tx, qb, connection, …), uses a
 * Kysely entry point, or calls a distinctive builder method (where…, select, insert, update,
 * del/delete, returning, orderBy, groupBy…).
 */
import { ts } from 'ts-morph';
import type { TableAccess } from '../../model.js';
import { stringArg, type Chain, type Link } from './chain.js';
import type { FileTables } from './context.js';
import { tableFromBuilderArg } from './names.js';

const HANDLES = new Set(['knex', 'db', 'trx', 'tx', 'qb', 'database', 'conn', 'connection', 'k', 'pg', 'mysql', 'client', 'transaction', 'builder', 'kysely', 'drizzle', 'orm']);
const NOT_ROOTS = new Set(['$', 'jquery', 'cy', 'expect', 't', 'i18n', 'require', 'import', 'chalk', 'debug', 'moment', 'dayjs', 'z', 'describe', 'it', 'test']);
const WRITES = new Set(['insert', 'update', 'del', 'delete', 'increment', 'decrement', 'upsert', 'merge', 'truncate']);
const STRONG = new Set(['select', 'insert', 'update', 'del', 'delete', 'returning', 'orderBy', 'groupBy', 'increment', 'decrement', 'upsert', 'truncate', 'pluck', 'onConflict', 'whereIn', 'whereNotIn', 'andWhere', 'orWhere', 'whereRaw', 'whereNull', 'whereNotNull', 'selectAll', 'executeTakeFirst', 'executeTakeFirstOrThrow']);
const WEAK = new Set(['where', 'first', 'count', 'sum', 'min', 'max', 'avg', 'limit', 'offset', 'having', 'distinct', 'columns', 'column', 'forUpdate', 'modify', 'merge', 'then', 'execute', 'values', 'set']);
const JOINS = /^(join|innerJoin|leftJoin|rightJoin|fullJoin|outerJoin|crossJoin|leftOuterJoin|rightOuterJoin|fullOuterJoin|joinLateral|innerJoinLateral|leftJoinLateral)$/;
const PRIMARY = new Set(['from', 'into', 'table']);
const IDENT_PRIMARY = new Set(['from', 'into', 'update', 'insert', 'delete']);
const KYSELY: Readonly<Record<string, TableAccess>> = { selectFrom: 'read', insertInto: 'write', replaceInto: 'write', updateTable: 'write', deleteFrom: 'write', mergeInto: 'write' };
const SCHEMA_DDL = new Set(['createTable', 'createTableIfNotExists', 'alterTable', 'table']);

function isHandle(name: string): boolean {
  return HANDLES.has(name.toLowerCase()) || /knex/i.test(name) || /^db[A-Z_]|Db$|DB$/.test(name);
}

/** A table object / entity class argument (`orders`, `schema.orders`, `Order`) → its name. */
function schemaIdent(e: ts.Expression | undefined, ctx: FileTables): string | null {
  if (!e) return null;
  if (ts.isIdentifier(e)) return ctx.schemaNames.has(e.text) ? e.text : null;
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && ctx.schemaNamespaces.has(e.expression.text)) {
    return e.name.text;
  }
  return null;
}

/** Strings in a string or array-of-strings argument (Kysely `selectFrom(['a', 'b as x'])`). */
function tableArgs(e: ts.Expression | undefined): string[] {
  const one = stringArg(e);
  if (one !== null) {
    const t = tableFromBuilderArg(one);
    return t ? [t] : [];
  }
  if (e && ts.isArrayLiteralExpression(e)) return e.elements.flatMap((x) => tableArgs(x));
  return [];
}

/** TypeORM relation joins (`leftJoin('user.photos', 'photo')`) name a property, not a table. */
function isRelationJoin(link: Link): boolean {
  const [a, b] = link.args ?? [];
  const first = stringArg(a);
  const second = stringArg(b);
  return link.args?.length === 2 && first !== null && second !== null && /^\w+$/.test(second);
}

/** Record the tables one chain touches, if it is a query-builder chain. */
export function builderTables(chain: Chain, ctx: FileTables): void {
  const links = chain.links;
  const firstCall = links.findIndex((l) => l.args !== null);
  if (firstCall < 0) return;
  const methods = links.slice(firstCall + 1).map((l) => l.name);
  const hasHandle = links.slice(0, firstCall + 1).some((l) => isHandle(l.name));
  const kysely = links.some((l) => l.args !== null && Object.hasOwn(KYSELY, l.name));
  const strong = methods.some((m) => STRONG.has(m) || m.startsWith('where'));
  if (!hasHandle && !kysely && !strong) return;

  const write = links.some((l) => l.args !== null && WRITES.has(l.name));
  const main = new Set<string>();
  const joined = new Set<string>();
  const mainEntities = new Set<string>();
  const joinedEntities = new Set<string>();
  const ctes = new Set<string>();
  let mainAccess: TableAccess = write ? 'write' : 'read';

  // The root call: knex('orders'), this.db('t'), trx('t as o').
  const root = links[firstCall] as Link;
  const rootArg = root.args?.length === 1 ? stringArg(root.args[0]) : null;
  const rootTable = rootArg === null ? null : tableFromBuilderArg(rootArg);
  if (rootTable && !PRIMARY.has(root.name) && !JOINS.test(root.name) && !Object.hasOwn(KYSELY, root.name)) {
    const anyBuilder = methods.some((m) => STRONG.has(m) || WEAK.has(m) || JOINS.test(m) || m.startsWith('where'));
    const rootIsHandle = isHandle(root.name);
    // Off a name that is not a handle, `update`/`insert`/`delete` alone are too common
    // (`createHash('sha1').update(…)`); a query-only method must be there too.
    const queryOnly = methods.some((m) => STRONG.has(m) && !WRITES.has(m) || m.startsWith('where'));
    if (/knex/i.test(root.name) || (rootIsHandle && anyBuilder) || (queryOnly && !NOT_ROOTS.has(root.name.toLowerCase()))) {
      main.add(rootTable);
    }
  }

  const schemaIdx = links.findIndex((l) => l.name === 'schema' && l.args === null);
  links.forEach((link, i) => {
    if (link.args === null) return;
    const arg0 = link.args[0];
    if (schemaIdx >= 0 && i === schemaIdx + 1 && SCHEMA_DDL.has(link.name)) {
      for (const t of tableArgs(arg0)) ctx.use(t, 'write', 'query-builder');
      return;
    }
    const kyselyAccess = Object.hasOwn(KYSELY, link.name) ? KYSELY[link.name] : undefined;
    if (kyselyAccess) {
      mainAccess = kyselyAccess;
      for (const t of tableArgs(arg0)) main.add(t);
    } else if (link.name === 'with' || link.name === 'withRecursive') {
      for (const t of tableArgs(arg0)) ctes.add(t);
    } else if (link.name === 'using' && links.some((l) => l.name === 'mergeInto')) {
      for (const t of tableArgs(arg0)) joined.add(t);
    } else if (PRIMARY.has(link.name) && stringArg(arg0) !== null) {
      for (const t of tableArgs(arg0)) main.add(t);
    } else if (JOINS.test(link.name) && link.args.length >= 2 && !isRelationJoin(link)) {
      for (const t of tableArgs(arg0)) joined.add(t);
    }
    const ident = schemaIdent(arg0, ctx);
    if (ident !== null) {
      if (IDENT_PRIMARY.has(link.name)) mainEntities.add(ident);
      else if (JOINS.test(link.name)) joinedEntities.add(ident);
    }
  });
  for (const t of main) if (!ctes.has(t)) ctx.use(t, mainAccess, 'query-builder');
  for (const t of joined) if (!ctes.has(t)) ctx.use(t, 'read', 'query-builder');
  for (const e of mainEntities) ctx.useEntity(e, write ? 'write' : 'read', 'query-builder');
  for (const e of joinedEntities) ctx.useEntity(e, 'read', 'query-builder');
}
