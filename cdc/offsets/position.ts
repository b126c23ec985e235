/**
 * Positions as the offsets table keeps them: one row per stream — a Kafka topic/partition
 * (`kafka:<topic>:<partition>`, storing the NEXT offset to consume, as Kafka commits do), the
 * Postgres source (`postgres`, or `postgres:<slot>`, storing the last applied position: commit
 * LSN and, inside a transaction, the changes of it applied) and the Postgres source's snapshot
 * per table (`postgres:<slot>:snapshot:<schema.table>`, the last key read or done). Batches
 * reduce to the furthest position per stream before they are written.
 */
import type { Position, PostgresPosition } from '../model.js';

export function positionKey(p: Position): string {
  if (p.kind === 'kafka') return `kafka:${p.topic}:${p.partition}`;
  const stream = p.slot === undefined ? 'postgres' : `postgres:${p.slot}`;
  return p.snapshot ? `${stream}:snapshot:${p.snapshot.table}` : stream;
}

/** `16/B374D848` → a number that orders LSNs. */
export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi || '0'}`) << 32n) + BigInt(`0x${lo || '0'}`);
}

/** Orders two stream positions of one slot: by commit LSN, then changes applied (a whole transaction last). */
export function comparePostgres(a: PostgresPosition, b: PostgresPosition): number {
  const la = lsnToBigInt(a.lsn);
  const lb = lsnToBigInt(b.lsn);
  if (la !== lb) return la < lb ? -1 : 1;
  const sa = a.seq ?? Number.POSITIVE_INFINITY;
  const sb = b.seq ?? Number.POSITIVE_INFINITY;
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}

function ahead(a: Position, b: Position): boolean {
  if (a.kind === 'kafka' && b.kind === 'kafka') return BigInt(a.offset) > BigInt(b.offset);
  // Snapshot progress of a table arrives in read order: the later one is the furthest.
  if (a.kind === 'postgres' && b.kind === 'postgres') return a.snapshot !== undefined || comparePostgres(a, b) > 0;
  return false;
}

/** What to store for consumed positions: per stream the furthest, Kafka offsets advanced to the next one. */
export function positionsToStore(consumed: readonly Position[]): Map<string, Position> {
  const out = new Map<string, Position>();
  for (const p of consumed) {
    const next: Position = p.kind === 'kafka' ? { ...p, offset: (BigInt(p.offset) + 1n).toString() } : p;
    const key = positionKey(next);
    const prev = out.get(key);
    if (!prev || ahead(next, prev)) out.set(key, next);
  }
  return out;
}
