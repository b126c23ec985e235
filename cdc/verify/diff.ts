/**
 * Row-level differences between the two sides of a range (or of a set of keys), diffed by
 * key in Node once a chunk has been narrowed down to a few rows: missing (source only), extra
 * (target only), different (both, listing the columns whose text differs). Found rows are
 * kept in a collector, keyed, up to a limit.
 */
import type { Bound } from './hash-sql.js';
import type { TablePlan } from './plan.js';
import type { ColumnDiff, KeyValues, Mismatches } from './types.js';

/** A row as fetched: key texts and compared-column texts (in plan.compared order). */
export interface FetchedRow {
  readonly k: readonly string[];
  readonly v: readonly (string | null)[];
}

export interface RowMismatch {
  readonly kind: 'missing' | 'extra' | 'different';
  readonly key: Bound;
  readonly columns?: readonly ColumnDiff[];
}

export const keyId = (k: Bound): string => JSON.stringify(k);

export function diffRows(plan: TablePlan, source: readonly FetchedRow[], target: readonly FetchedRow[]): RowMismatch[] {
  const targets = new Map(target.map((r) => [keyId(r.k), r]));
  const out: RowMismatch[] = [];
  for (const s of source) {
    const id = keyId(s.k);
    const t = targets.get(id);
    if (!t) {
      out.push({ kind: 'missing', key: s.k });
      continue;
    }
    targets.delete(id);
    const columns: ColumnDiff[] = [];
    plan.compared.forEach((column, i) => {
      const a = s.v[i] ?? null;
      const b = t.v[i] ?? null;
      if (a !== b) columns.push({ column, source: a, target: b });
    });
    if (columns.length > 0) out.push({ kind: 'different', key: s.k, columns });
  }
  for (const t of targets.values()) out.push({ kind: 'extra', key: t.k });
  return out;
}

/** Mismatches found so far, by key, at most `limit`. */
export class MismatchCollector {
  readonly rows = new Map<string, RowMismatch>();
  truncated = false;
  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.rows.size >= this.limit;
  }

  add(found: readonly RowMismatch[]): void {
    for (const m of found) {
      if (this.rows.size >= this.limit && !this.rows.has(keyId(m.key))) {
        this.truncated = true;
        return;
      }
      this.rows.set(keyId(m.key), m);
    }
  }

  /** Keeps only `still` (after a recheck), with their current state. */
  replace(still: readonly RowMismatch[]): void {
    this.rows.clear();
    for (const m of still) this.rows.set(keyId(m.key), m);
  }

  list(): RowMismatch[] {
    return [...this.rows.values()];
  }
}

export function keyValues(plan: TablePlan, k: Bound): KeyValues {
  return Object.fromEntries(plan.key.map((name, i) => [name, k[i] ?? '']));
}

export function toMismatches(plan: TablePlan, c: MismatchCollector): Mismatches {
  const rows = c.list();
  return {
    missing: rows.filter((m) => m.kind === 'missing').map((m) => keyValues(plan, m.key)),
    extra: rows.filter((m) => m.kind === 'extra').map((m) => keyValues(plan, m.key)),
    different: rows.filter((m) => m.kind === 'different').map((m) => ({ key: keyValues(plan, m.key), columns: m.columns ?? [] })),
    truncated: c.truncated,
  };
}
