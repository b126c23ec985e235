/**
 * Planning one table mapping for verify: resolve the source and target tables, decide per
 * target column how it is compared (columns.ts) or why it is not, the key (the mapping's
 * `key`, else the source primary key mapped, else the target's), the key's SQL on each side in
 * the target's key space, and the `where` filter as SQL (filter-sql.ts). The plan is checked
 * with EXPLAIN on both databases, so a type error shows here, named, not halfway through.
 */
import type pg from 'pg';
import type { TableMapping } from '../config/schema.js';
import { quoteIdent } from '../sinks/postgres-sql.js';
import { parseFilter } from '../transform/filter.js';
import { compileTableMapping, type CompiledTableMapping } from '../transform/map.js';
import { readTable, typeExists, type ColumnInfo, type TableCatalog } from './catalog.js';
import { projectColumn } from './columns.js';
import { queryError, verifyError, VerifyErrorCode } from './errors.js';
import { translateFilter } from './filter-sql.js';
import type { NotCompared } from './types.js';

export const ALIAS = 'r';

/** One side's SQL pieces; every expression reads the table through ALIAS. */
export interface SideSql {
  readonly side: 'source' | 'target';
  /** `"schema"."table" AS r`. */
  readonly from: string;
  /** Key expressions, in the target's key types (and collation "C" when the databases sort text differently). */
  readonly keys: readonly string[];
  /** Compared columns, in the target column types: hashed as one ROW(…). */
  readonly values: readonly string[];
  /** Compared columns as text, for row diffs. */
  readonly texts: readonly string[];
  /** Conditions every query applies (the filter; non-null keys on the source). */
  readonly where: readonly string[];
}

export interface TablePlan {
  readonly index: number;
  readonly mapping: CompiledTableMapping;
  readonly from: string;
  readonly to: string;
  /** Target key columns. */
  readonly key: readonly string[];
  /** Target key column types, to cast key values given as text. */
  readonly keyTypes: readonly string[];
  /** The source column each target key column comes from. */
  readonly sourceKey: readonly string[];
  readonly compared: readonly string[];
  readonly notCompared: readonly NotCompared[];
  readonly filter?: string;
  readonly source: SideSql;
  readonly target: SideSql;
  /** One key column of an integer type, read as is on the source (ranges can be computed from min and max). */
  readonly integerKey: boolean;
  readonly sourceTable: TableCatalog;
  readonly targetTable: TableCatalog;
}

export interface PlanContext {
  readonly source: pg.Pool;
  readonly target: pg.Pool;
  /** sink.postgres.schema, for unqualified target tables. */
  readonly targetSchema: string;
}

