/**
 * Error codes of CDC sinks (CDC_SINK_*) and the classification of database errors: lost
 * connections, serialization failures and deadlocks are retriable (the pipeline retries the
 * batch with backoff); data errors (SQLSTATE classes 22 and 23) are handled by applying the batch
 * event by event and dead-lettering the failures; schema mismatches stop with a clear message.
 * Conflict-policy rejections (CDC_SINK_CONFLICT, CDC_SINK_CONFLICT_UNCHECKABLE) are dead letters,
 * not failures; origin problems (CDC_SINK_ORIGIN) stop the sink unless the origin is only busy.
 */
import { FicusError } from '../../core/index.js';

export const SinkErrorCode = {
  /** The database is unreachable or the transaction must be retried (08xxx, 57P0x, 40001, 40P01). */
  RETRIABLE: 'CDC_SINK_RETRIABLE',
  /** A value does not fit the target (22xxx, 23xxx): the event is dead-lettered. */
  DATA: 'CDC_SINK_DATA',
  /** The target table or a column is missing, or the key has no unique constraint. */
  SCHEMA: 'CDC_SINK_SCHEMA',
  /** Any other database failure. */
  FAILED: 'CDC_SINK_FAILED',
  /** Bad sink options, or a batch mixing key columns for one table. */
  OPTIONS: 'CDC_SINK_OPTIONS',
  /** The sink was used after close(). */
  CLOSED: 'CDC_SINK_CLOSED',
  /** Conflict policy dead-letter: the target row changed since ficus last wrote it (it differs from the event's old row). */
  CONFLICT: 'CDC_SINK_CONFLICT',
  /** The conflict policy cannot be checked: no old row (source needs REPLICA IDENTITY FULL) or no newerWins column value. */
  UNCHECKABLE: 'CDC_SINK_CONFLICT_UNCHECKABLE',
  /** The replication origin cannot be created or set up (not permitted; or, retriable, in use by another session). */
  ORIGIN: 'CDC_SINK_ORIGIN',
} as const;

export type ErrorClass = 'retriable' | 'data' | 'schema' | 'fatal';

const RETRIABLE_CODES = new Set(['40001', '40P01', '57P01', '57P02', '57P03', '53300', '55P03']);
const SCHEMA_CODES = new Set(['42P01', '42703', '42P10', '42804', '42883', '3F000']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

export function classifyPgError(err: unknown): ErrorClass {
  if (err instanceof FicusError) return err.retriable ? 'retriable' : err.code === SinkErrorCode.SCHEMA ? 'schema' : 'fatal';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (RETRIABLE_CODES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code)) return 'retriable';
    if (code.startsWith('22') || code.startsWith('23')) return 'data';
    if (SCHEMA_CODES.has(code)) return 'schema';
    return 'fatal';
  }
  const message = err instanceof Error ? err.message : String(err);
  if (/Connection terminated|connection.*(closed|ended)|Client has encountered a connection error|timeout/i.test(message)) return 'retriable';
  return 'fatal';
}

/** Wraps a database error as a FicusError with the right code and `retriable` flag. */
export function sinkError(err: unknown, what: string): FicusError {
  if (err instanceof FicusError) return err;
  const kind = classifyPgError(err);
  const code =
    kind === 'retriable' ? SinkErrorCode.RETRIABLE : kind === 'data' ? SinkErrorCode.DATA : kind === 'schema' ? SinkErrorCode.SCHEMA : SinkErrorCode.FAILED;
  const pgCode = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new FicusError(code, `${what}: ${message}${typeof pgCode === 'string' ? ` (SQLSTATE ${pgCode})` : ''}`, {
    cause: err,
    retriable: kind === 'retriable',
    details: typeof pgCode === 'string' ? { sqlstate: pgCode } : {},
  });
}
