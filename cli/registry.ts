/**
 * The declared subcommands, loaded lazily so `ficus --help` does not import ts-morph or
 * kafkajs. Only commands that work are listed here.
 */
import type { CommandDef } from 'citty';

export type CommandLoader = () => Promise<CommandDef>;

export const commands: Readonly<Record<string, CommandLoader>> = {};
