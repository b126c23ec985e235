/**
 * `node dist/samples/demo/run.js [--pg URL] [--work DIR] [--keep] [--traffic SECONDS]`: the demo
 * journey (journey.ts), printing each step. What `ficus demo` starts. Exit code 0 when every
 * step did what it should (the replay reports the differences fixed, the rollout reached
 * migrated, verify found the data equal), 1 otherwise.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './journey.js';

const { values } = parseArgs({
  options: {
    pg: { type: 'string', default: process.env.FICUS_DEMO_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    work: { type: 'string' },
    keep: { type: 'boolean', default: false },
    traffic: { type: 'string', default: '8' },
  },
});
const work = values.work ? resolve(values.work) : await mkdtemp(join(tmpdir(), 'ficus-demo-'));
const print = (line: string): void => void process.stdout.write(`${line}\n`);
print(`ficus demo: the whole journey on the samples; everything it writes is under ${work}`);
try {
  const r = await runDemo({ pg: values.pg, work, keep: values.keep, trafficSeconds: Number(values.traffic), print });
  const ok = r.replay.code === 0 && r.replay.total > 0 && r.migrated && r.verifyCode === 0;
  print(`\n${ok ? 'done' : 'finished with problems'}: ${r.contexts} contexts; ${r.diffRecords} recorded differences, ${r.replay.fixed} fixed by the new build; rollout ${r.rollout.join(' → ')} %${r.migrated ? ' (migrated)' : ''}; verify ${r.verifyCode === 0 ? 'equal' : `exit ${r.verifyCode}`}`);
  process.exitCode = ok ? 0 : 1;
} catch (err) {
  process.stderr.write(`ficus demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
