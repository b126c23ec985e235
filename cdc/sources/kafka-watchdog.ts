/**
 * Notices a Kafka consumer that stopped consuming while it should not have. A running kafkajs
 * consumer with partitions assigned fetches at least once per `maxWaitTimeInMs` (an empty fetch
 * returns after that wait), except while one of its batches is being handled. So when it has an
 * assignment, no batch is in the handler, and no fetch
 * finished for `stallMs`, it is stuck — seen in the CDC fault benchmark after the broker became
 * unreachable and came back: the process alive, heartbeating, its fetch never answered, kafkajs's
 * own crash-and-restart (every ~3 minutes) fetching nothing either (kafkajs issue #1163 describes the
 * same). The source then replaces the consumer with a new one, which
 * rejoins the group and resumes from the positions the sink stored.
 *
 * Nothing fires while a batch is in the handler: the sink may be retrying a database that is
 * down, and a new consumer would not help it.
 *
 * @example
 *   const dog = createStallWatchdog({ stallMs: 60_000, onStall: (idleMs) => void restart(idleMs) });
 *   consumer.on(consumer.events.FETCH_START, dog.activity);
 *   dog.assigned(partitionCount);  dog.begin(); … dog.end();
 */

export interface StallWatchdogOptions {
  /** Longest a consumer with partitions and nothing in flight may go without activity. */
  readonly stallMs: number;
  readonly onStall: (idleMs: number) => void;
  readonly now?: () => number;
  /** How often to look (default stallMs / 4, at least 100 ms); 0 = never on its own (tests call check()). */
  readonly checkEveryMs?: number;
}

export interface StallWatchdog {
  /** The consumer finished a fetch, or connected. Not heartbeats, not fetch starts: a stuck consumer keeps heartbeating and re-sends the hanging fetch on each retry. */
  activity(): void;
  /** The number of partitions assigned now (none: nothing to fetch, never stalled). */
  assigned(partitions: number): void;
  /** A batch entered the handler. */
  begin(): void;
  /** A batch left the handler. */
  end(): void;
  /** Looks once; true when it fired. */
  check(): boolean;
  stop(): void;
}

export function createStallWatchdog(o: StallWatchdogOptions): StallWatchdog {
  const now = o.now ?? Date.now;
  let last = now();
  let partitions = 0;
  let inFlight = 0;
  const check = (): boolean => {
    const idle = now() - last;
    if (partitions === 0 || inFlight > 0 || idle < o.stallMs) return false;
    last = now(); // the next look waits another stallMs (for the replacement to get going)
    o.onStall(idle);
    return true;
  };
  const every = o.checkEveryMs ?? Math.max(100, Math.floor(o.stallMs / 4));
  const timer = every > 0 ? setInterval(check, every) : undefined;
  timer?.unref();
  return {
    activity: () => {
      last = now();
    },
    assigned: (n) => {
      partitions = n;
      last = now();
    },
    begin: () => {
      inFlight++;
    },
    end: () => {
      inFlight--;
      last = now();
    },
    check,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
