/**
 * The Postgres sink's batch apply, two ways, on the same mapped batches (decoded and mapped
 * before the clock starts; no Kafka):
 *
 *   unnest       the sink as it is (cdc/sinks/postgres.ts): one transaction per batch,
 *                collapse per key, a set-based DELETE, one `INSERT … SELECT FROM unnest(text[])
 *                … ON CONFLICT DO UPDATE`, the offsets upserted in the same transaction;
 *   copy-upsert  the same transaction, but the upserted rows go by `COPY … FROM STDIN` into a
 *                session temp table shaped like the target (`ON COMMIT DELETE ROWS`), then
 *                `INSERT INTO target SELECT … FROM stage ON CONFLICT DO UPDATE`;
 *   copy-merge   the same staging, then one `MERGE INTO target USING stage` (Postgres 15+).
 *
 * The COPY variants reuse the sink's own collapse, value-to-text and DELETE code, so only the
 * way rows reach the server differs. This file reads sink internals on purpose: it measures a
 * design alternative for them, and changes nothing in the sink.
 */
import pg from 'pg';
import { compileTableMapping, decodeMessage, mapEvent, openPostgresSink, type Position, type TargetChange } from '../../cdc/index.js';
import { saveOffsets } from '../../cdc/offsets/postgres.js';
import { collapse } from '../../cdc/sinks/collapse.js';
import { deleteStatement, qualify, quoteIdent, textOf, type TableInfo } from '../../cdc/sinks/postgres-sql.js';
import type { UpsertChange } from '../../cdc/transform/types.js';
import { copyIn } from './copy-in.js';
import { startCpuMeter } from './cpu.js';
import { createEncoder, type StreamEvent } from './events.js';

export type ApplyVariant = 'unnest' | 'copy-upsert' | 'copy-merge';
export const APPLY_VARIANTS: readonly ApplyVariant[] = ['unnest', 'copy-upsert', 'copy-merge'];

export interface MappedBatch {
  readonly changes: TargetChange[];
  readonly positions: Position[];
}

/** The stream decoded and mapped exactly as the pipeline does it, cut into batches. */
export function mappedBatches(events: readonly StreamEvent[], table: string, size: number): MappedBatch[] {
  const enc = createEncoder('bench', table);
  const mapping = compileTableMapping({ from: `public.${table}`, to: table, columns: {}, unmapped: 'keep', computed: {}, truncate: false });
  const out: MappedBatch[] = [];
  for (let at = 0; at < events.length; at += size) {
    const batch: MappedBatch = { changes: [], positions: [] };
    events.slice(at, at + size).forEach((e, j) => {
      const offset = String(at + j);
      const decoded = decodeMessage({ topic: 'bench.public.orders', partition: 0, offset, key: enc.key(e.row.id), value: enc.value(e, 0) });
      if (decoded.kind !== 'change') throw new Error(`event ${offset} did not decode to a change`);
      const change = mapEvent(decoded.event, mapping);
      if (change) batch.changes.push(change);
      batch.positions.push({ kind: 'kafka', topic: 'bench.public.orders', partition: 0, offset });
    });
    out.push(batch);
  }
  return out;
}

const copyEscape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');

async function tableInfo(client: pg.ClientBase, qualified: string): Promise<TableInfo> {
  const r = await client.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualified],
  );
  return new Map(r.rows.map((row) => [row.name, row.type]));
}

