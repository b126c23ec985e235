/**
 * The traffic run's result: counts that add up (planned = sent + dropped; sent = ok + 4xx +
 * 5xx + errors), the achieved rate and latency percentiles, and its one-line rendering.
 */
export interface TrafficSummary {
  /** Requests whose slot came up (sent or dropped). */
  planned: number;
  sent: number;
  /** 2xx and 3xx responses. */
  ok: number;
  http4xx: number;
  http5xx: number;
  /** No HTTP response: connection refused, reset, timed out. */
  errors: number;
  /** Slots skipped because `concurrency` requests were already in flight. */
  dropped: number;
  /** Requests started per second over the sending window. */
  achievedRate: number;
  /** From the first slot until the last response. */
  elapsedMs: number;
  /** Over requests that got a response; 0 when none did. */
  p50Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..1). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

export function summarize(
  counts: Omit<TrafficSummary, 'p50Ms' | 'p99Ms' | 'achievedRate'>,
  latencies: number[],
  sendWindowMs: number,
): TrafficSummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ...counts,
    achievedRate: sendWindowMs > 0 ? round((counts.sent * 1000) / sendWindowMs, 2) : 0,
    elapsedMs: Math.round(counts.elapsedMs),
    p50Ms: round(percentile(sorted, 0.5), 2),
    p99Ms: round(percentile(sorted, 0.99), 2),
  };
}

/** `sent=1500 ok=1380 4xx=112 5xx=0 errors=0 dropped=8 rate=49.7/s p50=2.1ms p99=18.4ms` */
export function formatSummary(s: TrafficSummary): string {
  return (
    `sent=${s.sent} ok=${s.ok} 4xx=${s.http4xx} 5xx=${s.http5xx} errors=${s.errors} dropped=${s.dropped} ` +
    `rate=${s.achievedRate}/s p50=${s.p50Ms}ms p99=${s.p99Ms}ms`
  );
}
