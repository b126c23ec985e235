/**
 * Rate limiting for replay by even spacing: with a rate of R requests a second, the n-th call
 * to `wait()` resolves no earlier than n/R seconds after the first — no bursts, so a target
 * under test sees the steady load it was promised. The clock is injected for tests.
 */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Pacer {
  /** Resolves when the next request may start. */
  wait(): Promise<void>;
}

/** A pacer for `rate` requests per second; undefined or 0: no limit. */
export function createPacer(rate: number | undefined, clock: Clock = realClock): Pacer {
  if (rate === undefined || rate <= 0) return { wait: () => Promise.resolve() };
  const gap = 1000 / rate;
  let next = Number.NEGATIVE_INFINITY;
  return {
    async wait() {
      const now = clock.now();
      const at = Math.max(now, next);
      next = at + gap;
      if (at > now) await clock.sleep(at - now);
    },
  };
}
