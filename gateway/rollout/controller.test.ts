/**
 * The rollout controller over a real GatewayRuntime built from a parsed config, with the clock
 * injected and ticks driven by the test. Traffic is fed into the runtime's own stats the way
 * the proxy handler and shadow dispatcher feed them (the end-to-end test through real servers
 * is test/gateway/rollout.int.test.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FicusError, silentLogger } from '../../core/index.js';
import { parseGatewayConfig } from '../config/load.js';
import { GatewayErrorCode } from '../errors.js';
import { GatewayRuntime } from '../runtime.js';
import { RolloutController } from './controller.js';
import { compilePolicy, parseDuration, parsePercent } from './policy.js';
import { createFileStateStore, createMemoryStateStore, type RolloutStateStore } from './state.js';

const config = (mode = 'canary', extra = ', webhook: "http://127.0.0.1:9/hook"') =>
  parseGatewayConfig(`
upstreams:
  monolith: { url: "http://127.0.0.1:9" }
  catalog: { url: "http://127.0.0.1:9" }
routes:
  - id: products
    match: { path: /products }
    service: catalog
    mode: ${mode}
    shadow: { sample: 100 }
    rollout: { steps: [1, 5, 25, 100], interval: 1m, minRequests: 100, gates: { maxErrorRate: 1%, maxP99Ms: 300, maxDiffRate: 0.5% }${extra} }
  - id: orders
    match: { path: /orders }
    service: catalog
`);

class Clock {
  t = Date.parse('2026-12-01T10:00:00Z');
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

let clock: Clock;
let runtime: GatewayRuntime;
let posts: { url: string; body: { kind: string; to: number } }[];

async function controller(store: RolloutStateStore = createMemoryStateStore(), cfg = config()): Promise<RolloutController> {
  runtime = new GatewayRuntime(cfg, { logger: silentLogger(), now: clock.now });
  const c = new RolloutController({ runtime, store, logger: silentLogger(), now: clock.now, tickMs: 0, post: async (url, body) => void posts.push({ url, body: body as never }) });
  await c.start();
  return c;
}

/** n requests, a share of them answered by the service, all compared; `different` of the comparisons differ. */
function traffic(n: number, o: { serviceShare?: number; different?: number; serviceMs?: number; serviceStatus?: number } = {}): void {
  const serviceN = Math.round(n * (o.serviceShare ?? 0.1));
  for (let i = 0; i < n; i++) {
    const service = i < serviceN;
    runtime.stats.request('products', service ? 'service' : 'monolith', service ? (o.serviceStatus ?? 200) : 200, service ? (o.serviceMs ?? 20) : 15);
    runtime.stats.shadow('products', i < (o.different ?? 0) ? 'different' : 'same');
  }
}

const weight = () => runtime.settings(runtime.route('products')!).weight;
const mode = () => runtime.settings(runtime.route('products')!).mode;

beforeEach(() => {
  clock = new Clock();
  posts = [];
});

describe('policy', () => {
  it('parses durations and percentages', () => {
    expect([parseDuration('500ms'), parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration(250)]).toEqual([500, 30_000, 300_000, 3_600_000, 250]);
    expect([parsePercent('1%'), parsePercent('0.5%'), parsePercent(2)]).toEqual([0.01, 0.005, 0.02]);
    expect(compilePolicy({ steps: [1, 100], interval: '5m', minRequests: 200, gates: { maxDiffRate: '0.5%' } })).toMatchObject({ intervalMs: 300_000, gates: { maxDiffRate: 0.005 } });
  });

  it('refuses steps that do not go up, a diff gate without shadowing, and a rollout on a service-mode route', () => {
    const bad = (route: string) => {
      try {
        parseGatewayConfig(`upstreams:\n  monolith: { url: "http://127.0.0.1:9" }\n  s: { url: "http://127.0.0.1:9" }\nroutes:\n  - { id: r, match: { path: /r }, service: s, ${route} }\n`);
      } catch (err) {
        return (err as FicusError).code;
      }
      return 'accepted';
    };
    expect(bad('mode: canary, rollout: { steps: [5, 1] }')).toBe('CORE_CONFIG_INVALID');
    expect(bad('mode: canary, rollout: { steps: [1, 5], gates: { maxDiffRate: 1% } }')).toBe('CORE_CONFIG_INVALID');
    expect(bad('mode: service, rollout: { steps: [1, 5] }')).toBe('CORE_CONFIG_INVALID');
    expect(bad('mode: canary, rollout: { steps: [1, 5], interval: 5 minutes }')).toBe('CORE_CONFIG_INVALID');
    expect(bad('mode: canary, shadow: {}, rollout: { steps: [1, 5], interval: 5m, gates: { maxDiffRate: 1% } }')).toBe('accepted');
  });
});

