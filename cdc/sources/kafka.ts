/**
 * The Kafka source (kafkajs): a consumer group over a topic list or a topic regex, with offsets
 * kept by the sink, not by Kafka. `autoCommit` is off; on start and on every assignment
 * (rebalance) each assigned partition is sought to the next offset the sink stored (nothing
 * stored → earliest), and messages below it are dropped should an earlier fetch still deliver
 * them — or, for a partition this member keeps, sought after what it handed over already (the
 * pipeline fetches ahead of what the sink committed). Batches come from `eachBatch` with
 * `eachBatchAutoResolve: false`: a batch's offsets are resolved (in kafkajs only: the fetch
 * position) once the handler resolved. Partitions are
 * consumed concurrently, each one strictly in order, so per-key order holds (Kafka partitions by
 * key). While a batch is being applied the consumer keeps heartbeating. Connection failures are
 * retried by kafkajs's own retry (`retry` options); kafkajs logs go to a pino child logger.
 *
 * Should the stored positions not be read at an assignment (the sink's database unreachable just
 * then), the next fetch reads them again (kafkajs retries it with backoff) rather than waiting
 * for the consumer to crash, restart and rejoin. A crash kafkajs does not restart after (a
 * non-retriable error) is reported through `events.fail`, so the pipeline stops instead of
 * idling with a dead consumer.
 *
 * A consumer that stops fetching while it has partitions and no batch in the handler (a kafkajs
 * hang after a lost connection) is replaced by a new one after `stallTimeoutMs` (kafka-watchdog.ts).
 *
 * A regex subscription matches the topics that exist when the consumer starts (kafkajs resolves
 * it once); restart to pick up new topics.
 *
 * @example
 *   const source = createKafkaSource({ ...config.source.kafka, positions: () => sink.lastPositions(), logger });
 *   await source.start(async (batch) => { await applyAndCommit(batch) });
 *   await source.stop();
 */
import { Kafka, type Consumer, type EachBatchPayload, type KafkaConfig, type RetryOptions } from 'kafkajs';
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import type { Position } from '../model.js';
import { positionKey } from '../offsets/position.js';
import { SourceErrorCode, sourceOptionsError } from './errors.js';
import { kafkaLogLevel, pinoLogCreator } from './kafka-logger.js';
import { createStallWatchdog } from './kafka-watchdog.js';
import type { Source, SourceBatch, SourceEvents, SourceHandler } from './types.js';

export interface KafkaSourceOptions {
  readonly brokers: readonly string[];
  readonly topics?: readonly string[];
  /** A regular expression over topic names (instead of `topics`). */
  readonly topicPattern?: string;
  readonly groupId: string;
  readonly clientId?: string;
  /** The positions the sink stored (`kafka:<topic>:<partition>` → next offset); read at every assignment. */
  readonly positions: () => Promise<ReadonlyMap<string, Position>>;
  readonly logger?: Logger;
  /** kafkajs retry options for the client (connections, requests, consumer restarts). */
  readonly retry?: RetryOptions;
  /** Partitions handled at once (each still in order); default 8. */
  readonly partitionsConsumedConcurrently?: number;
  readonly sessionTimeout?: number;
  readonly heartbeatInterval?: number;
  /** Longest a fetch waits for data (default 1000 ms; it also bounds how long stop() waits). */
  readonly maxWaitTimeInMs?: number;
  /**
   * A consumer with partitions, no batch in the handler and no fetch for this long is replaced by
   * a new one (default 60000 ms; see kafka-watchdog.ts).
   */
  readonly stallTimeoutMs?: number;
  /** Extra kafkajs client settings (ssl, sasl, connectionTimeout…). */
  readonly kafka?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator' | 'logLevel' | 'retry'>;
}

const DEFAULT_STALL_MS = 60_000;

const DEFAULT_RETRY: RetryOptions = { initialRetryTime: 300, retries: 10, maxRetryTime: 30_000 };