/** A COPY-based apply with the sink's transaction shape, on one connection. */
async function copyApplier(client: pg.ClientBase, table: string, merge: boolean) {
  const qualified = qualify(table, 'public');
  const stage = quoteIdent(`ficus_stage_${table}`);
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${qualified}) ON COMMIT DELETE ROWS`);
  const info = await tableInfo(client, qualified);
  const offsets = qualify('ficus_offsets', 'public');
  return async (batch: MappedBatch): Promise<void> => {
    await client.query('BEGIN');
    await client.query('SAVEPOINT ficus_batch');
    for (const t of collapse(batch.changes)) {
      if (t.deletes.length > 0) {
        const s = deleteStatement(qualified, t.table, info, t.deletes);
        await client.query(s.text, s.values);
      }
      if (t.upserts.length === 0) continue;
      const first = t.upserts[0] as UpsertChange;
      const columns = Object.keys(first.columns).sort();
      const types = columns.map((c) => info.get(c) ?? 'text');
      const lines: string[] = [];
      for (const u of t.upserts) {
        lines.push(
          `${columns
            .map((c, i) => {
              const v = textOf(u.columns[c]?.value ?? null, types[i]!);
              return v === null ? '\\N' : copyEscape(v);
            })
            .join('\t')}\n`,
        );
      }
      const names = columns.map(quoteIdent).join(', ');
      await copyIn(client, `COPY ${stage} (${names}) FROM STDIN`, lines.join(''));
      const set = columns.filter((c) => !first.key.includes(c)).map((c) => `${quoteIdent(c)} = s.${quoteIdent(c)}`);
      const key = first.key.map(quoteIdent);
      if (merge) {
        await client.query(
          `MERGE INTO ${qualified} t USING ${stage} s ON ${key.map((k) => `t.${k} = s.${k}`).join(' AND ')}
             WHEN MATCHED THEN UPDATE SET ${set.join(', ')}
             WHEN NOT MATCHED THEN INSERT (${names}) VALUES (${columns.map((c) => `s.${quoteIdent(c)}`).join(', ')})`,
        );
      } else {
        await client.query(
          `INSERT INTO ${qualified} (${names}) SELECT ${names} FROM ${stage} ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${columns
            .filter((c) => !first.key.includes(c))
            .map((c) => `${quoteIdent(c)} = EXCLUDED.${quoteIdent(c)}`)
            .join(', ')}`,
        );
      }
    }
    await client.query('RELEASE SAVEPOINT ficus_batch');
    await saveOffsets(client, offsets, batch.positions);
    await client.query('COMMIT');
  };
}

export interface ApplySample {
  readonly rate: number;
  /** CPU µs per event: this process (the sink's code) and the Postgres backend. */
  readonly nodeUs: number;
  readonly postgresUs: number;
}

/** Applies every batch with one variant to an emptied target: change events per second and CPU per event. */
export async function timeApply(
  url: string,
  table: string,
  variant: ApplyVariant,
  batches: readonly MappedBatch[],
  /** Another pool on the same database, for the CPU readings (the variant's own holds one connection). */
  observer: pg.Pool,
): Promise<ApplySample> {
  const events = batches.reduce((n, b) => n + b.positions.length, 0);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    await pool.query(`TRUNCATE ${table}`);
    await pool.query(`DELETE FROM ficus_offsets WHERE stream LIKE 'kafka:bench.public.orders:%'`);
    let apply: (b: MappedBatch) => Promise<unknown>;
    let done = async (): Promise<void> => {};
    if (variant === 'unnest') {
      const sink = await openPostgresSink({ pool, schema: 'public' });
      await sink.tableInfo(table); // the sink caches it; do not time the catalog read
      apply = (b) => sink.apply(b);
      done = () => sink.close();
    } else {
      const client = await pool.connect();
      apply = await copyApplier(client, table, variant === 'copy-merge');
      done = async () => client.release();
    }
    await apply({ changes: [], positions: [] }); // connect, and the temp table's first use
    const meter = await startCpuMeter(observer);
    const t0 = performance.now();
    for (const b of batches) await apply(b);
    const rate = events / ((performance.now() - t0) / 1000);
    const cpu = await meter.stop();
    await done();
    return { rate, nodeUs: (cpu.self * 1e6) / events, postgresUs: (cpu.postgres * 1e6) / events };
  } finally {
    await pool.end();
  }
}
