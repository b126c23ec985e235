/**
 * Kafka for the CDC benchmark: librdkafka's mock cluster through Debian's `kcat` (as
 * test/harness/kafka.ts starts it, less `-d mock`; the harness is not in the compiled tree), and a
 * producer that keys every message by row id and picks the partition as kafkajs's default
 * (Java-compatible murmur2) partitioner does, so the benchmark knows each message's
 * partition and offset. The mock cluster auto-creates topics with 4 partitions and keeps only
 * ~5 MB per partition, so the producer is throttled to stay a bounded window ahead of what
 * the pipeline has applied.
 */
import { spawn } from 'node:child_process';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';

export interface MockKafka {
  readonly brokers: string[];
  /** The kcat process that runs the mock cluster (the fault benchmark stops and continues it). */
  readonly pid: number;
  stop(): Promise<void>;
}

// Without `-d mock` (whose per-request debug lines cost the mock broker's one thread dearly) librdkafka
// still prints this notice.
const BOOTSTRAP = /replaced with ([0-9.:,]+[0-9])/;

/** `gid`: run kcat with this group id (root only; the CDC fault benchmark's firewall rule spares it by it). */
export async function startMockKafka(options: { gid?: number } = {}): Promise<MockKafka> {
  const child = spawn('kcat', ['-X', 'test.mock.num.brokers=1', '-b', 'x:1', '-C', '-t', `kcat_probe_${process.pid}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(options.gid !== undefined && { gid: options.gid }),
  });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the Kafka mock cluster (kcat) printed no bootstrap address within 10 s'));
    }, 10_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start kcat (apt-get install -y kcat): ${err.message}`));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const m = BOOTSTRAP.exec(seen);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (seen.length > 65_536) seen = seen.slice(-4096);
    });
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill); // never leave the mock cluster behind
  child.stderr.removeAllListeners('data');
  // Keep draining kcat's output; its end is told should it die under the benchmark.
  let tail = '';
  let stopping = false;
  child.stderr.on('data', (chunk: Buffer) => void (tail = (tail + chunk.toString('utf8')).slice(-2000)));
  child.once('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`the Kafka mock cluster (kcat) exited on its own (code ${code}, signal ${signal}): ${tail.trim()}\n`);
  });
  return {
    brokers: bootstrap.split(','),
    pid: child.pid ?? 0,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        process.off('exit', kill);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}

export function kafkaClient(brokers: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...brokers], logLevel: logLevel.NOTHING });
}

/** Creates the topic by asking for its metadata (the mock auto-creates); returns its partition count. */
export async function ensureTopic(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let i = 0; i < 50; i++) {
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        const n = meta.topics[0]?.partitions.length ?? 0;
        if (n > 0) return n;
      } catch {
        // not created yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`topic ${topic} did not appear on the mock cluster`);
  } finally {
    await admin.disconnect();
  }
}

export interface OutMessage {
  readonly key: string;
  /** null: a tombstone. */
  readonly value: string | null;
  /** Source commit time written into the envelope (ms); NaN for tombstones. */
  readonly tsMs: number;
}

/** Where each message went: per partition, the source time of every offset (offsets start at 0 on a fresh topic). */
export interface Produced {
  readonly tsByOffset: number[][];
  /** Next offset per partition (= messages produced to it). */
  readonly next: number[];
  count: number;
}

export interface BenchProducer {
  readonly produced: Produced;
  /** Sends the messages (one request), records their offsets; resolves when acknowledged. */
  send(messages: readonly OutMessage[]): Promise<void>;
  /** The partition kafkajs's default partitioner gives a key. */
  partitionOf(key: string): number;
  /** CPU seconds of a producer process apart from this one (the librdkafka producer), so far. */
  cpuSeconds?(): Promise<number>;
  disconnect(): Promise<void>;
}

/** The partition kafkajs's default partitioner gives a key on `topic` (the pipeline's view of the stream). */
export function partitionerFor(topic: string, partitions: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

export const emptyProduced = (partitions: number): Produced => ({
  tsByOffset: Array.from({ length: partitions }, () => []),
  next: Array.from({ length: partitions }, () => 0),
  count: 0,
});

export async function createBenchProducer(kafka: Kafka, topic: string, partitions: number): Promise<BenchProducer> {
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: true });
  await producer.connect();
  const produced = emptyProduced(partitions);
  const partitionOf = partitionerFor(topic, partitions);
  return {
    produced,
    partitionOf,
    async send(messages) {
      const byPartition = new Map<number, OutMessage[]>();
      const out = messages.map((m) => {
        const partition = partitionOf(m.key);
        const list = byPartition.get(partition);
        if (list) list.push(m);
        else byPartition.set(partition, [m]);
        return { key: m.key, value: m.value, partition };
      });
      const meta = await producer.send({ topic, messages: out });
      for (const r of meta) {
        const list = byPartition.get(r.partition) ?? [];
        const base = Number(r.baseOffset);
        const ts = produced.tsByOffset[r.partition]!;
        list.forEach((m, j) => (ts[base + j] = m.tsMs));
        produced.next[r.partition] = Math.max(produced.next[r.partition]!, base + list.length);
      }
      produced.count += messages.length;
    },
    disconnect: () => producer.disconnect(),
  };
}
