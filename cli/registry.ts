/**
 * The declared subcommands, loaded lazily so `ficus --help` does not import ts-morph or
 * kafkajs. Only commands that work are listed here.
 */
import type { CommandDef } from 'citty';

export type CommandLoader = () => Promise<CommandDef>;

const load = (m: Promise<{ default: unknown }>): Promise<CommandDef> => m.then((x) => x.default as CommandDef);

export const commands: Readonly<Record<string, CommandLoader>> = {
  analyze: () => load(import('./commands/analyze.js')),
  cdc: () => load(import('./commands/cdc.js')),
  demo: () => load(import('./commands/demo.js')),
  gateway: () => load(import('./commands/gateway.js')),
  replay: () => load(import('./commands/replay.js')),
  report: () => load(import('./commands/report.js')),
  routes: () => load(import('./commands/routes.js')),
  schema: () => load(import('./commands/schema.js')),
};