function validate(o: KafkaSourceOptions): RegExp | undefined {
  if (o.brokers.length === 0) throw sourceOptionsError('the Kafka source needs at least one broker (host:port) in brokers');
  if (!o.groupId) throw sourceOptionsError('the Kafka source needs a groupId (the consumer group)');
  if ((o.topics === undefined || o.topics.length === 0) === (o.topicPattern === undefined)) {
    throw sourceOptionsError('the Kafka source needs exactly one of topics (a non-empty list) or topicPattern (a regular expression)');
  }
  const wait = o.maxWaitTimeInMs ?? 1000;
  if (o.stallTimeoutMs !== undefined && !(o.stallTimeoutMs > wait)) {
    throw sourceOptionsError(`stallTimeoutMs ${o.stallTimeoutMs} must be longer than maxWaitTimeInMs (${wait}): an idle consumer fetches once per wait`);
  }
  if (o.topicPattern === undefined) return undefined;
  try {
    return new RegExp(o.topicPattern);
  } catch (err) {
    throw sourceOptionsError(`topicPattern "${o.topicPattern}" is not a valid regular expression (${(err as Error).message})`);
  }
}

export function createKafkaSource(options: KafkaSourceOptions): Source {
  const pattern = validate(options);
  const log = childLogger(options.logger ?? silentLogger(), { part: 'cdc', component: 'source.kafka' });
  const kafka = new Kafka({
    ...options.kafka,
    brokers: [...options.brokers],
    clientId: options.clientId ?? 'ficus-cdc',
    retry: { ...DEFAULT_RETRY, ...options.retry },
    logLevel: kafkaLogLevel(log),
    logCreator: pinoLogCreator(log),
  });
  let consumer: Consumer | undefined;
  /** Next offset to deliver per `kafka:<topic>:<partition>`: below it, messages were applied already. */
  const next = new Map<string, bigint>();
  /** Settles when the positions for the current assignment are read and sought. */
  let assigned: Promise<void> = Promise.resolve();
  /** The current assignment, to read its positions again when that failed. */
  let current: Readonly<Record<string, readonly number[]>> = {};

  async function seekAssigned(c: Consumer, assignment: Readonly<Record<string, readonly number[]>>): Promise<void> {
    const stored = await options.positions();
    // What this member handed over already may not be applied yet (the pipeline fetches ahead):
    // for a partition it keeps, resume after it, not from the stored offset behind it. (Were it
    // applied by another member meanwhile, the sink fences the repeat.)
    const held = new Map(next);
    next.clear();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const key = positionKey({ kind: 'kafka', topic, partition, offset: '0' });
        const p = stored.get(key);
        const mine = held.get(key);
        const from = p?.kind === 'kafka' && (mine === undefined || BigInt(p.offset) > mine) ? BigInt(p.offset) : mine;
        if (from === undefined) continue; // nothing stored: earliest (no offsets are ever committed to Kafka)
        next.set(key, from);
        c.seek({ topic, partition, offset: from.toString() });
      }
    }
    log.info({ assignment, resumed: Object.fromEntries([...next].map(([k, v]) => [k, v.toString()])) }, 'partitions assigned');
  }

  function assign(c: Consumer, to: Readonly<Record<string, readonly number[]>>): void {
    current = to;
    const seeking = seekAssigned(c, to);
    assigned = seeking;
    seeking.catch((err: Error) => log.error({ err: err.message }, 'cannot read stored positions; reading them again at the next fetch'));
  }

  /** The current assignment's positions read and sought; read again (once for all waiting batches) if that failed. */
  async function positionsRead(c: Consumer): Promise<void> {
    const seeking = assigned;
    try {
      await seeking;
    } catch {
      if (assigned === seeking) assign(c, current);
      await assigned; // fails again: thrown to kafkajs, which retries the fetch with backoff
    }
  }

  async function eachBatch(c: Consumer, handler: SourceHandler, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    await positionsRead(c);
    if (consumer !== c) return; // replaced (stalled): its batches are not delivered
    if (!payload.isRunning() || payload.isStale() || batch.messages.length === 0) return;
    const key = positionKey({ kind: 'kafka', topic: batch.topic, partition: batch.partition, offset: '0' });
    const from = next.get(key);
    const messages = batch.messages
      .filter((m) => from === undefined || BigInt(m.offset) >= from)
      .map((m) => ({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, timestamp: m.timestamp }));
    const last = batch.lastOffset();
    if (messages.length > 0) {
      const delivered: SourceBatch = { topic: batch.topic, partition: batch.partition, messages, highWatermark: batch.highWatermark };
      const beat = setInterval(() => void payload.heartbeat().catch((err: Error) => log.debug({ err: err.message }, 'heartbeat failed')), 1000);
      try {
        await handler(delivered);
      } catch (err) {
        // Not applied, nothing resolved: pause the partition; the pipeline stops (or the next assignment resumes from the sink).
        log.warn({ topic: batch.topic, partition: batch.partition, err: (err as Error).message }, 'batch not applied; pausing the partition');
        payload.pause();
        return;
      } finally {
        clearInterval(beat);
      }
    }
    next.set(key, BigInt(last) + 1n);
    payload.resolveOffset(last);
    await payload.heartbeat().catch(() => undefined);
  }

  let stopped = false;
  let restarting: Promise<void> | undefined;
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
  const watchdog = createStallWatchdog({ stallMs, onStall: restart });
  let running: { handler: SourceHandler; events: SourceEvents | undefined } | undefined;

  /** Creates, connects and runs a consumer. @throws FicusError CDC_SOURCE_CONNECT */
  async function launch(handler: SourceHandler, events: SourceEvents | undefined): Promise<void> {
    const c = kafka.consumer({
      groupId: options.groupId,
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 1000,
      ...(options.sessionTimeout !== undefined && { sessionTimeout: options.sessionTimeout }),
      ...(options.heartbeatInterval !== undefined && { heartbeatInterval: options.heartbeatInterval }),
    });
    consumer = c;
    c.on(c.events.GROUP_JOIN, (event) => {
      if (consumer !== c) return;
      const to = event.payload.memberAssignment;
      watchdog.assigned(Object.values(to).reduce((n, ps) => n + ps.length, 0));
      assign(c, to);
    });
    // Only a fetch that finished counts: a consumer stuck in a fetch goes on heartbeating, and kafkajs
    // starts the hanging fetch again on each of its retries (both seen in the fault bench).
    for (const e of [c.events.FETCH, c.events.CONNECT]) c.on(e, () => consumer === c && watchdog.activity());
    c.on(c.events.CRASH, (event) => {
      const { error, restart: again } = event.payload;
      log.error({ err: error.message, restart: again }, 'consumer crashed');
      if (again || consumer !== c) return;
      events?.fail(
        new FicusError(SourceErrorCode.CRASHED, `the Kafka consumer of group ${options.groupId} stopped and does not restart: ${error.message}`, {
          cause: error,
        }),
      );
    });
    try {
      await c.connect();
      await c.subscribe({ topics: pattern ? [pattern] : [...(options.topics ?? [])], fromBeginning: true });
    } catch (err) {
      if (consumer === c) consumer = undefined;
      await c.disconnect().catch(() => undefined);
      throw new FicusError(SourceErrorCode.CONNECT, `cannot connect to Kafka at ${options.brokers.join(',')}: ${(err as Error).message}`, {
        cause: err,
        retriable: true,
      });
    }
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 8,
      eachBatch: async (payload) => {
        watchdog.begin();
        try {
          await eachBatch(c, handler, payload);
        } finally {
          watchdog.end();
        }
      },
    });
  }

  /** Replaces a stalled consumer (see kafka-watchdog.ts); a failed attempt is tried again after another stall period. */
  function restart(idleMs: number): void {
    if (stopped || restarting || !running) return;
    const old = consumer;
    const { handler, events } = running;
    log.warn(
      { code: SourceErrorCode.STALLED, idleMs, groupId: options.groupId },
      'Kafka consumer stalled (partitions assigned, nothing in flight, no fetch); replacing it',
    );
    consumer = undefined; // the old one's events and batches are ignored from here on
    restarting = (async () => {
      // A stuck consumer may not disconnect either: give it a while, then leave it behind.
      if (old) await Promise.race([old.disconnect().catch(() => undefined), sleep(Math.min(stallMs, 10_000))]);
      if (stopped) return;
      try {
        await launch(handler, events);
        log.info({ groupId: options.groupId }, 'Kafka consumer replaced');
      } catch (err) {
        log.error({ err: (err as Error).message }, 'cannot replace the stalled Kafka consumer; trying again after another stall period');
      }
    })().finally(() => {
      restarting = undefined;
      watchdog.activity(); // the replacement gets a full period to join and fetch
    });
  }

  return {
    async start(handler, events) {
      if (consumer || running) throw new FicusError(SourceErrorCode.OPTIONS, 'the Kafka source is started already');
      await launch(handler, events);
      running = { handler, events };
      log.info({ groupId: options.groupId, topics: options.topics, topicPattern: options.topicPattern }, 'consuming');
    },
    async stop() {
      stopped = true;
      watchdog.stop();
      await restarting;
      const c = consumer;
      consumer = undefined;
      if (c) await c.disconnect(); // waits for the in-flight eachBatch calls
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
