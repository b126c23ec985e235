/**
 * Feeding the mock cluster while the pipeline consumes: messages go out in requests of at most
 * `sendSize`, never more than `window` messages ahead of what the pipeline has applied (the sum
 * of its stored next offsets). The mock cluster keeps only ~5 MB per partition, so a producer
 * running further ahead would lose messages to retention before the pipeline reads them. Used by
 * the throughput phase (phases.ts) and the CDC fault benchmark (bench/reliability/cdc-faults.ts).
 *
 * @example
 *   let at = 0;
 *   await feedBounded({ producer, sendSize: 1000, window: 3000, applied: () => polled,
 *     next: (max) => toMessages(events.slice(at, (at += max))) });
 */
import type { BenchProducer, OutMessage } from './kafka.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per partition the mock keeps ~5 MB; the producer stays this many bytes per partition ahead of the pipeline. */
export const BACKLOG_BYTES_PER_PARTITION = 3 * 1024 * 1024;

/** The window in messages of `avgBytes` for a topic of `partitions` partitions (the mock auto-creates 4). */
export const feedWindow = (avgBytes: number, partitions = 4): number => Math.floor((partitions * BACKLOG_BYTES_PER_PARTITION) / avgBytes);

export interface FeedOptions {
  readonly producer: BenchProducer;
  /** The next messages, at most `max`, encoded when asked (so their ts_ms is the send time); empty at the end. */
  readonly next: (max: number) => readonly OutMessage[];
  readonly sendSize: number;
  /** Messages the producer may be ahead of `applied()`. */
  readonly window: number;
  /** Messages the pipeline has applied so far, as last polled. */
  readonly applied: () => number;
  /** A failed send: resolve true to send the same messages again, false (default) to throw. */
  readonly onSendError?: (err: unknown) => Promise<boolean>;
  /** Aborted: stop feeding; what was not sent stays unsent. */
  readonly signal?: AbortSignal;
}

/** Feeds until `next` returns nothing or the signal aborts; resolves with the number of messages sent. */
export async function feedBounded(o: FeedOptions): Promise<number> {
  let sent = 0;
  while (!o.signal?.aborted) {
    if (o.producer.produced.count - o.applied() + o.sendSize > o.window) {
      await sleep(2);
      continue;
    }
    const chunk = o.next(o.sendSize);
    if (chunk.length === 0) break;
    for (;;) {
      try {
        await o.producer.send(chunk);
        break;
      } catch (err) {
        if (o.signal?.aborted || !(await (o.onSendError?.(err) ?? Promise.resolve(false)))) throw err;
      }
    }
    sent += chunk.length;
  }
  return sent;
}
