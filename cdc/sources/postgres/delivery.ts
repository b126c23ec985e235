/**
 * Handing decoded messages to the pipeline: gathered into batches of `batchSize`, several
 * batches in flight at once (the pipeline's batcher keeps their order), at most `maxBacklog`
 * messages waiting or in flight before the producer is asked to wait (`whenRoom`) — the stream
 * pauses its socket then, so memory stays bounded however fast the server sends.
 *
 * A batch counts as committed when the handler resolves (the sink committed it). Commits are
 * reported in stream order (`onCommitted` with the last position of the furthest batch such
 * that it and every batch before it are committed): that is what the slot may be told.
 */
import type { DecodedMessage, Position } from '../../model.js';
import type { SourceHandler } from '../types.js';

export interface DeliveryOptions {
  readonly handler: SourceHandler;
  readonly batchSize: number;
  readonly maxBacklog: number;
  readonly onCommitted: (position: Position) => void;
  readonly onFailed: (err: unknown) => void;
}

export interface Delivery {
  push(message: DecodedMessage): void;
  /** Hands over what is waiting now, even a partial batch. */
  flush(): void;
  /** Messages waiting or in flight. */
  readonly backlog: number;
  /** The backlog reached maxBacklog: the producer should wait (whenRoom). */
  readonly full: boolean;
  /** Resolves once the backlog is below maxBacklog (at once when it is). */
  whenRoom(): Promise<void>;
  /** Flushes and waits until everything handed over has settled; rejects when a batch failed. */
  drain(): Promise<void>;
  /** Forgets what is waiting (not yet handed over). */
  discardPending(): void;
  /** The position of the last message handed over. */
  readonly lastDelivered: Position | null;
  readonly failed: boolean;
}

interface InFlight {
  readonly last: Position;
  readonly size: number;
  settled: boolean;
}

const positionOf = (m: DecodedMessage): Position => (m.kind === 'change' ? m.event.position : m.position);

export function createDelivery(options: DeliveryOptions): Delivery {
  let pending: DecodedMessage[] = [];
  const inflight: InFlight[] = [];
  let inflightCount = 0;
  let lastDelivered: Position | null = null;
  let failure: { error: unknown } | undefined;
  let roomWaiters: (() => void)[] = [];
  let drainWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  const backlog = (): number => pending.length + inflightCount;

  function wake(): void {
    if (failure) {
      for (const w of drainWaiters) w.reject(failure.error);
      drainWaiters = [];
    } else if (inflight.length === 0 && pending.length === 0) {
      for (const w of drainWaiters) w.resolve();
      drainWaiters = [];
    }
    if (failure || backlog() < options.maxBacklog) {
      const waiters = roomWaiters;
      roomWaiters = [];
      for (const w of waiters) w();
    }
  }

  function settle(entry: InFlight): void {
    entry.settled = true;
    let committed: Position | undefined;
    while (inflight[0]?.settled) {
      const head = inflight.shift() as InFlight;
      inflightCount -= head.size;
      committed = head.last;
    }
    if (committed) options.onCommitted(committed);
    wake();
  }

  function dispatch(batch: DecodedMessage[]): void {
    const last = positionOf(batch[batch.length - 1] as DecodedMessage);
    const entry: InFlight = { last, size: batch.length, settled: false };
    inflight.push(entry);
    inflightCount += batch.length;
    lastDelivered = last;
    options.handler({ decoded: batch }).then(
      () => settle(entry),
      (err: unknown) => {
        failure ??= { error: err };
        options.onFailed(err);
        wake();
      },
    );
  }

  function flush(): void {
    if (failure) {
      pending = [];
      return;
    }
    while (pending.length > 0) {
      const batch = pending.length <= options.batchSize ? pending : pending.slice(0, options.batchSize);
      pending = batch === pending ? [] : pending.slice(options.batchSize);
      dispatch(batch);
    }
  }

  return {
    push(message) {
      pending.push(message);
      if (pending.length >= options.batchSize) flush();
    },
    flush,
    get backlog() {
      return backlog();
    },
    get full() {
      return !failure && backlog() >= options.maxBacklog;
    },
    whenRoom() {
      if (failure || backlog() < options.maxBacklog) return Promise.resolve();
      return new Promise<void>((resolve) => roomWaiters.push(resolve));
    },
    drain() {
      flush();
      if (failure) return Promise.reject(failure.error);
      if (inflight.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => drainWaiters.push({ resolve, reject }));
    },
    discardPending() {
      pending = [];
      wake();
    },
    get lastDelivered() {
      return lastDelivered;
    },
    get failed() {
      return failure !== undefined;
    },
  };
}
