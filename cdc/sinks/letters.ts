/**
 * What every sink does the same way: a change that failed to apply becomes a DeadLetter (the
 * event, its position, the error's code with the database's own code appended, e.g.
 * `CDC_SINK_DATA:23505` or `CDC_SINK_DATA:1406`), and changes are grouped so that one
 * statement serves each group.
 */
import type { FicusError } from '../../core/index.js';
import type { TargetChange } from '../transform/types.js';
import type { DeadLetter } from './types.js';

/** `error` is the sink's FicusError for the failure; `dbCode` the detail naming the database's code (sqlstate, errno). */
export function deadLetterOf(change: TargetChange, error: FicusError, dbCode: string): DeadLetter {
  const ev = change.event;
  const detail = error.details[dbCode];
  return {
    position: ev.position,
    reason: error.message,
    code: typeof detail === 'string' || typeof detail === 'number' ? `${error.code}:${detail}` : error.code,
    source: ev.schema ? `${ev.schema}.${ev.table}` : ev.table,
    target: change.table,
    event: ev,
  };
}

export function groupBy<T>(items: readonly T[], by: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = by(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
