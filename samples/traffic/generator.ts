/**
 * Replays a request mix against a base URL at a fixed rate with open-model pacing: slot i
 * starts at t0 + i/rate whether or not earlier requests have finished (so a slow server sees
 * the load a real crowd would give it, not a politely waiting client), bounded by
 * `concurrency` in-flight requests; a slot that finds the bound reached is dropped and counted.
 * The plan is deterministic for a seed (dropped slots still consume their place); only ids the
 * server assigns to products created during the run are filled in at send time.
 *
 * @example
 *   const summary = await runTraffic({ base: 'http://127.0.0.1:8080', rate: 50, durationMs: 30_000 });
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { CREATED_ID, createPlanner, type MixName, type PlannedRequest } from './mix.js';
import { summarize, type TrafficSummary } from './summary.js';

export type { TrafficSummary } from './summary.js';

export interface TrafficOptions {
  /** Where to send, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  base: string;
  /** Requests per second, > 0. */
  rate: number;
  durationMs: number;
  mix?: MixName;
  seed?: number;
  /** Most requests in flight at once; default 16. */
  concurrency?: number;
  /** Per-request timeout; default 10 s. A timeout counts as an error. */
  timeoutMs?: number;
  customers?: number;
  /** Makes created skus unique; default derived from the seed and the start time. */
  runTag?: string;
  /** Stops scheduling new requests; in-flight ones finish and the summary covers what ran. */
  signal?: AbortSignal;
  /** Called as each request is started (after placeholders are filled in). */
  onSend?: (req: PlannedRequest) => void;
}

/** An id no seeded or created product has, for update/delete whose create did not succeed. */
const MISSING_ID = 2_000_000_000;

function validate(opts: TrafficOptions): void {
  if (!(opts.rate > 0) || !Number.isFinite(opts.rate))
    throw new RangeError(`rate must be a positive number, got ${opts.rate}`);
  if (!(opts.durationMs > 0)) throw new RangeError(`durationMs must be positive, got ${opts.durationMs}`);
  const c = opts.concurrency ?? 16;
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`concurrency must be a positive integer, got ${c}`);
  const url = new URL(opts.base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`base must be an http(s) URL, got ${opts.base}`);
}

export async function runTraffic(opts: TrafficOptions): Promise<TrafficSummary> {
  validate(opts);
  const seed = opts.seed ?? 1;
  const concurrency = opts.concurrency ?? 16;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const base = opts.base.replace(/\/+$/, '');
  const nextPlanned = createPlanner(seed, {
    mix: opts.mix ?? 'catalog',
    customers: opts.customers ?? 50,
    runTag: opts.runTag ?? `${seed.toString(36)}${Date.now().toString(36)}`,
  });
  const agent = new Agent({
    connections: concurrency,
    keepAliveTimeout: 10_000,
  });
  const createdIds = new Map<string, number>();
  const latencies: number[] = [];
  const counts = {
    planned: 0,
    sent: 0,
    ok: 0,
    http4xx: 0,
    http5xx: 0,
    errors: 0,
    dropped: 0,
    elapsedMs: 0,
  };
  const inFlight = new Set<Promise<void>>();

  async function send(planned: PlannedRequest): Promise<void> {
    let path = planned.path;
    if (planned.createdSku !== undefined) {
      path = path.replace(CREATED_ID, String(createdIds.get(planned.createdSku) ?? MISSING_ID));
    }
    const ready: PlannedRequest = { ...planned, path };
    opts.onSend?.(ready);
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'ficus-traffic/0.1',
      'x-user-id': String(planned.userId),
      'x-traffic-seq': String(planned.seq),
    };
    if (planned.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    try {
      const res = await request(`${base}${path}`, {
        method: planned.method,
        headers,
        body: planned.body === undefined ? undefined : JSON.stringify(planned.body),
        dispatcher: agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (planned.kind === 'createProduct' && res.statusCode === 201) {
        const created = (await res.body.json()) as { id?: unknown };
        const sku = planned.body?.sku;
        if (typeof created.id === 'number' && typeof sku === 'string') createdIds.set(sku, created.id);
      } else {
        await res.body.dump();
      }
      latencies.push(performance.now() - started);
      if (res.statusCode >= 200 && res.statusCode < 400) counts.ok += 1;
      else if (res.statusCode >= 400 && res.statusCode < 500) counts.http4xx += 1;
      else if (res.statusCode >= 500) counts.http5xx += 1;
      else counts.errors += 1;
    } catch {
      counts.errors += 1;
    }
  }

  const total = Math.max(1, Math.round((opts.rate * opts.durationMs) / 1000));
  const intervalMs = 1000 / opts.rate;
  const t0 = performance.now();
  let lastSlotAt = t0;

  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', finish);
      resolve();
    };
    const tick = (): void => {
      timer = undefined;
      if (opts.signal?.aborted === true) return finish();
      const now = performance.now();
      // Catch up on every slot that is due: late slots start now, they are not skipped.
      while (counts.planned < total && t0 + counts.planned * intervalMs <= now) {
        const planned = nextPlanned();
        counts.planned += 1;
        lastSlotAt = now;
        if (inFlight.size >= concurrency) {
          counts.dropped += 1;
          continue;
        }
        counts.sent += 1;
        const p: Promise<void> = send(planned).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      if (counts.planned >= total) return finish();
      timer = setTimeout(tick, Math.max(0, t0 + counts.planned * intervalMs - performance.now()));
    };
    opts.signal?.addEventListener('abort', finish, { once: true });
    tick();
  });

  const sendWindowMs = opts.signal?.aborted === true ? performance.now() - t0 : lastSlotAt - t0 + intervalMs;
  while (inFlight.size > 0) await Promise.all(inFlight);
  counts.elapsedMs = performance.now() - t0;
  await agent.close();
  return summarize(counts, latencies, sendWindowMs);
}
