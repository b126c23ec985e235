/**
 * The SQL verify runs, built for one side (plan.ts SideSql). Key values travel as text
 * parameters cast to the target key types; a range is `[lo, hi)` on the key (a row comparison
 * for composite keys, so a btree on the key serves it). Row hashes are
 * `hashtextextended(ROW(compared columns)::text, 0)`: 64 bits per row over the canonical text of
 * the target-typed values, summed per chunk (order-independent; sum(int8) is exact) next to
 * count(*). Chunks are `width_bucket(key, boundaries)`: one scan gives every chunk's aggregate.
 *
 *   SELECT width_bucket(r."id", $1::integer[]) AS b, count(*) AS n,
 *          sum(hashtextextended(ROW(r."id", r."code", …)::text, 0))::text AS h
 *     FROM "public"."items" AS r WHERE … GROUP BY 1
 */
import type { SideSql, TablePlan } from './plan.js';

/** A key value: one text per key column. */
export type Bound = readonly string[];

/** `[lo, hi)`; null ends are unbounded. */
export interface KeyRange {
  readonly lo: Bound | null;
  readonly hi: Bound | null;
}

export const FULL_RANGE: KeyRange = { lo: null, hi: null };

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

function keyTuple(s: SideSql): string {
  return s.keys.length === 1 ? (s.keys[0] as string) : `ROW(${s.keys.join(', ')})`;
}

function boundTuple(plan: TablePlan, b: Bound, p: Params): string {
  const parts = plan.keyTypes.map((t, i) => p.add(b[i] ?? null, t));
  return parts.length === 1 ? (parts[0] as string) : `ROW(${parts.join(', ')})`;
}

function conditions(plan: TablePlan, s: SideSql, range: KeyRange, p: Params): string {
  const out = [...s.where];
  if (range.lo) out.push(`${keyTuple(s)} >= ${boundTuple(plan, range.lo, p)}`);
  if (range.hi) out.push(`${keyTuple(s)} < ${boundTuple(plan, range.hi, p)}`);
  return out.length ? ` WHERE ${out.join(' AND ')}` : '';
}

function orderBy(s: SideSql): string {
  return s.keys.join(', ');
}

/** The bucket of each row among `bounds` (sorted): 0 below the first, i from bounds[i-1] on. */
function bucketExpr(plan: TablePlan, s: SideSql, bounds: readonly Bound[], p: Params): string {
  if (bounds.length === 0) return '0';
  if (plan.keyTypes.length === 1) return `width_bucket(${s.keys[0]}, ${p.add(bounds.map((b) => b[0] ?? null), `${plan.keyTypes[0]}[]`)})`;
  const cols = plan.keyTypes.map((t, i) => p.add(bounds.map((b) => b[i] ?? null), `${t}[]`));
  const collate = s.keys.map((k) => (k.endsWith(' COLLATE "C"') ? ' COLLATE "C"' : ''));
  const names = cols.map((_c, i) => `u.c${i}${collate[i]}`);
  const array = `(SELECT array_agg(ROW(${names.join(', ')}) ORDER BY u.o) FROM unnest(${cols.join(', ')}) WITH ORDINALITY AS u(${cols.map((_c, i) => `c${i}`).join(', ')}, o))`;
  return `width_bucket(${keyTuple(s)}, ${array})`;
}

export function rowHash(s: SideSql): string {
  return `hashtextextended(ROW(${s.values.join(', ')})::text, 0)`;
}

/** Per bucket of `bounds` inside `range`: rows and the sum of row hashes. Rows: { b, n, h }. */
export function bucketHashes(plan: TablePlan, s: SideSql, bounds: readonly Bound[], range: KeyRange): Statement {
  const p = new Params();
  const bucket = bucketExpr(plan, s, bounds, p);
  const where = conditions(plan, s, range, p);
  return {
    text: `SELECT ${bucket} AS b, count(*)::int8 AS n, coalesce(sum(${rowHash(s)}), 0)::text AS h FROM ${s.from}${where} GROUP BY 1`,
    values: p.values,
  };
}

