/**
 * The shadow dispatcher: takes answered exchanges from the proxy handler and, off the hot
 * path, sends the copy to the other side, compares the two answers and records a DiffRecord
 * when they differ. Bounded: at most `inFlight` shadow calls at once — more are dropped and
 * counted, never queued behind the primary. A sampled share is also sent a second time to
 * the primary side, and the differences between those two identical calls teach the noise
 * model (after Twitter's Diffy). Every comparison, same or not, is also tallied per route and
 * minute (the diff rate's denominator: records are kept only for responses that differ). The
 * comparer and noise model are per route and rebuilt when a reload changes the route's compare
 * rules.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { Logger } from '../../core/index.js';
import type { RouteConfig } from '../config/schema.js';
import type { ComparisonOutcome, DiffRecord, Difference, RecordedResponse, Target } from '../model.js';
import { shadowUpstreamName, type Exchange, type ShadowSink } from '../proxy/handler.js';
import type { Upstream } from '../proxy/upstreams.js';
import type { GatewayRuntime } from '../runtime.js';
import { createComparer, type Comparer } from './compare.js';
import { NoiseModel } from './noise.js';
import { createRedactor, type Redactor } from './redact.js';
import { redactQuery } from './redact-url.js';

const CIRCUIT_OPEN = 'CIRCUIT_OPEN';

export interface DiffSink {
  offer(record: DiffRecord): void;
  /** Counts one comparison per route and minute (the diff writer's tallies); cheap, never throws. */
  tally?(route: string, outcome: ComparisonOutcome, at: Date): void;
}

export interface DispatcherOptions {
  readonly runtime: GatewayRuntime;
  readonly diffs: DiffSink;
  readonly logger: Logger;
  readonly random?: () => number;
  readonly now?: () => Date;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer | null;
  readonly ms: number;
  readonly error?: string;
}

/** Time-ordered ids: 12 hex digits of milliseconds, then the dispatcher's counter and randomness. */
export function recordId(now: Date, seq: number, random: () => number): string {
  return `${now.getTime().toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${Math.floor(random() * 0xffffff).toString(16).padStart(6, '0')}`;
}

export class ShadowDispatcher implements ShadowSink {
  private inFlight = 0;
  private seq = 0;
  private readonly comparers = new Map<string, { key: string; comparer: Comparer; redactor: Redactor }>();
  private readonly byConfig = new WeakMap<RouteConfig, { comparer: Comparer; redactor: Redactor }>();
  readonly noise = new Map<string, NoiseModel>();
  private readonly random: () => number;
  private readonly now: () => Date;

  constructor(private readonly o: DispatcherOptions) {
    this.random = o.random ?? Math.random;
    this.now = o.now ?? (() => new Date());
  }

  get pending(): number {
    return this.inFlight;
  }

  skip(route: string, reason: 'body-too-large'): void {
    this.o.runtime.stats.shadow(route, 'dropped');
    this.o.runtime.metrics.shadowDropped.inc({ route, reason });
  }

  /** The route's comparer and redactor, rebuilt when a reload changed its rules (the config check already compiled them once). */
  private rulesFor(route: RouteConfig): { comparer: Comparer; redactor: Redactor } {
    // Route configs are frozen per loaded config: the same object means the same rules.
    const known = this.byConfig.get(route);
    if (known) return known;
    const rules = this.rulesByKey(route);
    this.byConfig.set(route, rules);
    return rules;
  }

  private rulesByKey(route: RouteConfig): { comparer: Comparer; redactor: Redactor } {
    const key = JSON.stringify([route.shadow?.compare ?? {}, route.shadow?.redact ?? []]);
    const hit = this.comparers.get(route.id);
    if (hit && hit.key === key) return hit;
    const compare = route.shadow?.compare ?? { ignore: [], unorderedArrays: [], numericTolerance: 0, headers: ['content-type'] };
    const rules = { key, comparer: createComparer(compare), redactor: createRedactor(route.shadow?.redact ?? []) };
    this.comparers.set(route.id, rules);
    return rules;
  }

  noiseFor(route: string): NoiseModel {
    let m = this.noise.get(route);
    if (!m) this.noise.set(route, (m = new NoiseModel()));
    return m;
  }

  accepting(route: string, limit: number): boolean {
    if (this.inFlight < limit) return true;
    this.o.runtime.stats.shadow(route, 'dropped');
    this.o.runtime.metrics.shadowDropped.inc({ route, reason: 'queue-full' });
    return false;
  }

  submit(ex: Exchange): void {
    const limit = ex.snapshot.config.limits.shadowInFlight;
    if (this.inFlight >= limit) {
      this.o.runtime.stats.shadow(ex.route.id, 'dropped');
      this.o.runtime.metrics.shadowDropped.inc({ route: ex.route.id, reason: 'queue-full' });
      return;
    }
    this.inFlight++;
    // Next turn of the event loop: the primary's bookkeeping finishes first.
    setImmediate(() => {
      this.run(ex)
        .catch((err: unknown) => {
          this.o.runtime.metrics.shadowDropped.inc({ route: ex.route.id, reason: 'error' });
          this.o.logger.warn({ route: ex.route.id, err: err instanceof Error ? err.message : String(err) }, 'shadow comparison failed');
        })
        .finally(() => this.inFlight--);
    });
  }

