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
  /** `ficus routes`: the admin API gave no answer (no connection, or none in time). */
  ADMIN_UNREACHABLE: 'CLI_ADMIN_UNREACHABLE',
  /** `ficus routes`: the admin API refused the token (401). */
  ADMIN_TOKEN: 'CLI_ADMIN_TOKEN',
  /** `ficus routes`: an error answer without a code of its own, or not JSON. */
  ADMIN_REFUSED: 'CLI_ADMIN_REFUSED',
} as const;

export class CliError extends FicusError {
  constructor(code: string, message: string, readonly command?: string) {
    super(code, message, { exitCode: 2 });
    this.name = 'CliError';
  }
}
