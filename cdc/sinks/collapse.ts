/**
 * Collapsing a batch per target key before a set-based apply. Per table and key, in order:
 * - an upsert after an upsert merges them (later values win; a column the later one left
 *   unchanged keeps the earlier value; the earlier old row `before` is kept);
 * - a delete discards what came before it for that key and is remembered;
 * - an upsert after a delete keeps the delete, so the apply deletes then inserts: the final row
 *   is exactly the re-inserted one (no columns or defaults left over from the deleted row);
 * - a truncate discards everything before it for that table.
 * The apply order is then: truncates, deletes, upserts — which is equivalent to the original
 * sequence because distinct keys do not interact (and if they do, through a unique or foreign
 * key, the data error sends the batch to the event-by-event path, which keeps the order).
 */
import type { CdcValue } from '../model.js';
import type { DeleteChange, TargetChange, TruncateChange, UpsertChange } from '../transform/types.js';

export interface CollapsedTable {
  readonly table: string;
  readonly truncate: TruncateChange | null;
  readonly deletes: DeleteChange[];
  readonly upserts: UpsertChange[];
}

interface KeyState {
  deleted: DeleteChange | null;
  upsert: UpsertChange | null;
}

/**
 * Stable identity of a key's values (column order from the change's key). A number and its
 * decimal text are the same key (a bigint may arrive either way). One-column keys with a
 * number or string value, nearly all of them, skip the JSON: `<name length>:<name>:<value>`,
 * which cannot equal the JSON form (that starts with `[`).
 */
export function keyId(change: UpsertChange | DeleteChange): string {
  const key = change.key;
  if (key.length === 1) {
    const k = key[0] as string;
    const v = change.kind === 'delete' ? change.keyValues[k] : change.columns[k]?.value;
    if (typeof v === 'string') return `${k.length}:${k}:${v}`;
    if (typeof v === 'number') return `${k.length}:${k}:${String(v)}`;
  }
  const values: CdcValue[] = key.map((k) => (change.kind === 'delete' ? change.keyValues[k] : change.columns[k]?.value) ?? null);
  return JSON.stringify([key, values.map((v) => (typeof v === 'number' ? String(v) : v))]);
}

function merge(prev: UpsertChange, next: UpsertChange): UpsertChange {
  const columns = { ...prev.columns, ...next.columns };
  const unchanged =
    prev.unchanged.length === 0 && next.unchanged.length === 0
      ? []
      : [...new Set([...prev.unchanged, ...next.unchanged])].filter((c) => !Object.hasOwn(columns, c));
  // The earliest old row is what the target should still hold (conflict policies).
  const before = prev.before ?? (prev.event.op === 'c' || prev.event.op === 'r' ? undefined : next.before);
  return { ...next, columns, unchanged, before };
}

interface TableState {
  truncate: TruncateChange | null;
  readonly keys: Map<string, KeyState>;
}

export function collapse(changes: readonly TargetChange[]): CollapsedTable[] {
  const tables = new Map<string, TableState>();
  for (const change of changes) {
    let t = tables.get(change.table);
    if (!t) {
      t = { truncate: null, keys: new Map() };
      tables.set(change.table, t);
    }
    if (change.kind === 'truncate') {
      t.truncate = change;
      t.keys.clear();
      continue;
    }
    const id = keyId(change);
    const state = t.keys.get(id);
    if (state === undefined) {
      t.keys.set(id, change.kind === 'delete' ? { deleted: change, upsert: null } : { deleted: null, upsert: change });
    } else if (change.kind === 'delete') {
      state.deleted = change;
      state.upsert = null;
    } else {
      state.upsert = state.upsert ? merge(state.upsert, change) : change;
    }
  }
  const out: CollapsedTable[] = [];
  for (const [table, t] of tables) {
    const deletes: DeleteChange[] = [];
    const upserts: UpsertChange[] = [];
    for (const s of t.keys.values()) {
      if (s.deleted) deletes.push(s.deleted);
      if (s.upsert) upserts.push(s.upsert);
    }
    out.push({ table, truncate: t.truncate, deletes, upserts });
  }
  return out;
}
