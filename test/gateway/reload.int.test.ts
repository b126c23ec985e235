// Hot reload on a real gateway: a changed file takes effect, an invalid one is refused while the
// running config keeps serving (and /readyz-level state says why), admin overrides survive an
// unrelated reload, and a request in flight finishes on the decision it started with.
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, createReloader, inProcessLoader, loadGatewayConfig, type ConfigLoader, type Gateway, type Reloader } from '../../gateway/index.js';
import { echo, startUpstream, type TestUpstream } from './upstream.js';

describe('gateway hot reload', () => {
  let mono: TestUpstream;
  let svc: TestUpstream;
  let gw: Gateway;
  let reloader: Reloader;
  let dir: string;
  let file: string;
  let base: string;

  const config = (mode: string, extra = '') => `
upstreams:
  monolith: { url: ${mono.url} }
  svc: { url: ${svc.url} }
routes:
  - { id: x, match: { path: /x }, service: svc, mode: ${mode} }
  - { id: y, match: { path: /y }, service: svc, mode: monolith }
${extra}
diffs: { store: none }
`;
  const side = async (path = '/x/1') => {
    const before = svc.received.length;
    await fetch(`${base}${path}`);
    return svc.received.length > before ? 'svc' : 'monolith';
  };

  beforeAll(async () => {
    mono = await startUpstream();
    svc = await startUpstream();
    dir = await mkdtemp(join(tmpdir(), 'ficus-reload-'));
    file = join(dir, 'ficus.gateway.yaml');
    await writeFile(file, config('monolith'));
    gw = await buildGateway({ config: await loadGatewayConfig(file), logger: createLogger({ level: 'silent' }) });
    base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    reloader = createReloader(gw.runtime, file, {}, createLogger({ level: 'silent' }));
    reloader.watch(50);
  });

  afterAll(async () => {
    reloader?.close();
    await gw?.close(200);
    await mono?.close();
    await svc?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('rehearses swaps before traffic without touching the running gateway', async () => {
    gw.runtime.change({ route: 'x', mode: 'canary', weight: 30, by: 'test' });
    const snapshot = gw.runtime.snapshot;
    const changes = gw.runtime.changes.length;
    const received = mono.received.length + svc.received.length;
    let reloads = 0;
    gw.runtime.onReload(() => reloads++);
    const rehearsing = createReloader(gw.runtime, file, {}, createLogger({ level: 'silent' }), { warmLoads: 2, warmSwaps: 3 });
    await rehearsing.ready;
    rehearsing.close();
    expect(gw.runtime.snapshot).toBe(snapshot);
    expect(gw.runtime.changes).toHaveLength(changes);
    expect(gw.runtime.settings(gw.runtime.route('x')!)).toEqual({ mode: 'canary', weight: 30 });
    expect(reloads).toBe(0);
    expect(await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_config_reloads_total')).not.toMatch(/result="ok"/);
    expect(mono.received.length + svc.received.length).toBe(received);
    gw.runtime.change({ route: 'x', mode: 'monolith', by: 'test' });
  });

  it('applies a changed file without a restart', async () => {
    expect(await side()).toBe('monolith');
    await writeFile(file, config('service'));
    await expect.poll(() => side(), { timeout: 5000, interval: 50 }).toBe('svc');
  });

  it('a reload reads the file once: the loader parses the very text the change was detected in', async () => {
    const seen: (string | undefined)[] = [];
    const loader: ConfigLoader = { load: (f, env, text) => (seen.push(text), inProcessLoader.load(f, env, text)), close: async () => undefined };
    const own = createReloader(gw.runtime, file, {}, createLogger({ level: 'silent' }), { loader, warmLoads: 0 });
    try {
      const text = config('shadow', '# read once');
      await writeFile(file, text);
      expect(await own.reload('test')).toBe(true);
      expect(seen).toEqual([text]);
      expect(gw.runtime.snapshot.config.routes[0]!.mode).toBe('shadow');
    } finally {
      // The tests after this one start from the file the one before left.
      await writeFile(file, config('service'));
      await own.reload('test');
      own.close();
    }
  });

  it('a file written often beside the config does not hold a change back', async () => {
    // Appended every 10 ms, well inside the 50 ms debounce: were every event in the folder a
    // reason to wait, the changed config would not be checked until the log stopped.
    const log = join(dir, 'gateway.log');
    const writer = setInterval(() => void appendFile(log, 'a log line\n'), 10);
    try {
      expect(await side()).toBe('svc');
      await writeFile(file, config('monolith'));
      await expect.poll(() => side(), { timeout: 5000, interval: 50 }).toBe('monolith');
      await writeFile(file, config('service'));
      await expect.poll(() => side(), { timeout: 5000, interval: 50 }).toBe('svc');
    } finally {
      clearInterval(writer);
    }
  });

  it('refuses an invalid file, keeps serving the running config, and says why', async () => {
    await writeFile(file, config('service').replace('service: svc, mode: service', 'service: nowhere, mode: service'));
    expect(await reloader.reload('test')).toBe(false);
    expect(gw.runtime.lastReloadError).toMatch(/routes\[0\]\.service/);
    expect(await side()).toBe('svc');
    const refused = await gw.runtime.metrics.registry.getSingleMetricAsString('ficus_gateway_config_reloads_total');
    expect(refused).toMatch(/result="refused"\} [1-9]/);
    await writeFile(file, config('service'));
    expect(await reloader.reload('fixed')).toBe(true);
    expect(gw.runtime.lastReloadError).toBeNull();
  });

  it('keeps an admin override across a reload that does not touch the route, drops it when the file changes the route', async () => {
    gw.runtime.change({ route: 'y', mode: 'service', by: 'test' });
    expect(await side('/y/1')).toBe('svc');
    await writeFile(file, config('service', 'limits: { shadowInFlight: 8 }'));
    expect(await reloader.reload('unrelated')).toBe(true);
    expect(await side('/y/1')).toBe('svc');
    await writeFile(
      file,
      config('service').replace('id: y, match: { path: /y }, service: svc, mode: monolith', 'id: y, match: { path: /y }, service: svc, mode: shadow'),
    );
    expect(await reloader.reload('route changed')).toBe(true);
    // Shadow mode: the monolith answers, the copy reaches the service after the response.
    const before = svc.received.length;
    const answeredByMonolith = gw.runtime.stats.snapshot('y').byTarget.monolith ?? 0;
    await fetch(`${base}/y/2`);
    expect(gw.runtime.stats.snapshot('y').byTarget.monolith).toBe(answeredByMonolith + 1);
    await expect.poll(() => svc.received.length).toBeGreaterThan(before);
    expect(gw.runtime.settings(gw.runtime.route('y')!).mode).toBe('shadow'); // …but the file's mode rules again
    expect(gw.runtime.changes.at(-1)).toMatchObject({ route: 'y', by: 'config' });
  });

  it('a request in flight finishes on the decision it started with', async () => {
    await writeFile(file, config('monolith'));
    expect(await reloader.reload('back')).toBe(true);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    mono.reply = (req, res, raw) => void gate.then(() => echo(req, res, raw));
    const pending = fetch(`${base}/x/slow`).then((r) => r.json() as Promise<{ url: string }>);
    await expect.poll(() => mono.received.some((r) => r.url === '/x/slow')).toBe(true);
    await writeFile(file, config('service'));
    expect(await reloader.reload('mid-flight')).toBe(true);
    release();
    expect((await pending).url).toBe('/x/slow');
    mono.reply = echo;
    expect(await side('/x/after')).toBe('svc');
  });
});
