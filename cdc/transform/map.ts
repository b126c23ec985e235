/**
 * Mapping a change event onto its target table (`tables[]` of ficus.cdc.yaml): renames, drops,
 * coercions, SQL expressions and computed columns, the row filter, key columns, truncates.
 *
 * Semantics:
 * - c/r (insert, snapshot read): an upsert of the mapped row; an unchanged-TOAST placeholder in
 *   it is an error (CDC_MAP_UNAVAILABLE_ON_INSERT), since the full row is unknown.
 * - u: an upsert; placeholder columns are listed in `unchanged` and left as they are.
 * - d: a delete by target key (from `key` and `before`); deletes ignore the filter.
 * - t: a truncate when the mapping has `truncate: true`, else null. m (messages): null.
 * - filter: a c/r row that fails it is skipped (null); a u row that fails it is deleted, since it
 *   has left the replicated set.
 * - `before` (u/d, when the source sent an old row — REPLICA IDENTITY FULL) is mapped like the
 *   row, without computed columns, for the sink's conflict policies.
 *
 * @example
 *   const m = compileTableMapping(config.tables[0]);
 *   const change = mapEvent(event, m); // TargetChange | null; throws a CDC_MAP_* FicusError for a poison event
 */
import { UNAVAILABLE, type CdcValue, type ChangeEvent, type Row } from '../model.js';
import type { CoerceType, TableMapping } from '../config/schema.js';
import { coerce } from './coerce.js';
import { carries, createColumnPlans, type ColumnPlan, type ColumnPlans, type KeyColumns } from './column-plans.js';
import { MapErrorCode, mapError } from './errors.js';
import { compileFilter, type RowFilter } from './filter.js';
import { parseSqlExpression, type SqlExpression } from './sql-expression.js';
import type { DeleteChange, TargetChange, TargetColumn, TargetImage } from './types.js';

export interface CompiledTableMapping {
  readonly from: { readonly schema: string | null; readonly table: string };
  readonly to: string;
  /** Source column → plan, or null when dropped. */
  readonly columns: ReadonlyMap<string, ColumnPlan | null>;
  readonly unmapped: 'keep' | 'drop';
  readonly computed: ReadonlyMap<string, SqlExpression>;
  readonly key: readonly string[] | undefined;
  readonly filter: RowFilter | undefined;
  readonly truncate: boolean;
  /** The per-column lookups, worked out once (column-plans.ts). */
  readonly plans: ColumnPlans;
  /** The key columns of `key`, when the mapping names them. */
  readonly keyColumns: KeyColumns | undefined;
}

