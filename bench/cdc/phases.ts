/**
 * The two pipeline phases of the CDC benchmark, each with a fresh topic, consumer group and
 * emptied target table, and `ficus cdc run` started before the clock (its group stable):
 *
 *   throughput  the whole stream produced as fast as the pipeline takes it — never more than
 *               `window` messages ahead of what it has applied, since the mock cluster keeps
 *               only ~5 MB per partition — timed from the first produce to the poll that sees
 *               the last offset applied;
 *   lag         the stream produced at a fixed rate (what is due every tick); each message's lag is
 *               the time of the first offsets poll (every 10 ms) that sees it applied minus
 *               the source `ts_ms` written into it just before it was sent.
 *
 * Both end with the target checked against the stream's expected final state.
 */
import type pg from 'pg';
import { startCpuMeter } from './cpu.js';
import { assertEqual, compareTables } from './db.js';
import { createEncoder, type StreamEvent } from './events.js';
import { feedBounded } from './feed.js';
import { createCProducer } from './c-producer.js';
import { createBenchProducer, ensureTopic, kafkaClient, type BenchProducer, type OutMessage } from './kafka.js';
import { appliedOffsets, lagHistogramShare, startPipeline } from './pipeline.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

export interface PhaseContext {
  readonly pool: pg.Pool;
  readonly brokers: readonly string[];
  readonly url: string;
  readonly ficus: string;
  readonly dir: string;
  readonly table: string;
  readonly maxEvents: number;
  readonly maxWaitMs: number;
  readonly nodeArgs?: readonly string[];
  /** The compiled librdkafka producer (c-producer.ts); absent: kafkajs in this process produces. */
  readonly cProducer?: string;
}

interface Running {
  readonly topic: string;
  readonly partitions: number;
  readonly metricsUrl: string;
  readonly producer: BenchProducer;
  readonly encoder: ReturnType<typeof createEncoder>;
  /** Messages sent before the stream (one tombstone per partition, to see the pipeline consume). */
  readonly probes: number;
  readonly pid: number;
  stop(): Promise<string>;
  kill(): void;
}

/** Fresh topic, group and target; `ficus cdc run` started and seen consuming every partition. */
async function start(ctx: PhaseContext, name: string): Promise<Running> {
  await ctx.pool.query(`TRUNCATE ${ctx.table}`);
  const prefix = `${name}_${process.pid}`;
  const topic = `${prefix}.public.${ctx.table}`;
  const groupId = `bench-${prefix}`;
  const kafka = kafkaClient(ctx.brokers, 'ficus-bench');
  const partitions = await ensureTopic(kafka, topic);
  const p = await startPipeline({ ...ctx, topic, groupId });
  try {
    const producer = ctx.cProducer ? createCProducer(ctx.cProducer, ctx.brokers, topic, partitions) : await createBenchProducer(kafka, topic, partitions);
    const encoder = createEncoder(prefix, ctx.table);
    // Debezium's tombstones are control messages: the pipeline only moves their offsets on.
    const probes = probeMessages(encoder, producer, partitions);
    await producer.send(probes);
    const until = Date.now() + 60_000;
    while (sum(await appliedOffsets(ctx.pool, topic, partitions)) < probes.length) {
      if (Date.now() > until) throw new Error(`${name}: ficus cdc run consumed nothing within 60 s`);
      await sleep(20);
    }
    return { topic, partitions, metricsUrl: p.metricsUrl, producer, encoder, probes: probes.length, pid: p.pid, stop: () => p.stop(), kill: () => p.kill() };
  } catch (err) {
    p.kill();
    throw err;
  }
}

/** One tombstone per partition (negative ids no stream uses): sent first, they show a consumer reading every partition. */
export function probeMessages(encoder: ReturnType<typeof createEncoder>, producer: BenchProducer, partitions: number): OutMessage[] {
  const probes = new Map<number, OutMessage>();
  for (let id = -1; probes.size < partitions && id > -10_000; id--) {
    const key = encoder.key(id);
    const partition = producer.partitionOf(key);
    if (!probes.has(partition)) probes.set(partition, { key, value: null, tsMs: NaN });
  }
  return [...probes.values()];
}

