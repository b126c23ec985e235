/**
 * The Kafka sink (`sink: { kafka: { brokers, topicPrefix, schemas } }`): produces the captured
 * change events in Debezium's topic naming and JSON envelope (kafka-envelope.ts), so existing
 * Debezium consumers read them as if Debezium had written them. The events a batch carries are
 * produced in order (one in-flight request, acks from all in-sync replicas; the key picks the
 * partition, so per-key order holds), then the batch's positions go to the offsets topic
 * (`<topicPrefix>.<offsets.table>`, keyed by stream, latest wins) and its dead letters to
 * `<topicPrefix>.<deadLetter.table>`. `lastPositions()` reads the offsets topic to its end.
 *
 * Delivery is at least once, as with Debezium itself: a crash after the events were produced
 * and before their positions were, re-produces that batch on restart. (Kafka transactions would
 * make it exactly once; librdkafka's mock cluster the tests use cannot coordinate them.)
 * kafkajs errors marked retriable become retriable CDC_SINK_RETRIABLE errors: the pipeline
 * retries the whole batch.
 *
 * @example
 *   const sink = await openKafkaSink({ brokers: ['kafka:9092'], topicPrefix: 'shop', schemas: true, logger });
 */
import { Kafka, type Message, type Producer } from 'kafkajs';
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import type { Position } from '../model.js';
import { positionsToStore } from '../offsets/position.js';
import { kafkaLogLevel, pinoLogCreator } from '../sources/kafka-logger.js';
import { SinkErrorCode } from './errors.js';
import { debeziumRecords } from './kafka-envelope.js';
import { toJson } from './postgres-sql.js';
import type { ApplyResult, Sink, SinkBatch } from './types.js';

export interface KafkaSinkOptions {
  readonly brokers: readonly string[];
  readonly topicPrefix: string;
  readonly clientId?: string;
  /** Write `{schema, payload}` (JsonConverter schemas.enable=true); default true. */
  readonly schemas?: boolean;
  /** Default `<topicPrefix>.ficus_offsets`. */
  readonly offsetsTopic?: string;
  /** Default `<topicPrefix>.ficus_dead_letters`. */
  readonly deadLetterTopic?: string;
  readonly logger?: Logger;
  /** How long lastPositions() may take to read the offsets topic (default 30 s). */
  readonly readTimeoutMs?: number;
}

function sinkFailure(err: unknown, what: string): FicusError {
  if (err instanceof FicusError) return err;
  const retriable = (err as { retriable?: unknown } | null)?.retriable === true || /ECONNREFUSED|ECONNRESET|timeout|not available/i.test(String(err));
  return new FicusError(retriable ? SinkErrorCode.RETRIABLE : SinkErrorCode.FAILED, `${what} failed: ${(err as Error).message ?? String(err)}`, {
    cause: err,
    retriable,
  });
}

export async function openKafkaSink(options: KafkaSinkOptions): Promise<Sink> {
  if (options.brokers.length === 0 || !/^[A-Za-z0-9_.-]+$/.test(options.topicPrefix)) {
    throw new FicusError(SinkErrorCode.OPTIONS, 'the Kafka sink needs brokers and a topicPrefix of letters, digits, _ . -', { exitCode: 2 });
  }
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'sink.kafka' });
  const clientId = options.clientId ?? 'ficus-cdc';
  const kafka = new Kafka({ brokers: [...options.brokers], clientId, logLevel: kafkaLogLevel(log), logCreator: pinoLogCreator(log) });
  const offsetsTopic = options.offsetsTopic ?? `${options.topicPrefix}.ficus_offsets`;
  const deadLetterTopic = options.deadLetterTopic ?? `${options.topicPrefix}.ficus_dead_letters`;
  const schemas = options.schemas ?? true;
  const producer: Producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  try {
    await producer.connect();
  } catch (err) {
    throw sinkFailure(err, `connecting to Kafka at ${options.brokers.join(',')}`);
  }
  let closed = false;

  async function send(topicMessages: { topic: string; messages: Message[] }[]): Promise<void> {
    if (topicMessages.length > 0) await producer.sendBatch({ topicMessages, acks: -1 });
  }

  function grouped(records: readonly { topic: string; key: string | null; value: string | null }[]): { topic: string; messages: Message[] }[] {
    const byTopic = new Map<string, Message[]>();
    for (const r of records) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value });
      byTopic.set(r.topic, list);
    }
    return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
  }

  return {
    async apply(batch: SinkBatch): Promise<ApplyResult> {
      if (closed) throw new FicusError(SinkErrorCode.CLOSED, 'the Kafka sink is closed');
      const records = batch.changes.flatMap((c) => debeziumRecords(c.event, { topicPrefix: options.topicPrefix, schemas }));
      const letters = batch.deadLetters ?? [];
      try {
        await send(grouped(records));
        const positions = [...positionsToStore(batch.positions)].map(([stream, p]) => ({ key: stream, value: JSON.stringify(p) }));
        const dead = letters.map((l) => ({ key: null, value: toJson({ ...l, at: new Date().toISOString() }) }));
        await send([
          ...(positions.length > 0 ? [{ topic: offsetsTopic, messages: positions }] : []),
          ...(dead.length > 0 ? [{ topic: deadLetterTopic, messages: dead }] : []),
        ]);
      } catch (err) {
        throw sinkFailure(err, `producing ${records.length} records to Kafka`);
      }
      return { applied: batch.changes.length, deadLettered: letters.length, fellBack: false };
    },

    async lastPositions(): Promise<Map<string, Position>> {
      const out = new Map<string, Position>();
      const admin = kafka.admin();
      let ends: { partition: number; high: string; low: string }[];
      try {
        await admin.connect();
        ends = await admin.fetchTopicOffsets(offsetsTopic);
      } catch (err) {
        log.debug({ err: (err as Error).message, topic: offsetsTopic }, 'no offsets topic yet');
        return out;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
      const pending = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high) - 1n]));
      if (pending.size === 0) return out;
      const consumer = kafka.consumer({ groupId: `${clientId}-positions-${process.pid}-${Date.now().toString(36)}` });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [offsetsTopic], fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`reading ${offsetsTopic} took longer than ${options.readTimeoutMs ?? 30_000} ms`)),
            options.readTimeoutMs ?? 30_000,
          );
          void consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ partition, message }) => {
                const key = message.key?.toString('utf8');
                if (key && message.value) out.set(key, JSON.parse(message.value.toString('utf8')) as Position);
                const last = pending.get(partition);
                if (last !== undefined && BigInt(message.offset) >= last) pending.delete(partition);
                if (pending.size === 0) {
                  clearTimeout(timer);
                  resolve();
                }
              },
            })
            .catch(reject);
        });
      } catch (err) {
        throw sinkFailure(err, `reading stored positions from ${offsetsTopic}`);
      } finally {
        await consumer.disconnect().catch(() => undefined);
      }
      return out;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await producer.disconnect();
    },
  };
}
