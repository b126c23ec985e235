/**
 * kafkajs's logger routed to pino: a `logCreator` that writes each kafkajs record to a child
 * logger (`lib: 'kafkajs'`, the kafkajs namespace as `ns`), at the matching level.
 */
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from '../../core/index.js';

/** The kafkajs level that lets through what the pino logger would print. */
export function kafkaLogLevel(logger: Logger): logLevel {
  const level = logger.levelVal;
  if (level <= 20) return logLevel.DEBUG;
  if (level <= 30) return logLevel.INFO;
  if (level <= 40) return logLevel.WARN;
  if (level <= 50) return logLevel.ERROR;
  return logLevel.NOTHING;
}

export function pinoLogCreator(logger: Logger): logCreator {
  const log = logger.child({ lib: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry) => {
      const { message, timestamp: _timestamp, logger: _logger, ...extra } = entry as LogEntry['log'] & { logger?: unknown };
      const fields = { ns: namespace, ...extra };
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}
