import { defineCommand, type CommandDef } from 'citty';
import { describe, expect, it } from 'vitest';
import { FicusError } from '../core/index.js';
import type { CliIO } from './io.js';
import { run } from './run.js';

function capture(): { io: Partial<CliIO>; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, interactive: false },
    out: () => out,
    err: () => err,
  };
}

const greet = defineCommand({
  meta: { name: 'greet', description: 'Say hello' },
  args: {
    name: { type: 'positional', description: 'Who to greet' },
    loud: { type: 'boolean', description: 'Shout' },
    times: { type: 'string', description: 'How many times', default: '1' },
  },
  run({ args, data }) {
    const io = (data as { io: CliIO }).io;
    if (args.name === 'nobody') throw new FicusError('CLI_TEST_NOBODY', 'greet: "nobody" is not a name; pass a person');
    if (args.name === 'crash') throw new Error('boom');
    const text = `hello ${args.name}`;
    io.stdout.write(`${(args.loud ? text.toUpperCase() : text).repeat(Number(args.times))}\n`);
    return 0;
  },
});
const commands = { greet: async () => greet as unknown as CommandDef };

describe('ficus CLI', () => {
  it('prints the version', async () => {
    const c = capture();
    expect(await run(['--version'], { io: c.io, commands })).toBe(0);
    expect(c.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('lists declared commands in --help and prints per-command help', async () => {
    const c = capture();
    expect(await run(['--help'], { io: c.io, commands })).toBe(0);
    expect(c.out()).toContain('greet');
    const d = capture();
    expect(await run(['greet', '--help'], { io: d.io, commands })).toBe(0);
    expect(d.out()).toContain('--loud');
    expect(d.out()).not.toContain(String.fromCharCode(27));
  });

  it('runs a command with its arguments', async () => {
    const c = capture();
    expect(await run(['greet', 'ada', '--loud'], { io: c.io, commands })).toBe(0);
    expect(c.out()).toBe('HELLO ADA\n');
  });

  it('exits 2 with one line for an unknown command or option', async () => {
    const a = capture();
    expect(await run(['gret'], { io: a.io, commands })).toBe(2);
    expect(a.err()).toContain('[CLI_UNKNOWN_COMMAND]');
    expect(a.err()).toContain('greet');
    expect(a.err().trim().split('\n')).toHaveLength(1);
    const b = capture();
    expect(await run(['greet', 'ada', '--lowd'], { io: b.io, commands })).toBe(2);
    expect(b.err()).toContain('[CLI_UNKNOWN_OPTION]');
    expect(b.err()).toContain('--loud');
  });

  it('exits 2 without a command', async () => {
    const c = capture();
    expect(await run([], { io: c.io, commands })).toBe(2);
    expect(c.err()).toContain('[CLI_USAGE]');
  });

  it('prints a user mistake as one line without a stack, and the stack with --debug', async () => {
    const a = capture();
    expect(await run(['greet', 'nobody'], { io: a.io, commands })).toBe(1);
    expect(a.err()).toBe('ficus: greet: "nobody" is not a name; pass a person [CLI_TEST_NOBODY]\n');
    const b = capture();
    expect(await run(['greet', 'nobody', '--debug'], { io: b.io, commands })).toBe(1);
    expect(b.err()).toMatch(/\n\s+at /);
  });

  it('reports an unexpected error without a stack unless --debug', async () => {
    const a = capture();
    expect(await run(['greet', 'crash'], { io: a.io, commands })).toBe(1);
    expect(a.err()).toContain('unexpected error: boom');
    expect(a.err()).not.toMatch(/\n\s+at /);
  });
});
