/**
 * A table mapping's per-column lookups, worked out once per mapping instead of once per event:
 * which target column (with which coercion and expression) a source column becomes, and where
 * each target key column comes from. Mapping an event then allocates no plan, no source map
 * and no key list of its own.
 *
 * Key resolution, as the mapping defines it: a key target is sourced from the last explicitly
 * mapped column (`columns:`) that becomes it; failing that, with `unmapped: keep`, from the
 * source column of the same name — if that name is not itself mapped or dropped and the event
 * carries it in its key, before or after image; otherwise the event has no source for it
 * (CDC_MAP_MISSING_KEY).
 */
import type { CoerceType } from '../config/schema.js';
import type { ChangeEvent, Row } from '../model.js';
import type { SqlExpression } from './sql-expression.js';

export interface ColumnPlan {
  readonly target: string;
  readonly type?: CoerceType;
  readonly expr?: SqlExpression;
}

/** A target key column and the source column it comes from. */
export interface KeyColumn {
  readonly target: string;
  readonly source: string;
  readonly plan: ColumnPlan;
  /** The source column is an unmapped one kept by name: only there when the event carries it. */
  readonly ifPresent: boolean;
  /** No column can supply it. */
  readonly missing: boolean;
}

/** The key columns of one list of targets; `targets` is shared by every change that has this key. */
export interface KeyColumns {
  readonly targets: readonly string[];
  readonly columns: readonly KeyColumn[];
}

/** Plans and key lists cached per mapping, at most this many each (a table has far fewer columns). */
const MAX_CACHED = 4096;

export interface ColumnPlans {
  /** Target column for a source column, or undefined when dropped. */
  planFor(source: string): ColumnPlan | undefined;
  /** Key columns for a list of target names (`tables[].key`). */
  keyColumns(targets: readonly string[]): KeyColumns;
  /** Key columns named by an event's key row (source names, mapped to targets); cached by those names. */
  keyColumnsOfEventKey(names: readonly string[]): KeyColumns;
}

const has = (row: Row | null, column: string): boolean => row !== null && Object.hasOwn(row, column);

/** Whether the event carries the key column's source (in its key, before or after image). */
export function carries(event: ChangeEvent, k: KeyColumn): boolean {
  if (k.missing) return false;
  return !k.ifPresent || has(event.key, k.source) || has(event.before, k.source) || has(event.after, k.source);
}

export function createColumnPlans(columns: ReadonlyMap<string, ColumnPlan | null>, unmapped: 'keep' | 'drop'): ColumnPlans {
  const kept = new Map<string, ColumnPlan>();
  /** Target → the last explicitly mapped source column that becomes it. */
  const explicit = new Map<string, { source: string; plan: ColumnPlan }>();
  for (const [source, plan] of columns) if (plan) explicit.set(plan.target, { source, plan });
  /** Event key names → key columns: one-column keys by the name, longer ones by the JSON of the names. */
  const byName = new Map<string, KeyColumns>();
  const byNames = new Map<string, KeyColumns>();

  function planFor(source: string): ColumnPlan | undefined {
    const plan = columns.get(source);
    if (plan !== undefined) return plan ?? undefined;
    if (unmapped === 'drop') return undefined;
    let k = kept.get(source);
    if (k === undefined) {
      k = { target: source };
      if (kept.size < MAX_CACHED) kept.set(source, k);
    }
    return k;
  }

  function keyColumn(target: string): KeyColumn {
    const e = explicit.get(target);
    if (e) return { target, source: e.source, plan: e.plan, ifPresent: false, missing: false };
    const sameName = unmapped === 'keep' && !columns.has(target);
    return { target, source: target, plan: { target }, ifPresent: sameName, missing: !sameName };
  }

  function keyColumns(targets: readonly string[]): KeyColumns {
    return { targets: [...targets], columns: targets.map(keyColumn) };
  }

  return {
    planFor,
    keyColumns,
    keyColumnsOfEventKey(names) {
      const cache = names.length === 1 ? byName : byNames;
      const id = names.length === 1 ? (names[0] ?? '') : JSON.stringify(names);
      let r = cache.get(id);
      if (r === undefined) {
        r = keyColumns(names.map((c) => planFor(c)?.target ?? c));
        if (cache.size < MAX_CACHED) cache.set(id, r);
      }
      return r;
    },
  };
}
