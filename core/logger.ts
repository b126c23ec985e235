/**
 * The pino logger factory. Parts receive a logger (never create a global one) and take a
 * namespaced child per concern: `logger.child({ part: 'gateway', mod: 'shadow' })`.
 * Secrets are redacted by default: authorization headers, cookies, passwords, tokens.
 */
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/** Paths pino redacts in every record; parts may add more. */
export const DEFAULT_REDACT_PATHS: readonly string[] = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["proxy-authorization"]',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["proxy-authorization"]',
];

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where records go; defaults to stderr so stdout stays for command output. */
  destination?: DestinationStream;
  redact?: readonly string[];
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.base ?? null,
      redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

/** A logger that drops everything, for tests and library callers who pass none. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * `logger.child(bindings)` without repeating a binding the logger already has with the same
 * value (pino appends bindings, so a `part: 'cdc'` child of a `part: 'cdc'` CLI logger would
 * print the key twice).
 */
export function childLogger(logger: Logger, bindings: Record<string, unknown>): Logger {
  const have = logger.bindings();
  const fresh: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(bindings)) {
    if (have[k] === v) continue;
    fresh[k] = v;
    any = true;
  }
  return any ? logger.child(fresh) : logger;
}
