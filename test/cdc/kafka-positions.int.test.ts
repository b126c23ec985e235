/**
 * The Kafka source when the stored positions cannot be read at an assignment (the sink's
 * database connection was killed or the database restarted just then — the CDC fault benchmark's
 * pg_terminate_backend landed on that query): consuming resumes as soon as they can be read
 * again, from the stored offsets, instead of stalling until kafkajs crashes, restarts and rejoins
 * the consumer (13 s with a 6 s session timeout before the fix); and when kafkajs gives up for
 * good (a non-retriable error), the source reports it through `events.fail` so the pipeline stops
 * — before the fix the consumer died and `ficus cdc run` idled on, consuming nothing. And a
 * consumer that stalls (partitions assigned, nothing in hand, no fetch — the broker frozen here)
 * is replaced by a new one that goes on from where the old one was.
 */
import { Writable } from 'node:stream';
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import type { Position } from '../../cdc/model.js';
import { createKafkaSource } from '../../cdc/sources/kafka.js';
import type { SourceBatch } from '../../cdc/sources/types.js';
import { startMockKafka, uniqueName, type MockKafka } from '../harness/index.js';

let kafka: MockKafka;
beforeAll(async () => {
  kafka = await startMockKafka();
});
afterAll(async () => {
  await kafka?.stop();
});

it('reads the stored positions again when they could not be read at assignment, and resumes from them', async () => {
  const topic = uniqueName('positions_fail');
  const producer = new Kafka({ clientId: 'positions-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();

  let calls = 0;
  let failedAt = 0;
  const stored = new Map<string, Position>([[`kafka:${topic}:0`, { kind: 'kafka', topic, partition: 0, offset: '4' }]]);
  const source = createKafkaSource({
    brokers: kafka.brokers,
    topics: [topic],
    groupId: uniqueName('positions_fail'),
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    positions: async () => {
      if (calls++ === 0) {
        failedAt = Date.now();
        throw new FicusError('CDC_SINK_RETRIABLE', 'reading stored positions: terminating connection due to administrator command', { retriable: true });
      }
      return stored;
    },
  });
  const offsets: string[] = [];
  let firstAt = 0;
  try {
    await source.start(async (b) => {
      const batch = b as SourceBatch;
      if (batch.partition === 0) offsets.push(...batch.messages.map((m) => m.offset));
      firstAt ||= Date.now();
    });
    const end = Date.now() + 30_000;
    while (offsets.length < 6 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await source.stop();
  }
  expect(calls).toBeGreaterThanOrEqual(2);
  expect(offsets).toEqual(['4', '5', '6', '7', '8', '9']);
  // Read again at the next fetch (kafkajs retries it 300 ms later), not after a crash, restart and rejoin (~12 s).
  expect(firstAt - failedAt).toBeLessThan(3_000);
}, 60_000);

it('reports a consumer that crashed for good through events.fail', async () => {
  const topic = uniqueName('positions_dead');
  const producer = new Kafka({ clientId: 'positions-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ partition: 0, key: 'k', value: 'v' }] });
  await producer.disconnect();
  const source = createKafkaSource({
    brokers: kafka.brokers,
    topics: [topic],
    groupId: uniqueName('positions_dead'),
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    positions: async () => {
      throw new FicusError('CDC_SINK_SCHEMA', 'target table public.ficus_offsets does not exist');
    },
  });
  let delivered = 0;
  try {
    const failed = await new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('events.fail was not called within 30 s')), 30_000);
      source
        .start(
          async () => {
            delivered++;
          },
          {
            fail: (err) => {
              clearTimeout(timer);
              resolve(err);
            },
          },
        )
        .catch(reject);
    });
    expect(failed).toMatchObject({ code: 'CDC_SOURCE_CRASHED' });
    expect(delivered).toBe(0);
  } finally {
    await source.stop();
  }
}, 60_000);

it('replaces a consumer that stalls (broker frozen mid-stream) and goes on from where it was, nothing twice', async () => {
  const own = await startMockKafka();
  const topic = uniqueName('stall');
  const producer = new Kafka({ clientId: 'stall-test', brokers: own.brokers, logLevel: logLevel.NOTHING }).producer();
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    }),
  );
  const send = (from: number) =>
    producer.send({ topic, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 0, key: `k${from + i}`, value: `v${from + i}` })) });
  const source = createKafkaSource({
    brokers: own.brokers,
    topics: [topic],
    groupId: uniqueName('stall'),
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    maxWaitTimeInMs: 100,
    stallTimeoutMs: 2000,
    logger,
    positions: async () => new Map(),
  });
  const offsets: string[] = [];
  const until = async (n: number, ms: number) => {
    const end = Date.now() + ms;
    while (offsets.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };
  try {
    await producer.connect();
    await send(0);
    await source.start(async (b) => {
      offsets.push(...(b as SourceBatch).messages.map((m) => m.offset));
    });
    await until(5, 30_000);
    expect(offsets).toHaveLength(5);
    // Frozen: connections stay open, nothing answers (the consumer's fetch hangs like kafkajs#1163's).
    process.kill(own.pid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 5000));
    process.kill(own.pid, 'SIGCONT');
    await send(5);
    await until(10, 60_000);
  } finally {
    process.kill(own.pid, 'SIGCONT');
    await source.stop();
    await producer.disconnect().catch(() => undefined);
    await own.stop();
  }
  expect(lines.some((l) => l.code === 'CDC_SOURCE_STALLED')).toBe(true);
  expect(offsets).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
}, 120_000);

it('refuses a stall timeout not longer than the fetch wait', () => {
  expect(() =>
    createKafkaSource({ brokers: ['127.0.0.1:9'], topics: ['t'], groupId: 'g', maxWaitTimeInMs: 5000, stallTimeoutMs: 2000, positions: async () => new Map() }),
  ).toThrow(expect.objectContaining({ code: 'CDC_SOURCE_OPTIONS' }) as Error);
});
