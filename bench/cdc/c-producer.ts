/**
 * The benchmark's source side through librdkafka: producer.c, compiled here with the system's C
 * compiler against Debian's librdkafka-dev, one process for the stream (see producer.c for why
 * not kafkajs or kcat). Keys pick the partition as kafkajs's default partitioner does (kafka.ts),
 * so each key keeps its order; offsets are counted per partition (a fresh topic starts at 0, and
 * the idempotent producer keeps the input order per partition).
 */
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { cpuSeconds, ROOT } from '../common/processes.js';
import { emptyProduced, partitionerFor, type BenchProducer, type OutMessage } from './kafka.js';

/** Compiles producer.c into `dir`; a clear error when the compiler or librdkafka-dev is missing. */
export function buildCProducer(dir: string): string {
  const out = join(dir, 'producer');
  try {
    execFileSync('cc', ['-O2', '-o', out, join(ROOT, 'bench', 'cdc', 'producer.c'), '-lrdkafka'], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n')[0] ?? (err as Error).message;
    throw new Error(`cannot build bench/cdc/producer.c (apt-get install -y gcc librdkafka-dev, or --producer kafkajs): ${detail}`);
  }
  return out;
}

export function createCProducer(binary: string, brokers: readonly string[], topic: string, partitions: number): BenchProducer {
  const child = spawn(binary, [brokers.join(','), topic], { stdio: ['pipe', 'ignore', 'inherit'] });
  let closing = false;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => {
      if (!closing) reject(new Error(`the librdkafka producer exited (${code})`));
    }),
  );
  exited.catch(() => undefined);
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const produced = emptyProduced(partitions);
  const partitionOf = partitionerFor(topic, partitions);
  return {
    produced,
    partitionOf,
    send(messages: readonly OutMessage[]) {
      let text = '';
      for (const m of messages) {
        const p = partitionOf(m.key);
        text += `${p}\t${m.key}\t${m.value ?? ''}\n`;
        produced.tsByOffset[p]![produced.next[p]!++] = m.tsMs;
      }
      produced.count += messages.length;
      if (child.stdin.write(text)) return Promise.resolve();
      return Promise.race([new Promise<void>((resolve) => child.stdin.once('drain', resolve)), exited]);
    },
    cpuSeconds: () => (child.pid ? cpuSeconds(child.pid) : Promise.resolve(0)),
    disconnect() {
      process.off('exit', kill);
      closing = true;
      return new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new Error(`the librdkafka producer did not deliver everything (exit ${code})`));
        });
        child.stdin.end(); // it flushes what it holds and exits at the end of its input
      });
    },
  };
}