function splitName(name: string): { schema: string | null; table: string } {
  const dot = name.indexOf('.');
  return dot < 0 ? { schema: null, table: name } : { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** Parses a table mapping's expressions and filter once; throws CDC_MAP_EXPRESSION / CDC_MAP_FILTER. */
export function compileTableMapping(m: TableMapping, where = 'table mapping'): CompiledTableMapping {
  const columns = new Map<string, ColumnPlan | null>();
  for (const [src, rule] of Object.entries(m.columns ?? {})) {
    if (rule === null) columns.set(src, null);
    else if (typeof rule === 'string') columns.set(src, { target: rule });
    else {
      const plan: { target: string; type?: CoerceType; expr?: SqlExpression } = { target: rule.to ?? src };
      if (rule.type !== undefined) plan.type = rule.type;
      if (rule.expr !== undefined) plan.expr = parseSqlExpression(rule.expr, { allowValue: true, where: `${where}.columns.${src}.expr` });
      columns.set(src, plan);
    }
  }
  const computed = new Map<string, SqlExpression>();
  for (const [col, expr] of Object.entries(m.computed ?? {})) {
    computed.set(col, parseSqlExpression(expr, { allowValue: false, where: `${where}.computed.${col}` }));
  }
  const from = splitName(m.from);
  const unmapped = m.unmapped ?? 'keep';
  const plans = createColumnPlans(columns, unmapped);
  return {
    from,
    to: m.to ?? from.table,
    columns,
    unmapped,
    computed,
    key: m.key,
    filter: m.where === undefined ? undefined : compileFilter(m.where, `${where}.where`),
    truncate: m.truncate ?? false,
    plans,
    keyColumns: m.key === undefined ? undefined : plans.keyColumns(m.key),
  };
}

/** The mapping whose `from` names the event's table (`schema.table` first, then `table`). */
export function findMapping(mappings: readonly CompiledTableMapping[], event: Pick<ChangeEvent, 'schema' | 'table'>): CompiledTableMapping | undefined {
  return (
    mappings.find((m) => m.from.schema !== null && m.from.schema === event.schema && m.from.table === event.table) ??
    mappings.find((m) => m.from.schema === null && m.from.table === event.table)
  );
}

/** Target key columns and, for each, the source column it comes from; throws when the event lacks one. */
function keyPlan(m: CompiledTableMapping, event: ChangeEvent): KeyColumns {
  let plan = m.keyColumns;
  if (plan === undefined) {
    const names = event.key ? Object.keys(event.key) : [];
    if (names.length === 0) {
      throw mapError(MapErrorCode.BAD_EVENT, `${m.from.table}: the event has no key and the mapping names none; set tables[].key`, { table: m.to });
    }
    plan = m.plans.keyColumnsOfEventKey(names);
  }
  for (const k of plan.columns) {
    if (!carries(event, k)) {
      throw mapError(MapErrorCode.MISSING_KEY, `${m.to}: no source column maps to key column ${k.target}`, { table: m.to, column: k.target });
    }
  }
  return plan;
}

/** Key values of a delete: from the event's key, else from `image` (the old row). */
function keyValues(m: CompiledTableMapping, event: ChangeEvent, image: Row | null): DeleteChange['keyValues'] {
  const out: Record<string, Exclude<CdcValue, symbol>> = {};
  const key = event.key;
  for (const k of keyPlan(m, event).columns) {
    const raw = key !== null && Object.hasOwn(key, k.source) ? key[k.source] : (image?.[k.source] ?? key?.[k.source]);
    if (raw === undefined || raw === null || raw === UNAVAILABLE) {
      throw mapError(MapErrorCode.MISSING_KEY, `${m.to}: the event has no value for key column ${k.target} (source ${k.source})`, {
        table: m.to,
        column: k.target,
      });
    }
    out[k.target] = (k.plan.type ? coerce(raw, k.plan.type, k.source) : raw) as Exclude<CdcValue, symbol>;
  }
  return out;
}

/** A mapped image of the event's old row, for conflict policies; undefined when the source sent none. */
function beforeOf(m: CompiledTableMapping, event: ChangeEvent): TargetImage | undefined {
  const row = event.before;
  if (!row) return undefined;
  const out: Record<string, TargetColumn> = {};
  for (const col of Object.keys(row)) {
    const raw = row[col] as CdcValue;
    const plan = m.plans.planFor(col);
    if (!plan || raw === UNAVAILABLE) continue;
    const value = (plan.type ? coerce(raw, plan.type, col) : raw) as Exclude<CdcValue, symbol>;
    out[plan.target] = plan.expr ? { value, expr: plan.expr } : { value };
  }
  return out;
}

function deleteOf(m: CompiledTableMapping, event: ChangeEvent, image: Row | null): DeleteChange {
  const values = keyValues(m, event, image);
  const before = beforeOf(m, event);
  const key = Object.keys(values);
  return before ? { kind: 'delete', table: m.to, key, keyValues: values, event, before } : { kind: 'delete', table: m.to, key, keyValues: values, event };
}

/** Maps one event; null when the mapping skips it. Throws a CDC_MAP_* FicusError for a poison event. */
export function mapEvent(event: ChangeEvent, m: CompiledTableMapping): TargetChange | null {
  switch (event.op) {
    case 'm':
      return null;
    case 't':
      return m.truncate ? { kind: 'truncate', table: m.to, event } : null;
    case 'd':
      return deleteOf(m, event, event.before);
    default:
      break;
  }
  const after = event.after;
  if (!after) throw mapError(MapErrorCode.BAD_EVENT, `${m.from.table}: a "${event.op}" event without an after image`, { table: m.to });
  if (m.filter && !m.filter(event)) return event.op === 'u' ? deleteOf(m, event, event.before ?? after) : null;
  const columns: Record<string, TargetColumn> = {};
  const unchanged: string[] = [];
  for (const col of Object.keys(after)) {
    const raw = after[col] as CdcValue;
    const plan = m.plans.planFor(col);
    if (!plan) continue;
    if (raw === UNAVAILABLE) {
      if (event.op !== 'u') {
        throw mapError(
          MapErrorCode.UNAVAILABLE_ON_INSERT,
          `${m.from.table}: column ${col} is an unchanged-TOAST placeholder in a "${event.op}" event, so the row cannot be inserted`,
          { table: m.to, column: col },
        );
      }
      unchanged.push(plan.target);
      continue;
    }
    const value = (plan.type ? coerce(raw, plan.type, col) : raw) as Exclude<CdcValue, symbol>;
    columns[plan.target] = plan.expr ? { value, expr: plan.expr } : { value };
  }
  for (const [col, expr] of m.computed) columns[col] = { value: null, expr, computed: true };
  const key = keyPlan(m, event).targets;
  for (const k of key) {
    const c = columns[k];
    if (!c || c.value === null || c.expr) {
      throw mapError(MapErrorCode.MISSING_KEY, `${m.to}: the row has no plain value for key column ${k}`, { table: m.to, column: k });
    }
  }
  const before = beforeOf(m, event);
  return before ? { kind: 'upsert', table: m.to, key, columns, unchanged, event, before } : { kind: 'upsert', table: m.to, key, columns, unchanged, event };
}
