/**
 * Repair: make the target agree with the source for the rows verify found. Missing and
 * different rows are read from the source again and re-applied as snapshot reads (op r)
 * through the same mapping (compileTableMapping/mapEvent) and the Postgres sink's apply path,
 * so renames, coercions and expressions are exactly the pipeline's; extra rows, and rows
 * that left the source (or its filter) since, are deleted by key. Batches of 500 changes, each
 * in the sink's one transaction. No positions are stored: a running pipeline keeps its offsets.
 */
import { isFicusError, type Logger } from '../../core/index.js';
import type { ChangeEvent, Row } from '../model.js';
import type { PostgresSink } from '../sinks/postgres.js';
import { mapEvent } from '../transform/map.js';
import type { TargetChange } from '../transform/types.js';
import type { TableContext } from './context.js';
import { keyId, type RowMismatch } from './diff.js';
import { verifyError, VerifyErrorCode } from './errors.js';
import type { Bound } from './hash-sql.js';
import { rowOf, sourceRowsByKeys } from './source-rows.js';

const BATCH = 500;

export interface RepairResult {
  /** Upserts sent (source rows re-applied). */
  readonly upserted: number;
  /** Deletes sent (extra rows). */
  readonly deleted: number;
  /** Rows the mapping refused (logged) or the target refused (in the dead-letter table, by the sink). */
  readonly deadLettered: number;
}

function baseEvent(ctx: TableContext): Omit<ChangeEvent, 'key' | 'after'> {
  const rel = ctx.plan.sourceTable.relation;
  return {
    op: 'r',
    db: null,
    schema: rel.schema,
    table: rel.table,
    before: null,
    tsMs: Date.now(),
    snapshot: 'true',
    transaction: null,
    position: { kind: 'postgres', lsn: '0/0' },
  };
}

export async function repairTable(ctx: TableContext, sink: PostgresSink, found: readonly RowMismatch[], logger: Logger): Promise<RepairResult> {
  const { plan } = ctx;
  const upsertKeys = found.filter((m) => m.kind !== 'extra').map((m) => m.key);
  const deleteKeys: Bound[] = found.filter((m) => m.kind === 'extra').map((m) => m.key);
  const changes: TargetChange[] = [];
  let deadLettered = 0;
  const base = baseEvent(ctx);
  for (let i = 0; i < upsertKeys.length; i += BATCH) {
    const keys = upsertKeys.slice(i, i + BATCH);
    const rows = await ctx.run<{ k: string[]; v: (string | null)[] }>('source', sourceRowsByKeys(plan, keys), 'reading source rows to repair');
    const seen = new Set<string>();
    for (const r of rows) {
      seen.add(keyId(r.k));
      const after = rowOf(plan, r.v);
      const key = Object.fromEntries(plan.sourceKey.map((c) => [c, after[c] ?? null])) as Row;
      try {
        const change = mapEvent({ ...base, key, after }, plan.mapping);
        if (change) changes.push(change);
      } catch (err) {
        if (!isFicusError(err)) throw err;
        deadLettered++;
        logger.warn({ table: plan.from, key: r.k, code: err.code, err: err.message }, 'row cannot be mapped; not repaired');
      }
    }
    // Gone from the source (or its filter) since: delete from the target.
    for (const k of keys) if (!seen.has(keyId(k))) deleteKeys.push(k);
  }
  for (const k of deleteKeys) {
    changes.push({
      kind: 'delete',
      table: plan.mapping.to,
      key: plan.key,
      keyValues: Object.fromEntries(plan.key.map((name, i) => [name, k[i] ?? null])),
      event: { ...base, op: 'd', key: null, after: null },
    });
  }
  let upserted = 0;
  let deleted = 0;
  for (let i = 0; i < changes.length; i += BATCH) {
    const batch = changes.slice(i, i + BATCH);
    try {
      const r = await sink.apply({ changes: batch, positions: [] });
      deadLettered += r.deadLettered;
    } catch (err) {
      throw verifyError(VerifyErrorCode.REPAIR, `repairing ${plan.to}: ${err instanceof Error ? err.message : String(err)}`, { cause: err, details: { table: plan.to } });
    }
    for (const c of batch) {
      if (c.kind === 'upsert') upserted++;
      else if (c.kind === 'delete') deleted++;
    }
  }
  return { upserted, deleted, deadLettered };
}
