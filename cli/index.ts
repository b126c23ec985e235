/**
 * cli: the `ficus` command. Argument parsing, progress, exit codes; no business logic.
 */
export { run, type RunOptions } from './run.js';
export { CliError, CliErrorCode } from './errors.js';
export type { CliIO, TextSink } from './io.js';
