/**
 * Prometheus metrics (prom-client) on a registry of the gateway's own (no global default
 * registry, so several gateways in one process — tests — do not collide):
 *   ficus_gateway_requests_total{route,target,code}
 *   ficus_gateway_request_duration_seconds{route,target}      histogram
 *   ficus_gateway_shadow_total{route,result}                   same | different | noise
 *   ficus_gateway_shadow_dropped_total{route,reason}           queue-full | judge-busy | body-too-large | error | timeout | circuit-open
 *   ficus_gateway_fallbacks_total{route}
 *   ficus_gateway_diff_records_dropped_total                   records the diff writer could not keep
 *   ficus_gateway_config_reloads_total{result}                 ok | refused
 *   ficus_gateway_rollout_weight{route}                        the canary weight a rollout set
 *   ficus_gateway_rollout_events_total{route,kind}             step | rollback | migrated | pause | resume | promote | abort
 *   ficus_gateway_rollout_webhook_failures_total{route}
 * plus Node process metrics.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { FastHistogram, type HistogramChild } from './fast-histogram.js';
import { LabelCounts } from './label-counts.js';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'route' | 'target' | 'code'> = new Counter({
    name: 'ficus_gateway_requests_total',
    help: 'Requests answered, by route, target and status code',
    labelNames: ['route', 'target', 'code'] as const,
    registers: [this.registry],
    collect: () => this.flushRequests(),
  });
  /** Our own histogram (fast-histogram.ts): prom-client's re-hashes the labels on every observation. */
  readonly duration = new FastHistogram({
    name: 'ficus_gateway_request_duration_seconds',
    help: 'Time to answer the client, by route and target',
    labelNames: ['route', 'target'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly shadow: Counter<'route' | 'result'> = new Counter({
    name: 'ficus_gateway_shadow_total',
    help: 'Shadow comparisons, by route and result',
    labelNames: ['route', 'result'] as const,
    registers: [this.registry],
    collect: () => this.shadowCounts.flush(),
  });
  readonly shadowDropped: Counter<'route' | 'reason'> = new Counter({
    name: 'ficus_gateway_shadow_dropped_total',
    help: 'Shadow calls not made or not compared, by route and reason',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
    collect: () => this.droppedCounts.flush(),
  });
  /** The shadow path counts here (once per shadowed request); the Counters above get the sums at scrape time. */
  private readonly shadowCounts = new LabelCounts(this.shadow, 'route', 'result');
  private readonly droppedCounts = new LabelCounts(this.shadowDropped, 'route', 'reason');
  readonly fallbacks = new Counter({
    name: 'ficus_gateway_fallbacks_total',
    help: 'Requests answered by the monolith after the service failed',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  private writerStats: () => { dropped: number; queued: number } = () => ({ dropped: 0, queued: 0 });
  readonly recordsDropped = new Gauge({
    name: 'ficus_gateway_diff_records_dropped_total',
    help: 'Diff records dropped because the store could not keep up',
    registers: [this.registry],
    collect: () => {
      this.recordsDropped.set(this.writerStats().dropped);
    },
  });
  readonly recordsQueued = new Gauge({
    name: 'ficus_gateway_diff_records_queued',
    help: 'Diff records waiting to be written',
    registers: [this.registry],
    collect: () => {
      this.recordsQueued.set(this.writerStats().queued);
    },
  });
  readonly rolloutWeight = new Gauge({
    name: 'ficus_gateway_rollout_weight',
    help: 'Canary weight (%) set by the route’s rollout',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly rolloutEvents = new Counter({
    name: 'ficus_gateway_rollout_events_total',
    help: 'Rollout steps, rollbacks, migrations and operator actions, by route and kind',
    labelNames: ['route', 'kind'] as const,
    registers: [this.registry],
  });
  readonly rolloutWebhookFailures = new Counter({
    name: 'ficus_gateway_rollout_webhook_failures_total',
    help: 'Rollout webhook calls that failed or timed out',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly reloads = new Counter({
    name: 'ficus_gateway_config_reloads_total',
    help: 'Config reloads, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Per route, target and status: requests counted since the last scrape, and the duration child. */
  private readonly children = new Map<string, { labels: { route: string; target: string; code: string }; n: number; duration: HistogramChild }>();

  /** One answered request: no label hashing on the hot path; the count reaches the Counter at scrape time. */
  record(route: string, target: string, status: number, ms: number): void {
    const key = `${route}\u0000${target}\u0000${status}`;
    let c = this.children.get(key);
    if (c === undefined) {
      if (this.children.size > 10_000) {
        this.flushRequests();
        this.children.clear();
      }
      c = { labels: { route, target, code: String(status) }, n: 0, duration: this.duration.child([route, target]) };
      this.children.set(key, c);
    }
    c.n++;
    c.duration.observe(ms / 1000);
  }

  private flushRequests(): void {
    for (const c of this.children.values()) {
      if (c.n === 0) continue;
      this.requests.inc(c.labels, c.n);
      c.n = 0;
    }
  }

  /** One shadow comparison's result (`ficus_gateway_shadow_total`): same | different | noise. */
  shadowResult(route: string, result: 'same' | 'different' | 'noise'): void {
    this.shadowCounts.inc(route, result);
  }

  /** One shadow call not made or not compared (`ficus_gateway_shadow_dropped_total`). */
  shadowDrop(route: string, reason: 'queue-full' | 'judge-busy' | 'body-too-large' | 'error' | 'timeout' | 'circuit-open'): void {
    this.droppedCounts.inc(route, reason);
  }

  /** Reads the diff writer's counters at scrape time. */
  bindWriter(stats: () => { dropped: number; queued: number }): void {
    this.writerStats = stats;
  }

  constructor(processMetrics = true) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'ficus_gateway_' });
  }
}
