/**
 * Conflict policies of the Postgres sink (`tables[].conflict`, reverse sync), decided before a
 * batch is collapsed and applied:
 *
 * - `source-wins` (default): every change applies.
 * - `{ newerWins: col }`: upserts carry the condition in SQL (postgres-sql.ts) and deletes too
 *   (postgres-conflict-sql.ts); here only upserts without a value for `col` are rejected
 *   (CDC_SINK_CONFLICT_UNCHECKABLE), as they cannot be compared.
 * - `dead-letter`: the first change of each key in the batch must find the target row it expects
 *   — its mapped old row (source REPLICA IDENTITY FULL), or no row for an insert; snapshot reads
 *   (op r) are not checked. A key whose target row differs is rejected with CDC_SINK_CONFLICT,
 *   one whose change has no old row with CDC_SINK_CONFLICT_UNCHECKABLE — together with every later
 *   change of that key in the batch, since those build on the rejected one. The checked rows stay
 *   locked until the batch commits, so no one changes them between check and apply.
 * Rejected changes are dead letters in the batch's transaction; the stream goes on.
 */
import type pg from 'pg';
import { FicusError } from '../../core/index.js';
import type { ConflictPolicy } from '../config/schema.js';
import type { DeleteChange, TargetChange, UpsertChange } from '../transform/types.js';
import { keyId } from './collapse.js';
import { SinkErrorCode } from './errors.js';
import { conflictCheckStatement, expectationSignature, type Expectation } from './postgres-conflict-sql.js';
import type { TableInfo } from './postgres-sql.js';

/** Target table (as in `tables[].to`) → its policy; tables not named are source-wins. */
export type ConflictPolicies = ReadonlyMap<string, ConflictPolicy>;

export interface Rejected {
  readonly change: TargetChange;
  readonly error: FicusError;
}

export interface ConflictContext {
  readonly client: pg.ClientBase;
  readonly policies: ConflictPolicies;
  readonly tableInfo: (table: string) => Promise<TableInfo>;
  readonly qualify: (table: string) => string;
}

/** The newerWins column of a table's policy, if it has one. */
export function newerWinsColumn(policies: ConflictPolicies, table: string): string | undefined {
  const p = policies.get(table);
  return typeof p === 'object' ? p.newerWins : undefined;
}

function describeKey(change: UpsertChange | DeleteChange): string {
  return change.key.map((k) => `${k}=${JSON.stringify((change.kind === 'delete' ? change.keyValues[k] : change.columns[k]?.value) ?? null)}`).join(', ');
}

function uncheckable(change: UpsertChange | DeleteChange, why: string): FicusError {
  return new FicusError(SinkErrorCode.UNCHECKABLE, `${change.table} (${describeKey(change)}): ${why}`, { details: { table: change.table } });
}

function conflict(change: UpsertChange | DeleteChange): FicusError {
  return new FicusError(
    SinkErrorCode.CONFLICT,
    `${change.table} (${describeKey(change)}): the target row changed since ficus last wrote it (it is not the event's old row); conflict policy dead-letter`,
    { details: { table: change.table } },
  );
}

/** Splits changes into those to apply and those the tables' conflict policies reject. */
export async function screenConflicts(ctx: ConflictContext, changes: readonly TargetChange[]): Promise<{ apply: TargetChange[]; rejected: Rejected[] }> {
  if (ctx.policies.size === 0) return { apply: [...changes], rejected: [] };
  const rejected: Rejected[] = [];
  /** table → key → why the key's changes are rejected (null: checked, not yet known). */
  const verdicts = new Map<string, Map<string, ((c: UpsertChange | DeleteChange) => FicusError) | null>>();
  const checks = new Map<string, Expectation[]>();
  const keyed: { change: UpsertChange | DeleteChange; id: string }[] = [];
  const apply: TargetChange[] = [];
  for (const change of changes) {
    const policy = ctx.policies.get(change.table);
    if (change.kind === 'truncate' || policy === undefined || policy === 'source-wins') {
      apply.push(change);
      continue;
    }
    if (typeof policy === 'object') {
      if (change.kind === 'upsert' && change.columns[policy.newerWins]?.value == null && change.columns[policy.newerWins]?.expr === undefined) {
        rejected.push({ change, error: uncheckable(change, `the change has no value for the newerWins column ${policy.newerWins}`) });
      } else apply.push(change);
      continue;
    }
    const id = keyId(change);
    let perTable = verdicts.get(change.table);
    if (!perTable) verdicts.set(change.table, (perTable = new Map()));
    keyed.push({ change, id });
    if (perTable.has(id)) continue;
    if (change.event.op === 'r') {
      perTable.set(id, null);
      continue;
    }
    const expected = change.before ?? (change.kind === 'upsert' && change.event.op === 'c' ? null : undefined);
    if (expected === undefined) {
      perTable.set(id, (c) => uncheckable(c, 'the event has no old row to compare with; set REPLICA IDENTITY FULL on the source table'));
      continue;
    }
    perTable.set(id, null);
    const group = `${change.table}\u0000${expectationSignature(expected)}`;
    const list = checks.get(group);
    if (list) list.push({ change, expected });
    else checks.set(group, [{ change, expected }]);
  }
  for (const items of checks.values()) {
    const table = items[0]?.change.table ?? '';
    const s = conflictCheckStatement(ctx.qualify(table), table, await ctx.tableInfo(table), items);
    const r = await ctx.client.query<{ i: number }>(s.text, s.values);
    for (const row of r.rows) {
      const it = items[row.i];
      if (it) verdicts.get(table)?.set(keyId(it.change), conflict);
    }
  }
  for (const { change, id } of keyed) {
    const verdict = verdicts.get(change.table)?.get(id);
    if (verdict) rejected.push({ change, error: verdict(change) });
    else apply.push(change);
  }
  // Keep the batch order among applied changes (collapse relies on it).
  const order = new Map(changes.map((c, i) => [c, i]));
  apply.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return { apply, rejected };
}
