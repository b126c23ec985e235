/**
 * A mapping's `where` filter (cdc/transform/filter.ts) as a SQL condition on the source's
 * current rows. The pipeline evaluates the filter per event, so the target holds the rows
 * whose latest image passed it; over current rows that is `after.<col>` (and `key.<col>`).
 * `op` and `before.<col>` have no meaning for a row at rest: such filters are refused, and the
 * table is reported as not comparable rather than compared wrongly.
 *
 * The JS semantics are kept where SQL differs: `and`/`or` treat an unknown (null) side as
 * false (two-valued), `x in (…)` ignores null list items, and the filter passes only when the
 * result is true. A column the source table lacks reads as null, as in JS.
 *
 * @example
 *   translateFilter(parseFilter("after.active = true and after.sku not in ('TEST')"), ref)
 *   // → { sql: "((r.\"active\" = TRUE) IS TRUE AND (CASE WHEN … END) IS TRUE) IS TRUE" }
 */
import type { CdcValue } from '../model.js';
import type { FilterNode } from '../transform/filter.js';

export type FilterSql = { readonly sql: string } | { readonly refused: string };

function literal(v: CdcValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return Number.isFinite(v) ? `(${String(v)})` : 'NULL';
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  return `'${JSON.stringify(v).replace(/'/g, "''")}'`;
}

class Refused extends Error {}

/** `column(name)` gives the SQL reference to a source column, or undefined when the table has none. */
export function translateFilter(ast: FilterNode, column: (name: string) => string | undefined): FilterSql {
  const sql = (n: FilterNode): string => {
    switch (n.t) {
      case 'lit':
        return literal(n.v);
      case 'op':
        throw new Refused('it reads op (c/u/r/d), which a row at rest does not have');
      case 'ref': {
        if (n.image === 'before') throw new Refused(`it reads before.${n.column}, the image before a change, which a row at rest does not have`);
        return column(n.column) ?? 'NULL';
      }
      case 'not':
        return `(NOT ${sql(n.e)})`;
      case 'bool':
        return `((${sql(n.l)}) IS TRUE ${n.op === 'and' ? 'AND' : 'OR'} (${sql(n.r)}) IS TRUE)`;
      case 'isnull':
        return `((${sql(n.e)}) IS ${n.negate ? 'NOT ' : ''}NULL)`;
      case 'in': {
        const e = sql(n.e);
        const items = n.list.filter((x) => x !== null).map(literal);
        const found = items.length === 0 ? 'FALSE' : `(${e}) ${n.negate ? 'NOT IN' : 'IN'} (${items.join(', ')})`;
        return `(CASE WHEN (${e}) IS NULL THEN NULL ELSE ${items.length === 0 && n.negate ? 'TRUE' : found} END)`;
      }
      case 'cmp':
        return `((${sql(n.l)}) ${n.op === '!=' ? '<>' : n.op} (${sql(n.r)}))`;
    }
  };
  try {
    return { sql: `(${sql(ast)}) IS TRUE` };
  } catch (err) {
    if (err instanceof Refused) return { refused: err.message };
    throw err;
  }
}
