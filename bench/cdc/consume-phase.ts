/**
 * The consume-only variants of the throughput phase: the same stream, produced the same way
 * (the librdkafka producer, a bounded window ahead), read by consume.ts — kafkajs with the ficus
 * source's settings, counting messages, or also `JSON.parse`-ing each value. What it costs per
 * event is the floor any Kafka → Postgres path built on kafkajs and this message format stands on.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createCProducer } from './c-producer.js';
import { startCpuMeter } from './cpu.js';
import { createEncoder, type StreamEvent } from './events.js';
import { feedBounded } from './feed.js';
import { createBenchProducer, ensureTopic, kafkaClient } from './kafka.js';
import { perEvent, probeMessages, toMessages, type CpuPerEvent, type PhaseContext } from './phases.js';

const CONSUMER = join(import.meta.dirname, 'consume.js');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function consumePhase(
  ctx: PhaseContext,
  name: string,
  events: readonly StreamEvent[],
  o: { window: number; sendSize: number; parse: boolean },
): Promise<{ rate: number; cpu: CpuPerEvent }> {
  const prefix = `${name}_${process.pid}`;
  const topic = `${prefix}.public.${ctx.table}`;
  const kafka = kafkaClient(ctx.brokers, 'ficus-bench');
  const partitions = await ensureTopic(kafka, topic);
  const producer = ctx.cProducer ? createCProducer(ctx.cProducer, ctx.brokers, topic, partitions) : await createBenchProducer(kafka, topic, partitions);
  const encoder = createEncoder(prefix, ctx.table);
  // One tombstone per partition first, to see the consumer reading every partition before the clock starts.
  const probes = probeMessages(encoder, producer, partitions);
  const total = events.length + probes.length;
  const child = spawn(process.execPath, [CONSUMER, ctx.brokers.join(','), topic, `bench-${prefix}`, String(total), ...(o.parse ? ['--parse'] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  let count = 0;
  let finishedAt = 0;
  let tail = '';
  child.stdout.on('data', (b: Buffer) => {
    const lines = (tail + b.toString('utf8')).split('\n');
    tail = lines.pop() ?? '';
    for (const l of lines) if (/^\d+$/.test(l)) count = Number(l);
    if (count >= total && finishedAt === 0) finishedAt = performance.now();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    await producer.send(probes);
    const until = Date.now() + 60_000;
    while (count < probes.length) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`${name}: the kafkajs consumer read nothing within 60 s`);
      await sleep(20);
    }
    const pid = child.pid ?? 0;
    const extra0 = (await producer.cpuSeconds?.()) ?? 0;
    const meter = await startCpuMeter(ctx.pool, pid);
    const t0 = performance.now();
    let at = 0;
    await feedBounded({
      producer,
      sendSize: o.sendSize,
      window: o.window,
      applied: () => count,
      next: (max) => toMessages(encoder, events.slice(at, (at += max))),
    });
    const deadline = performance.now() + 120_000;
    while (finishedAt === 0 && performance.now() < deadline) await sleep(5);
    if (finishedAt === 0) throw new Error(`${name}: the kafkajs consumer read only ${count - probes.length} of ${events.length} messages`);
    const c = await meter.stop();
    const extra = ((await producer.cpuSeconds?.()) ?? 0) - extra0;
    const code = await exited;
    if (code !== 0) throw new Error(`${name}: the kafkajs consumer exited with ${code}`);
    return { rate: events.length / ((finishedAt - t0) / 1000), cpu: perEvent({ ...c, self: c.self + extra }, events.length) };
  } finally {
    process.off('exit', kill);
    kill();
    await producer.disconnect();
  }
}
