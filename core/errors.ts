/**
 * The one error base every part throws for things a user can act on. Each error carries a
 * stable `code` with the part's prefix (ANL_, GW_, CDC_, RPT_, CLI_, CORE_) that tests assert
 * on, a message that names the bad value and what would be valid, an optional `cause`, and a
 * `retriable` flag that retry loops read (kafkajs style).
 */
export interface FicusErrorOptions {
  cause?: unknown;
  retriable?: boolean;
  /** Exit code the CLI should use: 1 failure (default), 2 usage error. */
  exitCode?: 1 | 2;
  /** Extra structured context (file, line, field) kept for JSON output and logs. */
  details?: Record<string, unknown>;
}

export class FicusError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly exitCode: 1 | 2;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: FicusErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FicusError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.exitCode = options.exitCode ?? 1;
    this.details = Object.freeze({ ...(options.details ?? {}) });
  }
}

/** True for errors raised on purpose for a user mistake or a known failure (no stack needed). */
export function isFicusError(err: unknown): err is FicusError {
  return err instanceof FicusError;
}

/** Error codes owned by core/. */
export const CoreErrorCode = {
  CONFIG_NOT_FOUND: 'CORE_CONFIG_NOT_FOUND',
  CONFIG_UNREADABLE: 'CORE_CONFIG_UNREADABLE',
  CONFIG_SYNTAX: 'CORE_CONFIG_SYNTAX',
  CONFIG_INVALID: 'CORE_CONFIG_INVALID',
  CONFIG_ENV: 'CORE_CONFIG_ENV',
} as const;
