/**
 * Positions as the offsets table keeps them: one row per stream — a Kafka topic/partition
 * (`kafka:<topic>:<partition>`, storing the NEXT offset to consume, as Kafka commits do) or the
 * Postgres source (`postgres`, storing the last applied LSN). Batches reduce to the furthest
 * position per stream before they are written.
 */
import type { Position } from '../model.js';

export function positionKey(p: Position): string {
  return p.kind === 'kafka' ? `kafka:${p.topic}:${p.partition}` : 'postgres';
}

/** `16/B374D848` → a number that orders LSNs. */
export function lsnToBigInt(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi || '0'}`) << 32n) + BigInt(`0x${lo || '0'}`);
}

function ahead(a: Position, b: Position): boolean {
  if (a.kind === 'kafka' && b.kind === 'kafka') return BigInt(a.offset) > BigInt(b.offset);
  if (a.kind === 'postgres' && b.kind === 'postgres') return lsnToBigInt(a.lsn) > lsnToBigInt(b.lsn);
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
