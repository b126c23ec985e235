/**
 * The raw limits, by a plain node-postgres script over the same rows and the same table shape
 * as the pipeline's run (no Kafka, no decoding, values prebuilt before the clock starts):
 *
 *   copy    every row image of the stream (ids renumbered, so all distinct) in one
 *           `COPY … FROM STDIN` into an empty table;
 *   upsert  the stream in order, in batches of the pipeline's size, one transaction each: the
 *           batch reduced to its last change per key, `DELETE … WHERE id = ANY($1)` for the
 *           deleted keys and one `INSERT … SELECT FROM unnest(typed arrays) ON CONFLICT (id)
 *           DO UPDATE` for the rest — the best a hand-written batched apply does; its final
 *           table is checked against the expected state like the pipeline's.
 *
 * Rates are stream events (or rows, for COPY) per second.
 */
import type pg from 'pg';
import { copyIn } from './copy-in.js';
import { COLUMNS, copyLine, rowTexts, type StreamEvent } from './events.js';

export function copyText(events: readonly StreamEvent[]): string {
  const parts: string[] = [];
  events.forEach((e, i) => parts.push(copyLine(e.row, i + 1)));
  return parts.join('');
}

export async function rawCopy(client: pg.ClientBase, table: string, text: string, rows: number): Promise<number> {
  await client.query(`TRUNCATE ${table}`);
  const t0 = performance.now();
  const n = await copyIn(client, `COPY ${table} (${COLUMNS.join(', ')}) FROM STDIN`, text);
  const seconds = (performance.now() - t0) / 1000;
  if (n !== rows) throw new Error(`COPY wrote ${n} rows, expected ${rows}`);
  return rows / seconds;
}

interface UpsertBatch {
  readonly deletes: number[];
  /** Column-wise text values of the upserted rows. */
  readonly columns: string[][];
}

export function upsertBatches(events: readonly StreamEvent[], size: number): UpsertBatch[] {
  const out: UpsertBatch[] = [];
  for (let at = 0; at < events.length; at += size) {
    const last = new Map<number, StreamEvent>();
    for (const e of events.slice(at, at + size)) last.set(e.row.id, e);
    const deletes: number[] = [];
    const columns: string[][] = COLUMNS.map(() => []);
    for (const e of last.values()) {
      if (e.op === 'd') deletes.push(e.row.id);
      else rowTexts(e.row).forEach((v, i) => columns[i]!.push(v));
    }
    out.push({ deletes, columns });
  }
  return out;
}

const TYPED = ['integer[]', 'bigint[]', 'text[]', 'text[]', 'numeric[]', 'integer[]', 'float8[]', 'boolean[]', 'timestamp[]', 'timestamp[]'];

export async function rawUpsert(client: pg.ClientBase, table: string, batches: readonly UpsertBatch[], events: number): Promise<number> {
  await client.query(`TRUNCATE ${table}`);
  const insert = `INSERT INTO ${table} (${COLUMNS.join(', ')}) SELECT * FROM unnest(${TYPED.map((t, i) => `$${i + 1}::${t}`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${COLUMNS.slice(1)
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ')}`;
  const t0 = performance.now();
  for (const b of batches) {
    await client.query('BEGIN');
    if (b.deletes.length > 0) await client.query(`DELETE FROM ${table} WHERE id = ANY($1::integer[])`, [b.deletes]);
    if (b.columns[0]!.length > 0) await client.query(insert, b.columns);
    await client.query('COMMIT');
  }
  return events / ((performance.now() - t0) / 1000);
}