export function toMessages(enc: ReturnType<typeof createEncoder>, events: readonly StreamEvent[]): OutMessage[] {
  const tsMs = Date.now();
  return events.map((e) => ({ key: enc.key(e.row.id), value: enc.value(e, tsMs), tsMs }));
}

/** CPU µs per event: the producing bench process, the process under test, the Postgres backends. */
export interface CpuPerEvent {
  readonly source: number;
  readonly pipeline: number;
  readonly postgres: number;
}

/** A CPU meter that counts the producer's own process (the librdkafka producer) as the source too. */
async function meterWithProducer(ctx: PhaseContext, run: Running): Promise<{ stop(): Promise<{ self: number; process: number; postgres: number }> }> {
  const extra0 = (await run.producer.cpuSeconds?.()) ?? 0;
  const meter = await startCpuMeter(ctx.pool, run.pid);
  return {
    async stop() {
      const c = await meter.stop();
      const extra = ((await run.producer.cpuSeconds?.()) ?? 0) - extra0;
      return { ...c, self: c.self + extra };
    },
  };
}

export const perEvent = (c: { self: number; process: number; postgres: number }, events: number): CpuPerEvent => ({
  source: (c.self * 1e6) / events,
  pipeline: (c.process * 1e6) / events,
  postgres: (c.postgres * 1e6) / events,
});

export interface ThroughputResult {
  readonly rate: number;
  readonly cpu: CpuPerEvent;
  readonly seconds: number;
  readonly rows: number;
  readonly summary: string;
}

export async function throughputPhase(
  ctx: PhaseContext,
  name: string,
  events: readonly StreamEvent[],
  expected: string,
  o: { window: number; sendSize: number },
): Promise<ThroughputResult> {
  const run = await start(ctx, name);
  const { producer } = run;
  const total = events.length + run.probes;
  let applied = run.probes;
  let finishedAt = 0;
  let polling = true;
  const poller = (async () => {
    while (polling && finishedAt === 0) {
      applied = sum(await appliedOffsets(ctx.pool, run.topic, run.partitions));
      if (applied >= total) finishedAt = performance.now();
      else await sleep(20);
    }
  })();
  const meter = await meterWithProducer(ctx, run);
  const t0 = performance.now();
  let cpu: CpuPerEvent;
  try {
    let at = 0;
    await feedBounded({
      producer,
      sendSize: o.sendSize,
      window: o.window,
      applied: () => applied,
      next: (max) => toMessages(run.encoder, events.slice(at, (at += max))),
    });
    const deadline = performance.now() + 120_000;
    while (finishedAt === 0 && performance.now() < deadline) await sleep(5);
    if (finishedAt === 0) throw new Error(`${name}: only ${applied - run.probes} of ${events.length} events applied 120 s after the last produce`);
    cpu = perEvent(await meter.stop(), events.length);
  } catch (err) {
    run.kill();
    throw err;
  } finally {
    polling = false;
    await poller;
    await producer.disconnect();
  }
  const seconds = (finishedAt - t0) / 1000;
  const summary = await run.stop();
  const rows = await assertEqual(ctx.pool, ctx.table, expected, name);
  return { rate: events.length / seconds, cpu, seconds, rows, summary };
}

