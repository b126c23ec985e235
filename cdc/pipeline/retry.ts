/**
 * Retrying a sink apply: exponential backoff with jitter (kafkajs's formula: `initialRetryTime`
 * doubled per attempt by `multiplier`, ± `factor` random, capped at `maxRetryTime`), but only
 * while the error says `retriable: true`; any other error is returned at once. The sleep and
 * random source are injected so tests run without waiting.
 */
export interface BackoffOptions {
  readonly retries: number;
  readonly initialRetryTime: number;
  readonly maxRetryTime: number;
  readonly factor: number;
  readonly multiplier: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { retries: 10, initialRetryTime: 200, maxRetryTime: 30_000, factor: 0.2, multiplier: 2 };

export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

/** The wait before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number): number {
  const base = o.initialRetryTime * o.multiplier ** (attempt - 1);
  const jitter = 1 + o.factor * (2 * random() - 1);
  return Math.round(Math.min(o.maxRetryTime, base * jitter));
}

export interface RetryContext {
  readonly backoff: BackoffOptions;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  /** Stop retrying (e.g. the pipeline is stopping). */
  readonly giveUp: () => boolean;
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export type RetryResult<T> =
  { readonly ok: true; readonly value: T; readonly attempts: number } | { readonly ok: false; readonly error: unknown; readonly attempts: number };

export async function withRetry<T>(fn: () => Promise<T>, ctx: RetryContext): Promise<RetryResult<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await fn(), attempts: attempt };
    } catch (err) {
      if (!isRetriable(err) || attempt > ctx.backoff.retries || ctx.giveUp()) return { ok: false, error: err, attempts: attempt };
      const delay = backoffDelay(attempt, ctx.backoff, ctx.random);
      ctx.onRetry?.(err, attempt, delay);
      await ctx.sleep(delay);
    }
  }
}
