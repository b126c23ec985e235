/**
 * CDC benchmark: a deterministic stream of change events (mixed c/u/d on 10-column `orders`
 * rows, Debezium JSON with schemas; events.ts) through librdkafka's mock Kafka cluster into
 * Postgres by `ficus cdc run`, beside the raw limits a plain node-postgres script reaches on
 * the same rows and table shape in the same run (raw.ts: COPY, batched upsert), and the
 * kafkajs producer alone (the benchmark's source side). Repetitions are interleaved (every
 * repetition runs every variant, order rotated); medians and ratios go to bench/RESULTS.md
 * between the cdc markers. Then:
 *   - the lag phase: the stream at a fixed rate (default 10k events/s), p50/p99/max of source
 *     `ts_ms` → applied, measured from outside (offsets table polled every 10 ms), beside the
 *     pipeline's own lag histogram;
 *   - the sink's batch apply alone (sink-apply.ts): today's unnest statement vs COPY into a
 *     temp table + INSERT … ON CONFLICT, or + MERGE, on the same decoded batches.
 * Every run's target is checked against the stream's expected final state.
 *
 * Usage: node dist/bench/cdc/run.js [--events 200000] [--reps 2] [--batch 1000] [--max-wait 200]
 *        [--rate 10000] [--lag-seconds 10] [--tick-ms 100] [--send-size 1000] [--apply-batches 1000]
 *        [--phases throughput,lag,apply]
 *        [--pg postgres://postgres@127.0.0.1:5432/postgres] [--profile DIR] [--no-write]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { offsetsTableSql } from '../../cdc/offsets/postgres.js';
import { CORES, median, ROOT, writeResultsBlock } from '../common/processes.js';
import { assertEqual, createBenchDatabase, createTables, loadExpected } from './db.js';
import { createEncoder, createStream, type StreamEvent } from './events.js';
import { feedWindow } from './feed.js';
import { buildCProducer } from './c-producer.js';
import { consumePhase } from './consume-phase.js';
import { startMockKafka } from './kafka.js';
import { startCpuMeter } from './cpu.js';
import { lagPhase, produceOnly, throughputPhase, type CpuPerEvent, type LagResult, type PhaseContext } from './phases.js';
import { copyText, rawCopy, rawUpsert, upsertBatches } from './raw.js';
import { APPLY_VARIANTS, mappedBatches, timeApply, type ApplySample, type ApplyVariant } from './sink-apply.js';
import { runMain } from '../common/main.js';

const TABLE = 'orders';
const DEFAULTS = { 'max-wait': '200', 'send-size': '1000', 'tick-ms': '100', 'apply-batches': '1000', producer: 'c' } as const;

const fmt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
const ratio = (a: number, b: number): string => (Number.isFinite(a) && b > 0 ? (a / b).toFixed(2) : '–');
const log = (s: string): void => void process.stderr.write(`${s}\n`);

function take(n: number, seed: number): { events: StreamEvent[]; expected: ReturnType<typeof createStream>['expected'] } {
  const s = createStream({ seed });
  const events = Array.from({ length: n }, () => s.next());
  return { events, expected: s.expected };
}

interface Sample {
  readonly rate: number;
  readonly cpu: CpuPerEvent;
}

type Variant = 'copy' | 'upsert' | 'produce' | 'consume' | 'consume-parse' | 'pipeline';
const VARIANTS: readonly Variant[] = ['copy', 'upsert', 'produce', 'consume', 'consume-parse', 'pipeline'];
const LABEL: Record<Variant, string> = {
  copy: 'COPY, one statement (plain script)',
  upsert: 'batched upsert + delete, unnest (plain script)',
  produce: 'kafkajs producer alone (the source side)',
  consume: 'kafkajs consumer alone, counting (ficus source settings)',
  'consume-parse': 'kafkajs consumer + `JSON.parse` of each value',
  pipeline: '**ficus cdc run**: Kafka → Postgres, end to end',
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '200000' },
      reps: { type: 'string', default: '2' },
      batch: { type: 'string', default: '1000' },
      'max-wait': { type: 'string', default: '200' },
      rate: { type: 'string', default: '10000' },
      /** Messages per produce request (the mock cluster hands out one request's record batch per partition per fetch). */
      'send-size': { type: 'string', default: '1000' },
      /** Lag phase: the producer sends what is due every this many ms. */
      'tick-ms': { type: 'string', default: '100' },
      'lag-seconds': { type: 'string', default: '10' },
      'apply-batches': { type: 'string', default: '1000' },
      phases: { type: 'string', default: 'throughput,lag,apply' },
      pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
      'no-write': { type: 'boolean', default: false },
      /** Write a V8 CPU profile of the `ficus cdc run` processes into this directory. */
      profile: { type: 'string' },
      /** Who produces the pipeline's stream: c (producer.c on librdkafka, compiled here) or kafkajs (in the bench process). */
      producer: { type: 'string', default: 'c' },
    },
  });
  const n = Number(values.events);
  const reps = Number(values.reps);
  const batch = Number(values.batch);
  const phases = new Set(values.phases.split(','));
  const dir = await mkdtemp(join(tmpdir(), 'ficus-bench-cdc-'));
  const db = await createBenchDatabase(values.pg);
  const kafka = await startMockKafka();
  const sections: string[] = [];
  try {
    await createTables(db.pool, [TABLE, 'raw_copy', 'raw_upsert', 'expected', 'expected_lag']);
    await db.pool.query(offsetsTableSql('ficus_offsets'));
    const { events, expected } = take(n, 7);
    await loadExpected(db.pool, 'expected', expected.values());
    const enc = createEncoder('bench', TABLE);
    const avgBytes = events.slice(0, 1000).reduce((s, e) => s + enc.key(e.row.id).length + enc.value(e, Date.now()).length, 0) / Math.min(1000, n);
    const ops = { c: 0, u: 0, d: 0 };
    for (const e of events) ops[e.op]++;
    const mix = `${Math.round((ops.c / n) * 100)} / ${Math.round((ops.u / n) * 100)} / ${Math.round((ops.d / n) * 100)} % c/u/d`;
    log(`${fmt(n)} events (${mix}), ${expected.size} rows at the end, ~${Math.round(avgBytes)} B per message`);
    const ctx: PhaseContext = {
      pool: db.pool,
      brokers: kafka.brokers,
      url: db.url,
      ficus: join(ROOT, 'bin', 'ficus.js'),
      dir,
      table: TABLE,
      maxEvents: batch,
      maxWaitMs: Number(values['max-wait']),
      ...(values.profile && { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] }),
      ...(values.producer !== 'kafkajs' && { cProducer: buildCProducer(dir) }),
    };

    if (phases.has('throughput')) {
      const window = feedWindow(avgBytes);
      const sendSize = Math.min(Number(values['send-size']), Math.floor(window / 2));
      const text = copyText(events);
      const batches = upsertBatches(events, batch);
      const results = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
      let summary = '';
      for (let rep = 0; rep < reps; rep++) {
        const order = VARIANTS.map((_, i) => VARIANTS[(i + rep) % VARIANTS.length]!);
        for (const v of order) {
          let sample: Sample;
          if (v === 'copy' || v === 'upsert') {
            const client = await db.pool.connect();
            try {
              const meter = await startCpuMeter(db.pool);
              const rate = v === 'copy' ? await rawCopy(client, 'raw_copy', text, n) : await rawUpsert(client, 'raw_upsert', batches, n);
              const c = await meter.stop();
              sample = { rate, cpu: { source: 0, pipeline: (c.self * 1e6) / n, postgres: (c.postgres * 1e6) / n } };
            } finally {
              client.release();
            }
            if (v === 'upsert') await assertEqual(db.pool, 'raw_upsert', 'expected', 'batched upsert');
          } else if (v === 'produce') {
            const r = await produceOnly(ctx, `p${rep}`, events, sendSize);
            sample = { rate: r.rate, cpu: { source: r.cpu.source, pipeline: 0, postgres: 0 } };
          } else if (v === 'consume' || v === 'consume-parse') {
            sample = await consumePhase(ctx, `k${rep}${v === 'consume' ? '' : 'j'}`, events, { window, sendSize, parse: v === 'consume-parse' });
          } else {
            const r = await throughputPhase(ctx, `t${rep}`, events, 'expected', { window, sendSize });
            sample = { rate: r.rate, cpu: r.cpu };
            summary = r.summary;
            log(`  pipeline: ${r.seconds.toFixed(1)} s, ${r.rows} rows = expected; ${r.summary}`);
          }
          results.get(v)!.push(sample);
          const c = sample.cpu;
          log(
            `rep ${rep + 1} ${v}: ${fmt(sample.rate)} events/s; CPU µs/event: source ${c.source.toFixed(1)}, applier ${c.pipeline.toFixed(1)}, postgres ${c.postgres.toFixed(1)}`,
          );
        }
      }
      const m = (v: Variant, f: (s: Sample) => number = (s) => s.rate): number => median(results.get(v)!.map(f));
      const applierCpu = (v: Variant): number => (v === 'produce' ? m(v, (s) => s.cpu.source) : m(v, (s) => s.cpu.pipeline));
      const capacity = (v: Variant): number => 1e6 / (applierCpu(v) + m(v, (s) => s.cpu.postgres));
      const rows = VARIANTS.map(
        (v) =>
          `| ${LABEL[v]} | ${fmt(m(v))} | ${results
            .get(v)!
            .map((x) => fmt(x.rate))
            .join(
              ', ',
            )} | ${ratio(m(v), m('upsert'))} | ${ratio(m(v), m('copy'))} | ${applierCpu(v).toFixed(1)} | ${m(v, (s) => s.cpu.postgres).toFixed(1)} | ${fmt(capacity(v))} | ${ratio(capacity(v), capacity('upsert'))} |`,
      );
      sections.push(
        [
          `${fmt(n)} change events (${mix}; ${fmt(expected.size)} rows at the end), ~${(avgBytes / 1024).toFixed(1)} KiB per message (Debezium JSON with schemas), 4 partitions keyed by id; pipeline batches of ${batch}, maxWaitMs ${values['max-wait']}; producer at most ${fmt(window)} messages ahead of the applied offsets (the mock keeps ~5 MB per partition). CPU per event from /proc: the applier is the plain script, the kafkajs producer (the bench process), the kafkajs consumer (bench/cdc/consume.ts, its own process) or the \`ficus cdc run\` process; Postgres is every backend of the bench database; capacity = events per CPU-second of applier + Postgres (the producer excluded: in production Debezium and Kafka run elsewhere).`,
          '',
          '| variant | median events/s | runs | × batched upsert | × COPY | applier CPU µs/event | Postgres CPU µs/event | capacity events/CPU-s | capacity × batched upsert |',
          '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
          ...rows,
          '',
          `Pipeline summary (last run): ${summary}; its source (${values.producer === 'kafkajs' ? 'the kafkajs producer in the bench process' : 'bench/cdc/producer.c on librdkafka, plus the bench process'}) spent ${m('pipeline', (s) => s.cpu.source).toFixed(1)} µs/event. Goal: end to end ≥ 0.6 × batched upsert — ${m('pipeline') / m('upsert') >= 0.6 ? 'met' : 'not met'} (${ratio(m('pipeline'), m('upsert'))} by wall clock, ${ratio(capacity('pipeline'), capacity('upsert'))} by CPU capacity).`,
        ].join('\n'),
      );
    }

    let lag: LagResult | undefined;
    if (phases.has('lag') && Number(values['lag-seconds']) > 0) {
      const rate = Number(values.rate);
      const lagStream = take(Math.round(rate * Number(values['lag-seconds'])), 11);
      await loadExpected(db.pool, 'expected_lag', lagStream.expected.values());
      lag = await lagPhase(ctx, 'lag', lagStream.events, 'expected_lag', {
        rate,
        warmupMs: 2000,
        tickMs: Number(values['tick-ms']),
        maxSend: Number(values['send-size']),
      });
      log(`lag: p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms, max ${lag.maxMs} ms at ${fmt(lag.achievedRate)} events/s, ${lag.unapplied} unapplied`);
      const ms = (x: number): string => (x === Infinity ? 'never' : fmt(x));
      sections.push(
        [
          '| produce rate target | achieved | events measured | p50 lag ms | p99 lag ms | max lag ms | pipeline histogram ≤ 1 s | pipeline CPU | goal p99 ≤ 1 s |',
          '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
          `| ${fmt(lag.targetRate)}/s | ${fmt(lag.achievedRate)}/s | ${fmt(lag.measured)} | ${ms(lag.p50Ms)} | ${ms(lag.p99Ms)} | ${ms(lag.maxMs)} | ${(lag.histogramShare1s * 100).toFixed(1)} % | ${(lag.pipelineCores * 100).toFixed(0)} % of a core | ${lag.p99Ms <= 1000 ? 'met' : 'not met'} |`,
          '',
          `Lag = first offsets poll (every 10 ms) that sees the message applied − the source ts_ms written into it just before it was sent; the first 2 s are warm-up and not counted (the pipeline's own histogram counts everything). ${
            lag.unapplied > 0 ? `${fmt(lag.unapplied)} messages were not applied 60 s after the last produce (counted as "never"). ` : ''
          }${
            lag.differing === 0
              ? `The target equals the expected final state (${fmt(lag.rows)} rows).`
              : `The target differs from the expected final state in ${fmt(lag.differing)} rows: the pipeline fell more than the mock cluster's ~5 MB per partition behind and lost messages to its retention (kafkajs: offset out of range, reset).`
          }`,
        ].join('\n'),
      );
    }

    if (phases.has('apply')) {
      const rows: string[] = [];
      for (const size of values['apply-batches'].split(',').map(Number)) {
        const batches = mappedBatches(events, TABLE, size);
        const results = new Map<ApplyVariant, ApplySample[]>(APPLY_VARIANTS.map((v) => [v, []]));
        for (let rep = 0; rep < reps; rep++) {
          const order = APPLY_VARIANTS.map((_, i) => APPLY_VARIANTS[(i + rep) % APPLY_VARIANTS.length]!);
          for (const v of order) {
            const sample = await timeApply(db.url, TABLE, v, batches, db.pool);
            await assertEqual(db.pool, TABLE, 'expected', `sink apply ${v}`);
            results.get(v)!.push(sample);
            log(
              `rep ${rep + 1} apply ${v} (batches of ${size}): ${fmt(sample.rate)} events/s; CPU µs/event: node ${sample.nodeUs.toFixed(1)}, postgres ${sample.postgresUs.toFixed(1)}`,
            );
          }
        }
        const m = (v: ApplyVariant, f: (s: ApplySample) => number = (s) => s.rate): number => median(results.get(v)!.map(f));
        const cpu = (v: ApplyVariant): number => m(v, (s) => s.nodeUs) + m(v, (s) => s.postgresUs);
        for (const v of APPLY_VARIANTS)
          rows.push(
            `| ${size} | ${v} | ${fmt(m(v))} | ${results
              .get(v)!
              .map((x) => fmt(x.rate))
              .join(
                ', ',
              )} | ${ratio(m(v), m('unnest'))} | ${m(v, (s) => s.nodeUs).toFixed(1)} | ${m(v, (s) => s.postgresUs).toFixed(1)} | ${ratio(cpu('unnest'), cpu(v))} |`,
          );
      }
      sections.push(
        [
          "The sink's batch apply alone, same decoded batches, one transaction per batch with the offsets (no Kafka):",
          '',
          '| batch | apply | median events/s | runs | × unnest (today) | node CPU µs/event | Postgres CPU µs/event | capacity × unnest |',
          '| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: |',
          ...rows,
        ].join('\n'),
      );
    }
  } finally {
    await kafka.stop();
    await db.drop().catch((err: Error) => log(`cannot drop the bench database: ${err.message}`));
    await rm(dir, { recursive: true, force: true });
  }
  const body = sections.join('\n\n');
  process.stdout.write(`${body}\n`);
  if (values['no-write']) return;
  const optional = (['max-wait', 'send-size', 'tick-ms', 'apply-batches', 'producer'] as const)
    .filter((k) => values[k] !== DEFAULTS[k])
    .map((k) => ` --${k} ${values[k]}`);
  const args = `--events ${values.events} --reps ${values.reps} --batch ${values.batch} --rate ${values.rate} --lag-seconds ${values['lag-seconds']}${optional.join('')}${values.phases === 'throughput,lag,apply' ? '' : ` --phases ${values.phases}`}`;
  await writeResultsBlock(
    'cdc',
    `${body}\n\nReproduce: \`npm run bench -- cdc ${args}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${CORES} cores, Postgres on 127.0.0.1, librdkafka's mock cluster via kcat).`,
  );
}

// Ctrl-C: exit through 'exit' handlers (the mock cluster and the pipeline are killed; the bench database stays).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
await runMain(main, import.meta.url);
