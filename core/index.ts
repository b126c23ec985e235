/**
 * core: what every part needs and no domain — the error base, the logger factory, config
 * file loading and validation, secret redaction.
 */
export { FicusError, isFicusError, CoreErrorCode, type FicusErrorOptions } from './errors.js';
export { childLogger, createLogger, silentLogger, DEFAULT_REDACT_PATHS, type Logger, type LoggerOptions } from './logger.js';
export { deepFreeze, loadConfigFile, parseConfigText, type ConfigViolation, type LoadConfigOptions } from './config/load.js';
export { compileSchema, describeSchemaError, type SchemaProblem } from './config/validate.js';
export { substituteEnv, type Env } from './config/env.js';
export { formatFieldPath, type Position } from './config/positions.js';
export { redactUrl } from './secrets.js';
export { writeOutputs, type OutputFile } from './output.js';
export { lowerThreadPriority, type LoweredPriority } from './thread-priority.js';
