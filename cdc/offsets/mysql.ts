/**
 * The offsets table in a target MySQL/MariaDB database: written inside the sink's transaction,
 * with the rows the positions cover, so a crash at any point leaves rows and positions
 * consistent; read back at start to resume. Rows: `(stream varchar primary key, position json,
 * updated_at datetime(6))`, InnoDB, utf8mb4; the stream key compares byte for byte
 * (utf8mb4_bin), since Kafka topic names are case-sensitive.
 */
import type { Connection, RowDataPacket } from 'mysql2/promise';
import type { Position } from '../model.js';
import { positionsToStore } from './position.js';

export function mysqlOffsetsTableSql(qualified: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified} (
  stream     varchar(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL PRIMARY KEY,
  position   json NOT NULL,
  updated_at datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
}

/** Upserts the furthest consumed position per stream (Kafka: the next offset): one prepared single-row statement per stream. */
export async function saveMysqlOffsets(conn: Connection, qualified: string, consumed: readonly Position[]): Promise<void> {
  for (const [stream, p] of positionsToStore(consumed)) {
    await conn.execute(
      `INSERT INTO ${qualified} (stream, position, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP(6))
       ON DUPLICATE KEY UPDATE position = VALUES(position), updated_at = VALUES(updated_at)`,
      [stream, JSON.stringify(p)],
    );
  }
}

// MariaDB's JSON is LONGTEXT and comes back as text; MySQL's comes back parsed.
const positionsOf = (rows: RowDataPacket[]): Map<string, Position> =>
  new Map(rows.map((row) => [String(row.stream), (typeof row.position === 'string' ? JSON.parse(row.position) : row.position) as Position]));

/** Stored positions by stream key (Kafka offsets are the next to consume). */
export async function loadMysqlOffsets(conn: Connection, qualified: string): Promise<Map<string, Position>> {
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT stream, position FROM ${qualified} ORDER BY stream`);
  return positionsOf(rows);
}

/** The stored positions of these streams, locked (FOR UPDATE) until the transaction ends: see sinks/fence.ts. */
export async function lockMysqlOffsets(conn: Connection, qualified: string, streams: readonly string[]): Promise<Map<string, Position>> {
  if (streams.length === 0) return new Map();
  const [rows] = await conn.query<RowDataPacket[]>(`SELECT stream, position FROM ${qualified} WHERE stream IN (?) ORDER BY stream FOR UPDATE`, [streams]);
  return positionsOf(rows);
}
