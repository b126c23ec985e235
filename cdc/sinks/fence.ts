/**
 * Fencing by stored position: inside the sink's transaction the offsets rows of the batch's
 * Kafka partitions are read FOR UPDATE, and whatever the batch holds below a stored next offset
 * is dropped — it was applied already, by this member earlier or by another member of the
 * consumer group. So a batch that arrives late (a member that lost its partition in a rebalance
 * while the batch was on its way, or one fetched again after a seek back to the stored offset)
 * can neither repeat nor reorder changes: two members applying the same partition serialize
 * on the row lock, and the second applies only what is past the first. Positions of the
 * built-in Postgres source (one slot, one consumer) pass as they are.
 */
import type { Position } from '../model.js';
import { positionKey } from '../offsets/position.js';
import type { SinkBatch } from './types.js';

/** The offsets rows (stream keys) a batch consumes from Kafka: the rows to lock before applying it. */
export function kafkaStreams(batch: SinkBatch): string[] {
  const keys = new Set<string>();
  for (const p of batch.positions) if (p.kind === 'kafka') keys.add(positionKey(p));
  return [...keys];
}

/** The batch less what the stored positions (Kafka: the next offset to apply) show as applied. */
export function fence(batch: SinkBatch, stored: ReadonlyMap<string, Position>): { batch: SinkBatch; fenced: number } {
  if (stored.size === 0) return { batch, fenced: 0 };
  const due = (p: Position): boolean => {
    if (p.kind !== 'kafka') return true;
    const s = stored.get(positionKey(p));
    return s?.kind !== 'kafka' || BigInt(p.offset) >= BigInt(s.offset);
  };
  // The usual case — nothing applied already — costs one pass and no copies.
  if (batch.positions.every(due)) return { batch, fenced: 0 };
  const positions = batch.positions.filter(due);
  return {
    batch: {
      changes: batch.changes.filter((c) => due(c.event.position)),
      positions,
      ...(batch.deadLetters && { deadLetters: batch.deadLetters.filter((d) => due(d.position)) }),
    },
    fenced: batch.positions.length - positions.length,
  };
}
