/**
 * One raw message (or one a source decoded itself) → what the batch does with it: a target change, a dead letter (it cannot be
 * decoded or mapped: with its position and reason), or nothing (a control message, an event
 * for an unmapped table, an event the mapping skips). Every outcome keeps the position, so the
 * offset commits with the batch either way.
 */
import { isFicusError } from '../../core/index.js';
import { describePosition, type MessageDecoder } from '../events/message.js';
import type { DecodedMessage, Position } from '../model.js';
import type { DeadLetter } from '../sinks/types.js';
import { findMapping, mapEvent, type CompiledTableMapping } from '../transform/map.js';
import type { TargetChange } from '../transform/types.js';
import type { SourceMessage } from '../sources/types.js';

export type Outcome = 'change' | 'dead-letter' | 'control' | 'unmapped' | 'skipped';

export interface Converted {
  readonly outcome: Outcome;
  readonly position: Position;
  readonly change?: TargetChange;
  readonly deadLetter?: DeadLetter;
  /** Source commit time of a change event (for lag), when known. */
  readonly tsMs?: number | null;
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

function deadLetter(position: Position, err: unknown, event: unknown, source?: string, target?: string): DeadLetter {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    position,
    reason: isFicusError(err) ? reason : `unexpected error at ${describePosition(position)}: ${reason}`,
    code: isFicusError(err) ? err.code : 'CDC_PIPELINE_UNEXPECTED',
    ...(source !== undefined && { source }),
    ...(target !== undefined && { target }),
    event,
  };
}

/** A raw message, decoded by the stream's `decoder` (createMessageDecoder), → its outcome. */
export function convert(msg: SourceMessage, mappings: readonly CompiledTableMapping[], decoder: MessageDecoder): Converted {
  const position: Position = { kind: 'kafka', topic: msg.topic, partition: msg.partition, offset: msg.offset };
  let decoded;
  try {
    decoded = decoder.decode(msg);
  } catch (err) {
    return { outcome: 'dead-letter', position, deadLetter: deadLetter(position, err, { key: text(msg.key), value: text(msg.value) }) };
  }
  return convertDecoded(decoded, position, mappings);
}

/** A message already decoded (by the pipeline or by a source that decodes itself) → its outcome. */
export function convertDecoded(decoded: DecodedMessage, position: Position, mappings: readonly CompiledTableMapping[]): Converted {
  if (decoded.kind !== 'change') return { outcome: 'control', position };
  const event = decoded.event;
  const mapping = findMapping(mappings, event);
  if (!mapping) return { outcome: 'unmapped', position };
  const source = event.schema ? `${event.schema}.${event.table}` : event.table;
  try {
    const change = mapEvent(event, mapping);
    if (change === null) return { outcome: 'skipped', position };
    return { outcome: 'change', position, change, tsMs: event.tsMs };
  } catch (err) {
    return { outcome: 'dead-letter', position, deadLetter: deadLetter(position, err, event, source, mapping.to) };
  }
}
