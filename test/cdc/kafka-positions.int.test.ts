/**
 * The Kafka source when the stored positions cannot be read at an assignment (the sink's
 * database connection was killed or the database restarted just then — the CDC fault benchmark's
 * pg_terminate_backend landed on that query): consuming resumes as soon as they can be read
 * again, from the stored offsets, instead of stalling until kafkajs crashes, restarts and rejoins
 * the consumer (13 s with a 6 s session timeout before the fix); and when kafkajs gives up for
 * good (a non-retriable error), the source reports it through `events.fail` so the pipeline stops
 * — before the fix the consumer died and `ficus cdc run` idled on, consuming nothing.
 */
import { Kafka, logLevel } from 'kafkajs';
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
