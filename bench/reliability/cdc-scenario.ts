/**
 * One scenario of the CDC fault benchmark, through the whole pipeline: a fresh topic on the mock
 * cluster, a fresh consumer group and an emptied target table; `ficus cdc run` under the
 * supervisor (cdc-supervisor.ts); the message plan (cdc-poison.ts) produced while the pipeline
 * consumes, at most `window` messages ahead of the applied offsets (bench/cdc/feed.ts); the
 * scenario's fault injected beside it (cdc-injectors.ts); then the wait until every produced
 * offset is applied, a clean stop, `ficus cdc verify` against the expected state and the
 * dead letters counted (cdc-check.ts). Bounded by `timeoutMs`: past it the stream and the faults
 * stop, and what got applied is verified all the same (the result says it timed out).
 */
import { join } from 'node:path';
import type pg from 'pg';
import { createEncoder, type StreamEvent } from '../cdc/events.js';
import { feedBounded } from '../cdc/feed.js';
import { createBenchProducer, ensureTopic, kafkaClient, type MockKafka } from '../cdc/kafka.js';
import { appliedOffsets } from '../cdc/pipeline.js';
import { mulberry32 } from '../../analyzer/index.js';
import { brokerPorts } from './cdc-broker.js';
import { deadLetters, runVerify, type VerifyOutcome } from './cdc-check.js';
import type { FaultReport, Injector } from './cdc-injectors.js';
import { createPlan } from './cdc-poison.js';
import { supervise, type UnplannedExit } from './cdc-supervisor.js';

export const TABLE = 'orders';
/** application_name of the sink's connections (the pg-terminate fault picks them by it). */
const SINK_APPLICATION = 'ficus-cdc-run';

export interface Bench {
  readonly kafka: MockKafka;
  readonly targetUrl: string;
  /** The bench's own connections to the target (another application_name). */
  readonly pool: pg.Pool;
  readonly expectedUrl: string;
  readonly ficus: string;
  readonly dir: string;
  readonly events: readonly StreamEvent[];
  readonly window: number;
  readonly sendSize: number;
  readonly batch: number;
  readonly maxWaitMs: number;
  readonly timeoutMs: number;
  readonly outageMs: number;
  readonly seed: number;
  readonly log: (s: string) => void;
  /** Keep each scenario's pipeline log in this directory, at this level (default info). */
  readonly logDir?: string;
  readonly logLevel?: string;
}

export interface Scenario {
  readonly name: string;
  /** Faults to inject. */
  readonly count: number;
  readonly injector?: Injector;
  /** A poison message after every this many events (0: none). */
  readonly poisonEvery: number;
}

