/**
 * CLI errors: a usage mistake (unknown command or flag, missing argument) is a CliError with
 * exit code 2; the CLI prints the message plus a pointer to `--help`.
 */
import { FicusError } from '../core/index.js';

export const CliErrorCode = {
  USAGE: 'CLI_USAGE',
  UNKNOWN_COMMAND: 'CLI_UNKNOWN_COMMAND',
  UNKNOWN_OPTION: 'CLI_UNKNOWN_OPTION',
  BAD_VALUE: 'CLI_BAD_VALUE',
} as const;

export class CliError extends FicusError {
  constructor(code: string, message: string, readonly command?: string) {
    super(code, message, { exitCode: 2 });
    this.name = 'CliError';
  }
}
