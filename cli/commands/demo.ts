/**
 * `ficus demo [--pg URL] [--work DIR] [--keep]`: the whole journey on the bundled samples —
 * analyze, shadow, diff report, replay after a fix, rollout, CDC and verify — on one machine
 * with Postgres (wal_level=logical). The journey is a sample (samples/demo), so this command
 * runs it as a child process of the built tree and passes its output and exit code through.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineCommand } from 'citty';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';

export default defineCommand({
  meta: { name: 'demo', description: 'Run the whole migration journey on the samples (needs Postgres with wal_level=logical)' },
  args: {
    pg: { type: 'string', description: 'Postgres admin URL (default postgres://postgres@127.0.0.1:5432/postgres)' },
    work: { type: 'string', description: 'Folder for the report, configs, diffs and logs (default: a temp folder)' },
    keep: { type: 'boolean', description: 'Keep the databases, slot and folder afterwards' },
    traffic: { type: 'string', description: 'Seconds of shadow traffic (default 8)' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const script = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'demo', 'run.js');
    if (!existsSync(script)) throw new CliError(CliErrorCode.USAGE, `the demo is not built (${script} is missing); run npm run build first`);
    const argv = [script];
    if (args.pg) argv.push('--pg', String(args.pg));
    if (args.work) argv.push('--work', resolve(io.cwd, String(args.work)));
    if (args.keep) argv.push('--keep');
    if (args.traffic) argv.push('--traffic', String(args.traffic));
    const child = spawn(process.execPath, argv, { cwd: io.cwd, env: { ...io.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => io.stdout.write(c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => io.stderr.write(c.toString('utf8')));
    const code = await new Promise<number>((r) => child.once('exit', (c) => r(c ?? 1)));
    return code;
  },
});