function splitName(name: string, fallback: string | null): { schema: string | null; table: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: fallback, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** The mapping's plan for a source column (map.ts planFor): target name, coercion, expression; undefined when dropped. */
function ruleFor(m: CompiledTableMapping, column: string) {
  const plan = m.columns.get(column);
  if (plan === null) return undefined;
  if (plan) return plan;
  return m.unmapped === 'keep' ? { target: column } : undefined;
}

async function explain(pool: pg.Pool, side: string, sql: string, what: string): Promise<void> {
  try {
    await pool.query(`EXPLAIN ${sql}`);
  } catch (err) {
    throw queryError(err, `${what} does not run on the ${side} database`);
  }
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);

export async function planTable(ctx: PlanContext, raw: TableMapping, index: number): Promise<TablePlan> {
  const mapping = compileTableMapping(raw, `tables[${index}]`);
  const from = splitName(raw.from, null);
  const to = splitName(mapping.to, ctx.targetSchema);
  const [src, tgt] = await Promise.all([readTable(ctx.source, 'source', from.schema, from.table), readTable(ctx.target, 'target', to.schema, to.table)]);
  const fromName = `${src.relation.schema}.${src.relation.table}`;
  const toName = `${tgt.relation.schema}.${tgt.relation.table}`;
  const targetCols = new Map(tgt.columns.map((c) => [c.name, c]));

  // Which source column writes each target column, and how.
  const writers = new Map<string, { source: ColumnInfo; rule: NonNullable<ReturnType<typeof ruleFor>> }>();
  for (const col of src.columns) {
    const rule = ruleFor(mapping, col.name);
    if (!rule) continue;
    if (!targetCols.has(rule.target)) {
      throw verifyError(
        VerifyErrorCode.SCHEMA,
        `${toName} has no column ${rule.target}, which the mapping writes from ${fromName}.${col.name}; the sink would fail — fix the mapping or the target schema`,
        { details: { table: toName, column: rule.target } },
      );
    }
    writers.set(rule.target, { source: col, rule });
  }

  const compared: { name: string; target: ColumnInfo; source: string; targetSql: string; raw: boolean }[] = [];
  const notCompared: NotCompared[] = [];
  for (const t of tgt.columns) {
    const computed = mapping.computed.get(t.name);
    if (computed) {
      notCompared.push({ column: t.name, reason: `computed by the mapping (${computed.source}) on every write` });
      continue;
    }
    const w = writers.get(t.name);
    if (!w) {
      notCompared.push({ column: t.name, reason: 'not written by the mapping (a default, or written by the service)' });
      continue;
    }
    const p = projectColumn({
      source: w.source,
      target: t,
      type: w.rule.type,
      expr: w.rule.expr,
      typeOnSource: w.source.type === t.type || (await typeExists(ctx.source, t.type)),
      alias: ALIAS,
    });
    if (p.kind === 'skip') notCompared.push({ column: t.name, reason: p.reason });
    else compared.push({ name: t.name, target: t, source: p.source, targetSql: p.target, raw: p.raw });
  }

  const key =
    mapping.key ??
    (src.primaryKey.length > 0 ? src.primaryKey.map((c) => ruleFor(mapping, c)?.target ?? c) : undefined) ??
    (tgt.primaryKey.length > 0 ? tgt.primaryKey : undefined);
  if (!key || key.length === 0) {
    throw verifyError(VerifyErrorCode.SCHEMA, `${fromName} has no primary key and the mapping names none; set tables[${index}].key`, { details: { table: fromName } });
  }
  const sameCollation = src.datcollate === tgt.datcollate;
  const keyParts = key.map((k) => {
    const c = compared.find((x) => x.name === k);
    const w = writers.get(k);
    if (!c || !w) {
      throw verifyError(VerifyErrorCode.SCHEMA, `key column ${toName}.${k} is not a compared column written from the source; check tables[${index}].key`, {
        details: { table: toName, column: k },
      });
    }
    const collate = c.target.collatable && (!sameCollation || c.target.explicitCollation || (c.raw && w.source.explicitCollation));
    const suffix = collate ? ' COLLATE "C"' : '';
    return { source: `${c.source}${suffix}`, target: `${c.targetSql}${suffix}`, type: c.target.type, sourceColumn: w.source.name, raw: c.raw, typname: c.target.typname };
  });

  let filter: string | undefined;
  if (raw.where !== undefined) {
    const names = new Set(src.columns.map((c) => c.name));
    const t = translateFilter(parseFilter(raw.where, `tables[${index}].where`), (name) => (names.has(name) ? `${ALIAS}.${quoteIdent(name)}` : undefined));
    if ('refused' in t) {
      throw verifyError(VerifyErrorCode.FILTER, `tables[${index}].where "${raw.where}" cannot be checked against the source rows: ${t.refused}`, {
        details: { table: fromName, filter: raw.where },
      });
    }
    filter = t.sql;
  }

  const sourceWhere = [...(filter ? [filter] : []), ...keyParts.map((k) => `${k.source} IS NOT NULL`)];
  const source: SideSql = {
    side: 'source',
    from: `${src.relation.sql} AS ${ALIAS}`,
    keys: keyParts.map((k) => k.source),
    values: compared.map((c) => c.source),
    texts: compared.map((c) => `(${c.source})::text`),
    where: sourceWhere,
  };
  const target: SideSql = {
    side: 'target',
    from: `${tgt.relation.sql} AS ${ALIAS}`,
    keys: keyParts.map((k) => k.target),
    values: compared.map((c) => c.targetSql),
    texts: compared.map((c) => `(${c.targetSql})::text`),
    where: [],
  };
  const probe = (s: SideSql): string =>
    `SELECT ${s.keys.join(', ')}, hashtextextended(ROW(${s.values.join(', ')})::text, 0) FROM ${s.from}${s.where.length ? ` WHERE ${s.where.join(' AND ')}` : ''}`;
  if (filter) {
    try {
      await ctx.source.query(`EXPLAIN SELECT 1 FROM ${source.from} WHERE ${filter}`);
    } catch (err) {
      throw verifyError(VerifyErrorCode.FILTER, `tables[${index}].where "${raw.where}" does not translate to SQL on ${fromName}: ${(err as Error).message}`, {
        cause: err,
        details: { table: fromName, filter: raw.where },
      });
    }
  }
  await Promise.all([explain(ctx.source, 'source', probe(source), `the mapped projection of ${fromName}`), explain(ctx.target, 'target', probe(target), `reading ${toName}`)]);
  const only = keyParts[0];
  return {
    index,
    mapping,
    from: fromName,
    to: toName,
    key,
    keyTypes: keyParts.map((k) => k.type),
    sourceKey: keyParts.map((k) => k.sourceColumn),
    compared: compared.map((c) => c.name),
    notCompared,
    ...(filter ? { filter } : {}),
    source,
    target,
    integerKey: keyParts.length === 1 && only !== undefined && only.raw && INTEGER_TYPES.has(only.typname),
    sourceTable: src,
    targetTable: tgt,
  };
}
