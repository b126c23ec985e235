/**
 * The offsets table in the target Postgres: written inside the sink's transaction, with the rows
 * the positions cover, so a crash at any point leaves rows and positions consistent; read back
 * at start to resume. Rows: `(stream text primary key, position jsonb, updated_at)`.
 */
import type pg from 'pg';
import type { Position } from '../model.js';
import { positionsToStore } from './position.js';

export function offsetsTableSql(qualified: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified} (
  stream     text PRIMARY KEY,
  position   jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;
}

/** Upserts the furthest consumed position per stream (Kafka: the next offset). */
export async function saveOffsets(client: pg.ClientBase, qualified: string, consumed: readonly Position[]): Promise<void> {
  const rows = positionsToStore(consumed);
  if (rows.size === 0) return;
  await client.query(
    `INSERT INTO ${qualified} (stream, position, updated_at)
     SELECT s, p::jsonb, now() FROM unnest($1::text[], $2::text[]) AS u(s, p)
     ON CONFLICT (stream) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at`,
    [[...rows.keys()], [...rows.values()].map((p) => JSON.stringify(p))],
  );
}

/** Stored positions by stream key (Kafka offsets are the next to consume). */
export async function loadOffsets(client: pg.ClientBase | pg.Pool, qualified: string): Promise<Map<string, Position>> {
  const r = await client.query<{ stream: string; position: Position }>(`SELECT stream, position FROM ${qualified} ORDER BY stream`);
  return new Map(r.rows.map((row) => [row.stream, row.position]));
}

/** The stored positions of these streams, locked (FOR UPDATE) until the transaction ends: see sinks/fence.ts. */
export async function lockOffsets(client: pg.ClientBase, qualified: string, streams: readonly string[]): Promise<Map<string, Position>> {
  if (streams.length === 0) return new Map();
  const r = await client.query<{ stream: string; position: Position }>(
    `SELECT stream, position FROM ${qualified} WHERE stream = ANY($1::text[]) ORDER BY stream FOR UPDATE`,
    [streams],
  );
  return new Map(r.rows.map((row) => [row.stream, row.position]));
}