  /** One call to a side, its body kept up to `cap` (undici `stream` into a collecting sink: no Readable per call). */
  private async call(up: Upstream, ex: Exchange, timeoutMs: number, cap: number): Promise<Answer> {
    // The upstream's circuit breaker guards shadow calls too: a side that is down is not dialled
    // (and not recorded) for every request until the breaker lets a probe through again.
    if (!up.breaker.allow()) return { status: 0, headers: {}, body: null, ms: 0, error: CIRCUIT_OPEN };
    const t0 = performance.now();
    let status = 0;
    let headers: Answer['headers'] = {};
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      await up.pool.stream(
        {
          path: up.basePath + ex.url,
          method: ex.method as 'GET',
          headers: up.hostRewrite ? { ...ex.headers, host: up.host } : ex.headers,
          body: ex.body.length > 0 ? ex.body : null,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          opaque: null,
        },
        (data) => {
          status = data.statusCode;
          headers = data.headers;
          return new Writable({
            write(chunk: Buffer, _enc, cb) {
              size += chunk.length;
              if (size <= cap) chunks.push(chunk);
              cb();
            },
          });
        },
      );
      // Any answer counts as the side being up: a 5xx from a shadow is a difference to record.
      up.breaker.success();
      return { status, headers, body: size > cap ? null : Buffer.concat(chunks, size), ms: performance.now() - t0 };
    } catch (err) {
      up.breaker.failure();
      const e = err as { code?: string; message?: string };
      return { status: 0, headers: {}, body: null, ms: performance.now() - t0, error: e.code ?? e.message ?? String(err) };
    }
  }

  private async run(ex: Exchange): Promise<void> {
    const route = ex.route;
    const cfg = route.shadow;
    const cap = cfg?.maxBodyBytes ?? 1_048_576;
    const timeoutMs = cfg?.timeoutMs ?? 2_000;
    const shadowUp = ex.snapshot.upstreams.get(shadowUpstreamName(route, ex.shadow, ex.snapshot))!;
    const primaryUp = ex.primary.target === 'service' ? ex.snapshot.upstreams.get(route.service)! : ex.snapshot.monolith;
    const secondary = (cfg?.secondarySample ?? 0) > 0 && this.random() * 100 < (cfg?.secondarySample ?? 0) && ex.method === 'GET';
    const [shadowAnswer, secondAnswer] = await Promise.all([this.call(shadowUp, ex, timeoutMs, cap), secondary ? this.call(primaryUp, ex, timeoutMs, cap) : Promise.resolve(null)]);
    const p = ex.primary.result;
    const primary: Answer = { status: p.status, headers: p.headers, body: p.body, ms: p.ms, ...(p.error !== undefined && { error: p.error }) };
    const { comparer, redactor } = this.rulesFor(route);
    const noise = this.noiseFor(route.id);
    if (secondAnswer !== null && secondAnswer.error === undefined) noise.observeSecondary(comparer.compare(primary, secondAnswer));
    if (shadowAnswer.error === CIRCUIT_OPEN) {
      this.o.runtime.stats.shadow(route.id, 'dropped', ex.window);
      this.o.runtime.metrics.shadowDropped.inc({ route: route.id, reason: 'circuit-open' });
      return;
    }
    let differences: Difference[];
    if (shadowAnswer.error !== undefined) {
      this.o.runtime.metrics.shadowDropped.inc({ route: route.id, reason: shadowAnswer.error.includes('TIMEOUT') ? 'timeout' : 'error' });
      differences = [{ path: 'status', kind: 'error', primary: primary.status, shadow: shadowAnswer.error }];
      noise.observe(differences, false);
    } else {
      differences = comparer.compare(primary, shadowAnswer);
      noise.observe(differences, true);
    }
    const isNoise = differences.length > 0 && noise.isNoise(differences);
    const outcome = differences.length === 0 ? 'same' : isNoise ? 'noise' : 'different';
    const now = this.now();
    this.o.runtime.stats.shadow(route.id, outcome, ex.window);
    this.o.runtime.metrics.shadow.inc({ route: route.id, result: outcome });
    this.o.diffs.tally?.(route.id, outcome, now);
    if (differences.length === 0) return;
    const response = (target: Target, a: Answer): RecordedResponse => ({
      target,
      status: a.status,
      headers: redactor.headers(a.headers),
      body: redactor.body(a.body, headerString(a.headers['content-type']), cap),
      ms: Math.round(a.ms * 10) / 10,
      ...(a.error !== undefined && { error: a.error }),
    });
    this.o.diffs.offer({
      id: recordId(now, (this.seq = (this.seq + 1) % 0x10000), this.random),
      at: now.toISOString(),
      route: route.id,
      request: {
        method: ex.method,
        url: redactQuery(ex.url),
        headers: redactor.headers(ex.headers),
        body: redactor.body(ex.body.length > 0 ? ex.body : null, headerString(ex.headers['content-type']), cap),
      },
      primary: response(ex.primary.target, primary),
      shadow: response(ex.shadow, shadowAnswer),
      differences: redactor.differences(differences),
      noise: isNoise,
    });
  }
}

function headerString(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
