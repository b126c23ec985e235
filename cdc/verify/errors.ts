/**
 * Error codes of `ficus cdc verify` (CDC_VERIFY_*). Config and usage problems carry exit code 2;
 * a table that cannot be compared (missing table or column, a filter with no SQL form, a failed
 * query) does not stop the run: it is reported in that table's result with its code.
 */
import { FicusError } from '../../core/index.js';

export const VerifyErrorCode = {
  /** The config gives no Postgres source URL (verify.source.url or source.postgres.url), or the sink is not Postgres. */
  CONFIG: 'CDC_VERIFY_CONFIG',
  /** `--table` names no mapping in the config. */
  TABLE: 'CDC_VERIFY_TABLE',
  /** Bad options passed to verifyCdc (chunk size, limits). */
  OPTIONS: 'CDC_VERIFY_OPTIONS',
  /** A source or target table or column the mapping needs does not exist, or the table has no key. */
  SCHEMA: 'CDC_VERIFY_SCHEMA',
  /** The mapping's `where` filter reads something SQL cannot see in the current rows (op, before.*). */
  FILTER: 'CDC_VERIFY_FILTER',
  /** A query on the source or target database failed. */
  QUERY: 'CDC_VERIFY_QUERY',
  /** Re-applying rows to the target failed. */
  REPAIR: 'CDC_VERIFY_REPAIR',
} as const;

export type VerifyErrorCodeValue = (typeof VerifyErrorCode)[keyof typeof VerifyErrorCode];

export function verifyError(code: VerifyErrorCodeValue, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}): FicusError {
  const usage = code === VerifyErrorCode.CONFIG || code === VerifyErrorCode.TABLE || code === VerifyErrorCode.OPTIONS;
  return new FicusError(code, message, { ...options, exitCode: usage ? 2 : 1 });
}

/** A database error as CDC_VERIFY_QUERY, naming what was being done and the SQLSTATE. */
export function queryError(err: unknown, what: string): FicusError {
  if (err instanceof FicusError) return err;
  const sqlstate = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return verifyError(VerifyErrorCode.QUERY, `${what}: ${message}${typeof sqlstate === 'string' ? ` (SQLSTATE ${sqlstate})` : ''}`, {
    cause: err,
    details: typeof sqlstate === 'string' ? { sqlstate } : {},
  });
}
