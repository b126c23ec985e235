/**
 * Error codes of the built-in Postgres source (CDC_PG_*). Connection failures and a slot still
 * held by a process that is going away are retriable; a missing table, a table the publication
 * cannot carry safely, a slot of another plugin or a protocol violation are not.
 */
import { FicusError } from '../../../core/index.js';

export const PgSourceErrorCode = {
  /** The source options are invalid (no url, no tables, a bad slot or publication name). */
  OPTIONS: 'CDC_PG_OPTIONS',
  /** The source database cannot be reached, or the replication connection was lost. */
  CONNECT: 'CDC_PG_CONNECT',
  /** The server is not set up for logical replication (wal_level, privileges, slots). */
  SERVER: 'CDC_PG_SERVER',
  /** A source table does not exist, or cannot be captured (no primary key or replica identity). */
  TABLE: 'CDC_PG_TABLE',
  /** The publication cannot be created or extended. */
  PUBLICATION: 'CDC_PG_PUBLICATION',
  /** The slot belongs to another plugin or database, is in use by another process, or cannot be created or dropped. */
  SLOT: 'CDC_PG_SLOT',
  /** The initial snapshot failed. */
  SNAPSHOT: 'CDC_PG_SNAPSHOT',
  /** The server sent something the pgoutput protocol does not allow here. */
  PROTOCOL: 'CDC_PG_PROTOCOL',
} as const;

export type PgSourceErrorCodeValue = (typeof PgSourceErrorCode)[keyof typeof PgSourceErrorCode];

export function pgSourceError(
  code: PgSourceErrorCodeValue,
  message: string,
  options: { cause?: unknown; retriable?: boolean; details?: Record<string, unknown> } = {},
): FicusError {
  return new FicusError(code, message, { ...options, exitCode: code === PgSourceErrorCode.OPTIONS ? 2 : 1 });
}

/** The SQLSTATE of a pg error, if any. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A server or network failure that a reconnect may cure. */
export function isTransient(err: unknown): boolean {
  if (err instanceof FicusError) return err.retriable;
  const state = sqlState(err);
  if (state) return state.startsWith('08') || state.startsWith('57P') || state === '55006' || state === '53300';
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return /Connection terminated|connection timeout|ECONNRESET|EPIPE|socket/i.test(err instanceof Error ? err.message : String(err));
}