describe('RolloutController', () => {
  it('starts a canary route at the first step and steps up only after a whole interval with enough traffic and every gate holding', async () => {
    const c = await controller();
    expect([mode(), weight()]).toEqual(['canary', 1]);
    traffic(50);
    clock.advance(61_000);
    c.tick();
    expect(weight()).toBe(1); // 50 < minRequests: wait
    traffic(60);
    c.tick();
    expect(weight()).toBe(5);
    expect(c.view('products')).toMatchObject({ phase: 'progressing', step: 1, weight: 5 });
    traffic(200);
    clock.advance(30_000);
    c.tick();
    expect(weight()).toBe(5); // the interval has not passed since the step
    clock.advance(31_000);
    c.tick();
    expect(weight()).toBe(25);
    expect(runtime.changes.filter((e) => e.by === 'rollout').map((e) => e.to.weight)).toEqual([1, 5, 25]);
    expect(posts.map((p) => [p.body.kind, p.body.to])).toEqual([['step', 5], ['step', 25]]);
  });

  it('does not count a request decided before a step in the next step’s window', async () => {
    const c = await controller();
    const before = runtime.stats.currentWindow('products');
    traffic(120);
    clock.advance(61_000);
    c.tick();
    expect(weight()).toBe(5);
    // The answer and the comparison of a request decided at 1 % arrive after the step.
    runtime.stats.request('products', 'service', 500, 10, before);
    runtime.stats.shadow('products', 'different', before);
    expect(runtime.stats.window('products')).toMatchObject({ requests: 0, compared: 0, different: 0, serviceErrors: 0 });
    expect(runtime.stats.snapshot('products').shadow.different).toBe(1); // still in the cumulative counters
  });

  it('waits while a gate has no samples (no service answers yet) rather than stepping blind', async () => {
    const c = await controller();
    traffic(150, { serviceShare: 0 });
    clock.advance(61_000);
    c.tick();
    expect(c.view('products')).toMatchObject({ weight: 1, last: { verdict: 'wait' } });
  });

  it('rolls back at once, mid-interval, when the diff rate goes over its gate', async () => {
    const c = await controller();
    traffic(120);
    clock.advance(61_000);
    c.tick();
    expect(weight()).toBe(5);
    traffic(120, { different: 12 });
    clock.advance(5_000);
    c.tick();
    expect([mode(), weight()]).toEqual(['monolith', 0]);
    const v = c.view('products')!;
    expect(v.phase).toBe('rolled-back');
    expect(v.last?.checks.find((x) => x.gate === 'maxDiffRate')).toMatchObject({ ok: false, value: 0.1, samples: 120 });
    expect(posts.at(-1)?.body).toMatchObject({ kind: 'rollback', to: 0 });
    expect(runtime.metrics.registry.getSingleMetric('ficus_gateway_rollout_events_total')).toBeDefined();
  });

  it('rolls back on the error-rate and p99 gates too', async () => {
    let c = await controller();
    traffic(200, { serviceShare: 0.5, serviceStatus: 503 });
    c.tick();
    expect(c.view('products')?.phase).toBe('rolled-back');
    c = await controller();
    traffic(200, { serviceShare: 0.5, serviceMs: 900 });
    c.tick();
    expect(c.view('products')?.reason).toMatch(/p99/);
  });

  it('reports the route migrated once the last step held for an interval', async () => {
    const c = await controller();
    for (let i = 0; i < 4; i++) {
      traffic(150);
      clock.advance(60_000);
      c.tick();
    }
    expect(c.view('products')).toMatchObject({ phase: 'migrated', weight: 100, migrated: true });
    expect(weight()).toBe(100);
  });

  it('pauses, resumes, promotes and aborts on an operator’s word, and refuses actions that do not apply', async () => {
    const c = await controller();
    c.act('products', 'pause', 'admin:test');
    traffic(150);
    clock.advance(61_000);
    c.tick();
    expect(weight()).toBe(1);
    c.act('products', 'resume', 'admin:test');
    expect(c.view('products')?.phase).toBe('progressing');
    c.act('products', 'promote', 'admin:test');
    expect(weight()).toBe(100);
    c.act('products', 'abort', 'admin:test', 'not today');
    expect([mode(), c.view('products')?.phase, c.view('products')?.reason]).toEqual(['monolith', 'aborted', 'not today']);
    expect(() => c.act('products', 'abort', 'x')).toThrow(FicusError);
    expect(() => c.act('orders', 'pause', 'x')).toThrow(expect.objectContaining({ code: GatewayErrorCode.ROLLOUT_ACTION }));
    c.act('products', 'resume', 'admin:test');
    expect([mode(), weight()]).toEqual(['canary', 1]);
  });

  it('pauses when an operator changes the route by hand, and aborts when it is sent back to the monolith', async () => {
    const c = await controller();
    runtime.change({ route: 'products', weight: 50, by: 'admin:127.0.0.1' });
    expect(c.view('products')).toMatchObject({ phase: 'paused', weight: 50 });
    traffic(200);
    clock.advance(120_000);
    c.tick();
    expect(weight()).toBe(50);
    runtime.rollback('admin:127.0.0.1', 'incident');
    expect(c.view('products')?.phase).toBe('aborted');
  });

  it('waits in shadow mode until resumed', async () => {
    const c = await controller(createMemoryStateStore(), config('shadow'));
    expect([mode(), c.view('products')?.phase]).toEqual(['shadow', 'waiting']);
    c.act('products', 'resume', 'admin:test');
    expect([mode(), weight()]).toEqual(['canary', 1]);
  });

  describe('state file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ficus-rollout-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('survives a restart: a new controller resumes at the saved step', async () => {
      const file = join(dir, 'state', 'rollouts.json');
      let c = await controller(createFileStateStore(file));
      for (let i = 0; i < 2; i++) {
        traffic(150);
        clock.advance(61_000);
        c.tick();
      }
      expect(weight()).toBe(25);
      await c.stop();
      expect(JSON.parse(await readFile(file, 'utf8')).routes.products).toMatchObject({ phase: 'progressing', step: 2, weight: 25 });
      c = await controller(createFileStateStore(file));
      expect([mode(), weight()]).toEqual(['canary', 25]);
      expect(c.view('products')).toMatchObject({ step: 2, phase: 'progressing' });
      await c.stop();
    });

    it('writes no file while no route has a rollout', async () => {
      const file = join(dir, 'rollouts.json');
      const cfg = parseGatewayConfig(`upstreams:\n  monolith: { url: "http://127.0.0.1:9" }\n`);
      const c = await controller(createFileStateStore(file), cfg);
      await c.stop();
      await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('refuses a state file that is not one, naming it', async () => {
      const file = join(dir, 'rollouts.json');
      await import('node:fs/promises').then((fs) => fs.writeFile(file, 'not json'));
      await expect(controller(createFileStateStore(file))).rejects.toMatchObject({ code: GatewayErrorCode.ROLLOUT_STATE });
    });
  });

  it('starts again when a reload changes the route’s steps', async () => {
    const c = await controller();
    traffic(150);
    clock.advance(61_000);
    c.tick();
    expect(weight()).toBe(5);
    runtime.reload(config('canary').routes[0]!.rollout ? parseGatewayConfig(JSON.stringify({ ...config(), routes: [{ ...config().routes[0]!, rollout: { ...config().routes[0]!.rollout!, steps: [10, 100] } }] })) : config());
    expect([weight(), c.view('products')?.steps]).toEqual([10, [10, 100]]);
  });
});
