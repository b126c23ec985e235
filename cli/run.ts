/**
 * The `ficus` entry: parses argv with citty's declared commands, adds what citty leaves out
 * (strict unknown-option check, `--debug`, exit codes 0/1/2, one-line errors without a stack
 * trace) and returns the exit code instead of exiting, so tests call it directly.
 */
import { readFileSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { defineCommand, renderUsage, runCommand, type ArgsDef, type CommandDef } from 'citty';
import { isFicusError } from '../core/index.js';
import { CliError, CliErrorCode } from './errors.js';
import { processIO, type CliIO } from './io.js';
import { commands as defaultCommands, type CommandLoader } from './registry.js';

/** The version in ficus's package.json, found from here whether running from src or dist/. */
function packageVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ficus' && pkg.version) return pkg.version;
    } catch {
      // not at this level
    }
  }
  return '0.0.0';
}

export interface RunOptions {
  io?: Partial<CliIO>;
  commands?: Readonly<Record<string, CommandLoader>>;
}

function rootCommand(version: string, commands: Readonly<Record<string, CommandLoader>>): CommandDef {
  const def = defineCommand({
    meta: {
      name: 'ficus',
      version,
      description: 'Take a monolith apart the strangler-fig way.',
    },
    args: {
      debug: { type: 'boolean', description: 'Show stack traces for errors' },
    },
    subCommands: Object.fromEntries(Object.entries(commands).map(([name, load]) => [name, load])),
  });
  return def as unknown as CommandDef;
}

async function resolve<T>(value: T | Promise<T> | (() => T | Promise<T>)): Promise<T> {
  return typeof value === 'function' ? await (value as () => T | Promise<T>)() : await value;
}

/** Walks argv to the command it names; returns the chain and the args left for it. */
async function resolveChain(
  root: CommandDef,
  argv: string[],
): Promise<{ chain: CommandDef[]; names: string[]; rest: string[] }> {
  const chain: CommandDef[] = [root];
  const names: string[] = [];
  const consumed = new Set<number>();
  let current = root;
  for (const [index, token] of argv.entries()) {
    if (token.startsWith('-')) continue;
    const subs = current.subCommands ? await resolve(current.subCommands) : undefined;
    if (!subs || Object.keys(subs).length === 0) break;
    const next = subs[token];
    if (!next) {
      const valid = Object.keys(subs);
      const where = names.length ? `ficus ${names.join(' ')}` : 'ficus';
      throw new CliError(
        CliErrorCode.UNKNOWN_COMMAND,
        `unknown command "${token}" for ${where}${valid.length ? `; valid commands: ${valid.join(', ')}` : ''}`,
      );
    }
    current = await resolve(next);
    chain.push(current);
    names.push(token);
    consumed.add(index);
  }
  return { chain, names, rest: argv.filter((_, i) => !consumed.has(i)) };
}

function knownFlags(args: ArgsDef): Set<string> {
  const known = new Set<string>(['help', 'h', 'debug']);
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    known.add(name);
    known.add(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    if (def.type === 'boolean') known.add(`no-${name}`);
    const alias = 'alias' in def ? def.alias : undefined;
    for (const a of Array.isArray(alias) ? alias : alias ? [alias] : []) known.add(a);
  }
  return known;
}

function checkFlags(argv: string[], args: ArgsDef, names: string[]): void {
  const known = knownFlags(args);
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('-') || token === '-') continue;
    const name = token.replace(/^--?/, '').split('=')[0] ?? '';
    const flags = token.startsWith('--') ? [name] : [...name];
    for (const flag of flags) {
      if (!known.has(flag)) {
        const valid = [...known].filter((k) => k.length > 1 && !k.startsWith('no-')).map((k) => `--${k}`);
        throw new CliError(
          CliErrorCode.UNKNOWN_OPTION,
          `unknown option "${token}" for ficus${names.length ? ` ${names.join(' ')}` : ''}; valid options: ${valid.join(', ')}`,
        );
      }
    }
  }
}

/** citty colours its usage text; keep colour only for a terminal. */
function plain(io: CliIO): CliIO {
  if (io.interactive) return io;
  const strip = (sink: CliIO['stdout']) => ({ write: (chunk: string) => sink.write(stripVTControlCharacters(chunk)) });
  return { ...io, stdout: strip(io.stdout), stderr: strip(io.stderr) };
}

export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  const io: CliIO = plain({ ...processIO(), ...options.io });
  const debug = argv.includes('--debug');
  const version = packageVersion();
  const root = rootCommand(version, options.commands ?? defaultCommands);
  try {
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.stdout.write(`${version}\n`);
      return 0;
    }
    const { chain, names, rest } = await resolveChain(root, argv);
    const cmd = chain[chain.length - 1] as CommandDef;
    const parent = chain.length > 1 ? chain[chain.length - 2] : undefined;
    if (argv.includes('--help') || argv.includes('-h')) {
      io.stdout.write(`${await renderUsage(cmd, parent)}\n`);
      return 0;
    }
    if (!cmd.run) {
      io.stderr.write(`${await renderUsage(cmd, parent)}\n\n`);
      throw new CliError(CliErrorCode.USAGE, `missing command for ficus${names.length ? ` ${names.join(' ')}` : ''}`);
    }
    checkFlags(argv, cmd.args ? await resolve(cmd.args) : {}, names);
    const result = await runCommand(cmd, { rawArgs: rest.filter((a) => a !== '--debug'), data: { io, version } });
    return typeof result.result === 'number' ? result.result : 0;
  } catch (err) {
    return report(err, io, debug);
  }
}

function report(err: unknown, io: CliIO, debug: boolean): number {
  if (isFicusError(err)) {
    const hint = err instanceof CliError ? ' (see --help)' : '';
    io.stderr.write(`ficus: ${err.message}${hint} [${err.code}]\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  // citty's own argument errors (missing required, bad enum) are usage errors too.
  if (err instanceof Error && err.name === 'CLIError') {
    io.stderr.write(`ficus: ${stripVTControlCharacters(err.message)} (see --help) [${CliErrorCode.USAGE}]\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`ficus: unexpected error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return 1;
}