export interface ScenarioResult {
  readonly name: string;
  readonly events: number;
  readonly poisons: number;
  readonly messagesSent: number;
  readonly faults: FaultReport;
  /** First produce → every produced offset applied (or the timeout). */
  readonly seconds: number;
  readonly caughtUp: boolean;
  readonly timedOut: boolean;
  readonly starts: number;
  readonly unplanned: readonly UnplannedExit[];
  /** Apply retries the last process counted. */
  readonly retries: number;
  /** Producer sends that failed and were sent again (broker outages). */
  readonly sendErrors: number;
  readonly stop: { readonly clean: boolean; readonly summary: string };
  readonly deadLetters: ReadonlyMap<string, number>;
  readonly verify: VerifyOutcome;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export async function runScenario(b: Bench, s: Scenario): Promise<ScenarioResult> {
  await b.pool.query(`TRUNCATE ${TABLE}`);
  await b.pool.query('DROP TABLE IF EXISTS ficus_dead_letters'); // the sink creates it again
  const prefix = `${s.name.replace(/-/g, '_')}_${process.pid}`;
  const topic = `${prefix}.public.${TABLE}`;
  const kafka = kafkaClient(b.kafka.brokers, 'ficus-bench-faults');
  const partitions = await ensureTopic(kafka, topic);
  const producer = await createBenchProducer(kafka, topic, partitions);
  const plan = createPlan(b.events, createEncoder(prefix, TABLE), s.poisonEvery);
  const controller = new AbortController();
  const { signal } = controller;
  const supervisor = await supervise(
    {
      dir: b.dir,
      ficus: b.ficus,
      brokers: b.kafka.brokers,
      topic,
      groupId: `faults-${prefix}`,
      url: `${b.targetUrl}?application_name=${SINK_APPLICATION}`,
      table: TABLE,
      maxEvents: b.batch,
      maxWaitMs: b.maxWaitMs,
      sessionTimeout: 6000,
      heartbeatInterval: 500,
      verifySource: b.expectedUrl,
      ...(b.logDir && { logLevel: b.logLevel ?? 'info', logFile: join(b.logDir, `${s.name}.log`) }),
    },
    b.log,
  );
  let applied = Array.from({ length: partitions }, () => 0);
  let polling = true;
  const poller = (async () => {
    while (polling) {
      applied = await appliedOffsets(b.pool, topic, partitions).catch(() => applied); // no table yet, or a hiccup
      await sleep(25);
    }
  })();
  const progress = (): number => sum(applied);
  const timer = setTimeout(() => controller.abort(), b.timeoutMs);
  const t0 = performance.now();
  let sendErrors = 0;
  let caughtUp = false;
  let seconds: number;
  let faults: FaultReport = { injected: 0, what: 'none', details: [] };
  try {
    const feeding = feedBounded({
      producer,
      next: (max) => plan.next(max),
      sendSize: b.sendSize,
      window: b.window,
      applied: progress,
      signal,
      onSendError: async (err) => {
        if (sendErrors++ === 0) b.log(`  a produce failed (${(err as Error).message}); sending it again every 0.5 s`);
        await sleep(500);
        return !signal.aborted;
      },
    });
    const ctx = {
      supervisor,
      progress,
      total: plan.total,
      pool: b.pool,
      sinkApplication: SINK_APPLICATION,
      kafkaPid: b.kafka.pid,
      brokerPorts: brokerPorts(b.kafka.brokers),
      outageMs: b.outageMs,
      signal,
      random: mulberry32(b.seed),
      log: b.log,
    };
    const [fed, injected] = await Promise.allSettled([feeding, s.injector ? s.injector(ctx, s.count) : Promise.resolve(faults)]);
    if (fed.status === 'rejected') b.log(`  producing stopped: ${(fed.reason as Error).message}`);
    if (injected.status === 'rejected') throw injected.reason;
    faults = injected.value;
    const done = (): boolean => applied.every((o, p) => o >= (producer.produced.next[p] ?? 0));
    while (!(caughtUp = done()) && !signal.aborted) await sleep(10);
    seconds = (performance.now() - t0) / 1000;
    if (!caughtUp)
      b.log(
        `  not caught up: applied ${applied.join(', ')} of ${producer.produced.next.join(', ')} per partition; the pipeline's last log lines:\n${supervisor.tail()}`,
      );
  } catch (err) {
    await supervisor.stop(5000);
    await producer.disconnect().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
    polling = false;
    await poller;
  }
  const retries = await supervisor.retries();
  const stop = await supervisor.stop();
  await producer.disconnect().catch(() => undefined);
  const verify = await runVerify(b.ficus, supervisor.config, join(b.dir, `${prefix}.verify.json`));
  return {
    name: s.name,
    events: b.events.length,
    poisons: sum([...plan.poisons.values()]),
    messagesSent: producer.produced.count,
    faults,
    seconds,
    caughtUp,
    timedOut: signal.aborted,
    starts: supervisor.starts,
    unplanned: supervisor.unplanned,
    retries,
    sendErrors,
    stop,
    deadLetters: await deadLetters(b.pool),
    verify,
  };
}
