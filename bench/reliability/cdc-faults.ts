/**
 * CDC under faults (issue 9, item 3), on real parts: Debezium JSON change events (bench/cdc
 * events.ts: creates, updates and deletes of 10-column `orders` rows) produced through
 * librdkafka's mock Kafka cluster (kcat) while `ficus cdc run`, a child process, applies them to
 * Postgres; one fault per scenario (cdc-injectors.ts, cdc-poison.ts):
 *
 *   sigkill       the pipeline SIGKILLed --kills times and restarted
 *   pg-terminate  the sink's Postgres connections killed mid-transaction --terminations times
 *   broker-hung   the broker frozen (SIGSTOP/SIGCONT) --outages times for --outage-ms
 *   broker-down   the broker port reset and refused (iptables) --outages times for --outage-ms
 *   poison        a poison message after every --poison-every events (8 kinds)
 *
 * Each ends with the real `ficus cdc verify` against a database that holds the stream's expected
 * final state: rows lost (missing), extra and different (goal 0, 0, 0), its exit code, and the
 * dead letters (goal: 0, or exactly the poison messages). The table goes to bench/RESULTS.md
 * between the cdc-faults markers.
 *
 * Usage: node dist/bench/reliability/cdc-faults.js [--events 200000] [--kills 20] [--terminations 20]
 *        [--outages 3] [--outage-ms 10000] [--poison-every 500] [--scenarios sigkill,pg-terminate,…]
 *        [--batch 1000] [--max-wait 200] [--send-size 1000] [--timeout 900] [--seed 7]
 *        [--pg postgres://postgres@127.0.0.1:5432/postgres] [--log-dir DIR [--log-level debug]] [--no-write]
 * Quick: npm run bench -- cdc-faults --events 20000 --kills 5 --terminations 5 --outages 2 --outage-ms 5000 --no-write
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTables, createBenchDatabase, loadExpected, type BenchDatabase } from '../cdc/db.js';
import { createEncoder, createStream } from '../cdc/events.js';
import { feedWindow } from '../cdc/feed.js';
import { startMockKafka, type MockKafka } from '../cdc/kafka.js';
import { CORES, ROOT, writeResultsBlock } from '../common/processes.js';
import { BROKER_GID, firewallUnavailable } from './cdc-broker.js';
import { INJECTORS } from './cdc-injectors.js';
import { runScenario, TABLE, type Scenario, type ScenarioResult } from './cdc-scenario.js';
import { renderResults, type RunInfo } from './cdc-table.js';
import { runMain } from '../common/main.js';

const ALL = ['sigkill', 'pg-terminate', 'broker-hung', 'broker-down', 'poison'] as const;
const log = (s: string): void => void process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      kills: { type: 'string', default: '20' },
      terminations: { type: 'string', default: '20' },
      outages: { type: 'string', default: '3' },
      'outage-ms': { type: 'string', default: '10000' },
      'poison-every': { type: 'string', default: '500' },
      scenarios: { type: 'string', default: ALL.join(',') },
      batch: { type: 'string', default: '1000' },
      'max-wait': { type: 'string', default: '200' },
      'send-size': { type: 'string', default: '1000' },
      /** Seconds per scenario at most. */
      timeout: { type: 'string', default: '900' },
      seed: { type: 'string', default: '7' },
      pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'no-write': { type: 'boolean', default: false },
      /** Keep the pipeline's logs, one file per scenario, in this directory, at --log-level (default info). */
      'log-dir': { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  if (values['log-dir']) await mkdir(values['log-dir'], { recursive: true });
  const names = values.scenarios.split(',').filter((x) => x !== '');
  const unknown = names.filter((n) => !(ALL as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`--scenarios: unknown ${unknown.join(', ')}; valid: ${ALL.join(', ')}`);
  const n = Number(values.events);
  const seed = Number(values.seed);
  const counts: Record<string, number> = {
    sigkill: Number(values.kills),
    'pg-terminate': Number(values.terminations),
    'broker-hung': Number(values.outages),
    'broker-down': Number(values.outages),
    poison: 0,
  };
  const noFirewall = names.includes('broker-down') ? firewallUnavailable() : null;
  if (noFirewall) log(`broker-down skipped: ${noFirewall}`);

  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-cdc-faults-'));
  let kafka: MockKafka | undefined;
  let target: BenchDatabase | undefined;
  let expected: BenchDatabase | undefined;
  const results: ScenarioResult[] = [];
  let info: RunInfo | undefined;
  try {
    kafka = await startMockKafka(names.includes('broker-down') && !noFirewall ? { gid: BROKER_GID } : {});
    target = await createBenchDatabase(values.pg);
    expected = await createBenchDatabase(values.pg);
    await createTables(target.pool, [TABLE]);
    await createTables(expected.pool, [TABLE]);
    const stream = createStream({ seed });
    const events = Array.from({ length: n }, () => stream.next());
    await loadExpected(expected.pool, TABLE, stream.expected.values());
    const enc = createEncoder('bench', TABLE);
    const sample = events.slice(0, 1000);
    const avgBytes = sample.reduce((s, e) => s + enc.key(e.row.id).length + enc.value(e, Date.now()).length, 0) / Math.max(1, sample.length);
    const window = feedWindow(avgBytes);
    log(
      `${n.toLocaleString('en-US')} events, ${stream.expected.size.toLocaleString('en-US')} rows at the end, ~${Math.round(avgBytes)} B per message, producer at most ${window} messages ahead`,
    );
    info = {
      events: n,
      rowsAtEnd: stream.expected.size,
      avgBytes,
      window,
      batch: Number(values.batch),
      poisonEvery: Number(values['poison-every']),
      skipped: noFirewall ? `broker-down was skipped: ${noFirewall}.` : '',
    };
    const bench = {
      kafka,
      targetUrl: target.url,
      pool: target.pool,
      expectedUrl: expected.url,
      ficus: join(ROOT, 'bin', 'ficus.js'),
      dir,
      events,
      window,
      sendSize: Math.min(Number(values['send-size']), Math.floor(window / 2)),
      batch: Number(values.batch),
      maxWaitMs: Number(values['max-wait']),
      timeoutMs: Number(values.timeout) * 1000,
      outageMs: Number(values['outage-ms']),
      seed,
      log,
      ...(values['log-dir'] && { logDir: values['log-dir'], logLevel: values['log-level'] }),
    };
    for (const name of names) {
      if (name === 'broker-down' && noFirewall) continue;
      const scenario: Scenario = {
        name,
        count: counts[name] ?? 0,
        poisonEvery: name === 'poison' ? Number(values['poison-every']) : 0,
        ...(INJECTORS[name] && { injector: INJECTORS[name] }),
      };
      log(`${name}: …`);
      const r = await runScenario(bench, scenario);
      results.push(r);
      const v = r.verify;
      log(
        `${name}: ${r.seconds.toFixed(1)} s, ${r.faults.injected} faults, ${[...r.deadLetters.values()].reduce((a, b) => a + b, 0)} dead-lettered (${r.poisons} poison), verify exit ${v.exit}: ${v.missing} missing, ${v.extra} extra, ${v.different} different; ${r.unplanned.length} unplanned exits${r.timedOut ? '; TIMED OUT' : ''}`,
      );
      for (const d of r.faults.details) log(`    ${d}`);
    }
  } finally {
    await kafka?.stop();
    for (const db of [target, expected]) await db?.drop().catch((err: Error) => log(`cannot drop a bench database: ${err.message}`));
    await rm(dir, { recursive: true, force: true });
  }
  const body = renderResults(results, info);
  process.stdout.write(`${body}\n`);
  if (values['no-write']) return;
  const args = ['events', 'kills', 'terminations', 'outages', 'outage-ms', 'poison-every', 'batch', 'max-wait', 'timeout']
    .map((k) => `--${k} ${values[k as keyof typeof values] as string}`)
    .join(' ');
  await writeResultsBlock(
    'cdc-faults',
    `${body}\n\nReproduce: \`npm run bench -- cdc-faults ${args}${values.scenarios === ALL.join(',') ? '' : ` --scenarios ${values.scenarios}`}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${CORES} cores, Postgres 15 on 127.0.0.1, librdkafka's mock cluster via kcat).`,
  );
}

// Ctrl-C: exit through 'exit' handlers (pipeline and mock cluster killed, broker resumed, iptables rules removed).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await runMain(main, import.meta.url);
