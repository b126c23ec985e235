/**
 * Batching for the sink: items from concurrent source batches (one per partition, each in
 * order) are gathered until `maxEvents` are waiting or `maxWaitMs` passed since the first, then
 * flushed in chunks of at most `maxEvents`, one flush at a time, in arrival order. `add()`
 * resolves once every item it added has been flushed — so a source batch is acknowledged only
 * after the sink committed it. A failed flush rejects its items and everything still waiting,
 * and the batcher refuses new items from then on. Timers are injected for tests.
 *
 * `idle()` says when no more items can arrive before a flush — every source batch in progress is
 * parked in `add()` or `room()` — and then the batcher flushes after one turn of the event loop
 * instead of waiting out `maxWaitMs` for items that cannot come soon.
 *
 * `room(limit)` is the backpressure for a source that goes on fetching while earlier items are
 * applied: it resolves once at most `limit` items wait or are being flushed.
 */
export interface BatcherOptions<T> {
  readonly maxEvents: number;
  readonly maxWaitMs: number;
  readonly flush: (items: readonly T[]) => Promise<void>;
  /** True when every producer is waiting on the batcher, so waiting longer gains nothing. */
  readonly idle?: () => boolean;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

interface Deferred {
  resolve(): void;
  reject(err: unknown): void;
}

interface Entry<T> {
  readonly item: T;
  /** Set on the last item of an add(): settled when that item is flushed. */
  readonly done?: Deferred;
}

export interface Batcher<T> {
  add(items: readonly T[]): Promise<void>;
  /** Resolves when at most `limit` items wait or are being flushed; rejects once a flush failed. */
  room(limit: number): Promise<void>;
  /** Flushes whatever is waiting now (stop: no more waiting for maxWaitMs); resolves when flushed. */
  flushNow(): Promise<void>;
  /** Items waiting or being flushed. */
  readonly pending: number;
}

export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  let waiting: Entry<T>[] = [];
  let inFlight = 0;
  let timer: unknown;
  let chain: Promise<void> = Promise.resolve();
  let drainQueued = false;
  let failure: { error: unknown } | undefined;
  let urgent = false;
  let roomWaiters: { limit: number; done: Deferred }[] = [];

  function failAll(err: unknown, entries: readonly Entry<T>[]): void {
    failure ??= { error: err };
    for (const e of [...entries, ...waiting]) e.done?.reject(err);
    waiting = [];
    for (const w of roomWaiters) w.done.reject(err);
    roomWaiters = [];
  }

  function wakeRoom(): void {
    if (roomWaiters.length === 0) return;
    const pending = waiting.length + inFlight;
    const still: typeof roomWaiters = [];
    for (const w of roomWaiters) {
      if (pending <= w.limit) w.done.resolve();
      else still.push(w);
    }
    roomWaiters = still;
  }

  async function drain(): Promise<void> {
    drainQueued = false;
    while (waiting.length > 0 && !failure) {
      const chunk = waiting.splice(0, options.maxEvents);
      inFlight = chunk.length;
      try {
        await options.flush(chunk.map((e) => e.item));
      } catch (err) {
        inFlight = 0;
        failAll(err, chunk);
        return;
      }
      inFlight = 0;
      for (const e of chunk) e.done?.resolve();
      wakeRoom();
      if (!urgent && waiting.length < options.maxEvents) break;
    }
    schedule();
  }

  function kick(): void {
    if (timer !== undefined) {
      clearTimer(timer);
      timer = undefined;
    }
    if (drainQueued) return;
    drainQueued = true;
    chain = chain.then(drain);
  }

  function schedule(): void {
    if (waiting.length === 0 || failure) return;
    if (urgent || options.maxWaitMs === 0 || waiting.length >= options.maxEvents) kick();
    else if (options.idle?.()) {
      // One turn of the event loop, so handlers started together all add before the flush.
      if (timer !== undefined) clearTimer(timer);
      if (!drainQueued) {
        timer = setTimer(() => {
          timer = undefined;
          kick();
        }, 0);
      }
    } else if (timer === undefined && !drainQueued) {
      timer = setTimer(() => {
        timer = undefined;
        kick();
      }, options.maxWaitMs);
    }
  }

  return {
    add(items) {
      if (failure) return Promise.reject(failure.error);
      if (items.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        items.forEach((item, i) => waiting.push(i === items.length - 1 ? { item, done: { resolve, reject } } : { item }));
        schedule();
      });
    },
    room(limit) {
      if (failure) return Promise.reject(failure.error);
      if (waiting.length + inFlight <= limit) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        roomWaiters.push({ limit, done: { resolve, reject } });
        schedule();
      });
    },
    async flushNow() {
      urgent = true;
      kick();
      await chain;
    },
    get pending() {
      return waiting.length + inFlight;
    },
  };
}