export interface LagResult {
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly measured: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The pipeline's own ficus_cdc_lag_seconds histogram: share of observations ≤ 1 s. */
  readonly histogramShare1s: number;
  /** Messages not applied 60 s after the last produce (counted with infinite lag). */
  readonly unapplied: number;
  /** Share of one core the pipeline process used while the stream ran. */
  readonly pipelineCores: number;
  readonly rows: number;
  /** Rows that differ from the expected final state (0 = equal). */
  readonly differing: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export async function lagPhase(
  ctx: PhaseContext,
  name: string,
  events: readonly StreamEvent[],
  expected: string,
  o: { rate: number; warmupMs: number; tickMs: number; maxSend: number },
): Promise<LagResult> {
  const run = await start(ctx, name);
  const { producer } = run;
  const total = events.length + run.probes;
  /** Offsets polls: wall time (ms since the epoch) and the stored next offset per partition. */
  const polls: { at: number; next: number[] }[] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const next = await appliedOffsets(ctx.pool, run.topic, run.partitions);
      polls.push({ at: Date.now(), next });
      if (sum(next) >= total) return;
      await sleep(10);
    }
  })();
  const meter = await startCpuMeter(ctx.pool, run.pid);
  const t0 = Date.now();
  let produceSeconds: number;
  let cores: number;
  try {
    let sent = 0;
    const inFlight: Promise<void>[] = [];
    while (sent < events.length) {
      const due = Math.min(events.length, Math.floor(((Date.now() - t0) / 1000) * o.rate));
      // What is due, in requests of at most maxSend (a producer that fell behind must not send one giant request).
      while (due > sent) {
        const chunk = events.slice(sent, Math.min(due, sent + o.maxSend));
        sent += chunk.length;
        // Sends overlap when one takes longer than a tick; kafkajs keeps them in order per partition.
        const send = producer.send(toMessages(run.encoder, chunk));
        send.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
        inFlight.push(send);
        if (inFlight.length > 8) await inFlight.shift();
      }
      await sleep(o.tickMs);
    }
    await Promise.all(inFlight);
    produceSeconds = (Date.now() - t0) / 1000;
    const deadline = Date.now() + 60_000;
    while (sum(polls.at(-1)?.next ?? [0]) < total && Date.now() < deadline) await sleep(20);
    cores = (await meter.stop()).process / ((Date.now() - t0) / 1000);
  } catch (err) {
    run.kill();
    throw err;
  } finally {
    polling = false;
    await poller;
    await producer.disconnect();
  }
  const histogram = await lagHistogramShare(run.metricsUrl, '1');
  await run.stop();
  const unapplied = total - sum(polls.at(-1)?.next ?? [0]);
  // Not asserted: a pipeline that falls ~5 MB per partition behind loses messages to the mock's retention.
  const { rows, differing } = await compareTables(ctx.pool, ctx.table, expected);
  // Per message: the first poll whose stored next offset is past it (probes have no ts_ms); never applied: infinite.
  const lags: number[] = [];
  for (let p = 0; p < run.partitions; p++) {
    const ts = producer.produced.tsByOffset[p]!;
    let offset = 0;
    for (const poll of polls) {
      for (; offset < (poll.next[p] ?? 0); offset++) {
        const t = ts[offset];
        if (t !== undefined && t - t0 >= o.warmupMs) lags.push(poll.at - t);
      }
    }
    for (; offset < ts.length; offset++) if (ts[offset]! - t0 >= o.warmupMs) lags.push(Infinity);
  }
  lags.sort((a, b) => a - b);
  return {
    targetRate: o.rate,
    achievedRate: events.length / produceSeconds,
    measured: lags.length,
    p50Ms: quantile(lags, 0.5),
    p99Ms: quantile(lags, 0.99),
    maxMs: lags.at(-1) ?? NaN,
    histogramShare1s: histogram.share,
    unapplied,
    pipelineCores: cores,
    rows,
    differing,
  };
}

/** The source side alone: the same messages produced by kafkajs to a topic nobody reads. */
export async function produceOnly(
  ctx: PhaseContext,
  name: string,
  events: readonly StreamEvent[],
  sendSize: number,
): Promise<{ rate: number; cpu: CpuPerEvent }> {
  const topic = `${name}_${process.pid}.public.${ctx.table}`;
  const kafka = kafkaClient(ctx.brokers, 'ficus-bench-producer');
  const partitions = await ensureTopic(kafka, topic);
  const producer = await createBenchProducer(kafka, topic, partitions);
  const enc = createEncoder(name, ctx.table);
  const meter = await startCpuMeter(ctx.pool);
  const t0 = performance.now();
  try {
    for (let at = 0; at < events.length; at += sendSize) await producer.send(toMessages(enc, events.slice(at, at + sendSize)));
  } finally {
    await producer.disconnect();
  }
  const rate = events.length / ((performance.now() - t0) / 1000);
  return { rate, cpu: perEvent(await meter.stop(), events.length) };
}