/** Every `step`-th key inside `range` in key order (the 1st excluded): boundaries for chunks of `step` rows. Rows: { k: text[] }. */
export function orderedBounds(plan: TablePlan, s: SideSql, range: KeyRange, step: number): Statement {
  const p = new Params();
  const where = conditions(plan, s, range, p);
  const texts = s.keys.map((k) => `(${k})::text`).join(', ');
  return {
    text: `SELECT k FROM (SELECT ARRAY[${texts}] AS k, row_number() OVER (ORDER BY ${orderBy(s)}) AS rn FROM ${s.from}${where}) q WHERE rn > 1 AND (rn - 1) % ${p.add(step, 'int8')} = 0 ORDER BY rn`,
    values: p.values,
  };
}

/** Boundaries from a page sample (TABLESAMPLE SYSTEM): about `chunks` chunks over the whole table. Rows: { k: text[] }. */
export function sampledBounds(plan: TablePlan, s: SideSql, percent: number, chunks: number): Statement {
  const p = new Params();
  const where = conditions(plan, s, FULL_RANGE, p);
  const texts = s.keys.map((k) => `(${k})::text`).join(', ');
  const pct = Math.min(100, Math.max(0.0001, percent)).toFixed(4);
  const want = p.add(chunks, 'int8');
  return {
    text: `SELECT k FROM (SELECT ARRAY[${texts}] AS k, row_number() OVER (ORDER BY ${orderBy(s)}) AS rn, count(*) OVER () AS total
      FROM ${s.from} TABLESAMPLE SYSTEM (${pct}) REPEATABLE (7)${where}) q
      WHERE rn > 1 AND (rn - 1) % greatest(1, total / ${want}) = 0 ORDER BY rn`,
    values: p.values,
  };
}

/** min and max of an integer key. Rows: { lo, hi } as text. */
export function keyExtent(s: SideSql): Statement {
  const k = s.keys[0] as string;
  return { text: `SELECT min(${k})::text AS lo, max(${k})::text AS hi FROM ${s.from}${s.where.length ? ` WHERE ${s.where.join(' AND ')}` : ''}`, values: [] };
}

/** Rows inside `range`, key order. Rows: { k: text[], v: text[] }. */
export function rowsInRange(plan: TablePlan, s: SideSql, range: KeyRange): Statement {
  const p = new Params();
  const where = conditions(plan, s, range, p);
  return {
    text: `SELECT ARRAY[${s.keys.map((k) => `(${k})::text`).join(', ')}] AS k, ARRAY[${s.texts.join(', ')}]::text[] AS v FROM ${s.from}${where} ORDER BY ${orderBy(s)}`,
    values: p.values,
  };
}

/** Rows with the given keys. Rows: { k: text[], v: text[] }. */
export function rowsByKeys(plan: TablePlan, s: SideSql, keys: readonly Bound[]): Statement {
  const p = new Params();
  const cols = plan.keyTypes.map((t, i) => p.add(keys.map((k) => k[i] ?? null), `${t}[]`));
  const collate = s.keys.map((k) => (k.endsWith(' COLLATE "C"') ? ' COLLATE "C"' : ''));
  const list = `SELECT ${cols.map((_c, i) => `u.c${i}${collate[i]}`).join(', ')} FROM unnest(${cols.join(', ')}) AS u(${cols.map((_c, i) => `c${i}`).join(', ')})`;
  const where = [...s.where, `(${s.keys.join(', ')}) IN (${list})`];
  return {
    text: `SELECT ARRAY[${s.keys.map((k) => `(${k})::text`).join(', ')}] AS k, ARRAY[${s.texts.join(', ')}]::text[] AS v FROM ${s.from} WHERE ${where.join(' AND ')}`,
    values: p.values,
  };
}
