// The config loader's worker thread (the compiled one, as `ficus gateway` runs it): a reload's
// config comes back equal to an in-process load and frozen, errors come back as the same
// FicusError, the thread runs at nice 19 on Linux, a thread that dies loses no load, and a real
// gateway reloads through it.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode, createLogger, isFicusError } from '../../core/index.js';
import { buildGateway, createReloader, inProcessLoader, loadGatewayConfig, threadLoader, type Gateway } from '../../gateway/index.js';
import { REPO_ROOT } from '../harness/index.js';
import { startUpstream, type TestUpstream } from './upstream.js';

const SCRIPT = pathToFileURL(join(REPO_ROOT, 'dist', 'gateway', 'config', 'loader-thread.js'));
const silent = createLogger({ level: 'silent' });

function isDeepFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(isDeepFrozen);
}

describe('config loader thread', () => {
  let mono: TestUpstream;
  let svc: TestUpstream;
  let dir: string;
  const config = (mode: string) => `
upstreams:
  monolith: { url: ${mono.url} }
  svc: { url: \${SVC_URL} }
routes:
  - { id: x, match: { path: /x }, service: svc, mode: ${mode}, shadow: { compare: { ignore: [$.at] } } }
diffs: { store: none }
`;

  beforeAll(async () => {
    expect(existsSync(SCRIPT), 'run `npm run build` first (npm ci does)').toBe(true);
    mono = await startUpstream();
    svc = await startUpstream();
    dir = await mkdtemp(join(tmpdir(), 'ficus-loader-'));
  });

  afterAll(async () => {
    await mono?.close();
    await svc?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('loads a config equal to an in-process load, frozen, from a thread at nice 19', async () => {
    const file = join(dir, 'a.yaml');
    await writeFile(file, config('shadow'));
    const env = { SVC_URL: svc.url };
    const loader = threadLoader(silent, { script: SCRIPT });
    try {
      const thread = await loader.ready;
      expect(thread).not.toBeNull();
      const loaded = await loader.load(file, env);
      expect(loaded).toEqual(await inProcessLoader.load(file, env));
      expect(loaded.upstreams.svc?.url).toBe(svc.url);
      expect(isDeepFrozen(loaded)).toBe(true);
      if (process.platform === 'linux') {
        expect(thread!.niced).toBe(true);
        // /proc/<pid>/task/<tid>/stat: after "(comm)", nice is the 17th field.
        const stat = readFileSync(`/proc/self/task/${thread!.tid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        expect(Number(fields[16])).toBe(19);
        // With util-linux's chrt (Debian has it), the policy (the 39th field after comm) is SCHED_IDLE (5).
        if (thread!.idle) expect(Number(fields[38])).toBe(5);
      }
    } finally {
      await loader.close();
    }
  });

  it('gives back a refused config as the same FicusError an in-process load raises', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, config('sideways'));
    const loader = threadLoader(silent, { script: SCRIPT });
    try {
      const [fromThread, inProcess] = await Promise.all([
        loader.load(file, { SVC_URL: svc.url }).catch((e: unknown) => e),
        inProcessLoader.load(file, { SVC_URL: svc.url }).catch((e: unknown) => e),
      ]);
      expect(isFicusError(fromThread)).toBe(true);
      expect(fromThread).toMatchObject({ code: CoreErrorCode.CONFIG_INVALID, exitCode: 2, message: (inProcess as Error).message });
      expect((fromThread as Error).message).toContain(`${file}:6:`);
    } finally {
      await loader.close();
    }
  });

  it('loses no load when the thread dies: unanswered loads run in process', async () => {
    const file = join(dir, 'c.yaml');
    await writeFile(file, config('monolith'));
    const dying = join(dir, 'dying.mjs');
    await writeFile(dying, "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));");
    const loader = threadLoader(silent, { script: pathToFileURL(dying) });
    try {
      const loaded = await loader.load(file, { SVC_URL: svc.url });
      expect(loaded.routes[0]?.mode).toBe('monolith');
      expect(await loader.ready).toBeNull();
    } finally {
      await loader.close();
    }
  });

  /** A thread script that never answers a load (as a SCHED_IDLE thread on a saturated core); `ready`: it reports itself up first. */
  async function muteThread(name: string, ready: boolean): Promise<URL> {
    const file = join(dir, name);
    const hello = ready ? 'parentPort.postMessage({ ready: true, niced: false, idle: false }); ' : '';
    await writeFile(file, `import { parentPort } from 'node:worker_threads'; ${hello}parentPort.on('message', () => undefined);`);
    return pathToFileURL(file);
  }

  /** A logger whose lines land in the returned array. */
  function capturing(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
    const lines: string[] = [];
    return { logger: createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } }), lines };
  }

  it('runs a load in process when the thread has not answered by the deadline, and later ones at once while it stays silent', async () => {
    const file = join(dir, 'd.yaml');
    await writeFile(file, config('canary'));
    const { logger, lines } = capturing();
    const loader = threadLoader(logger, { script: await muteThread('mute.mjs', true), deadlineMs: 300 });
    try {
      expect(await loader.ready).not.toBeNull();
      const t0 = performance.now();
      const loaded = await loader.load(file, { SVC_URL: svc.url });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
      expect(loaded).toEqual(await inProcessLoader.load(file, { SVC_URL: svc.url }));
      expect(lines.filter((l) => l.includes('has not answered'))).toHaveLength(1);
      // The thread still owes its answer: the next load does not wait out another deadline.
      await writeFile(file, config('service'));
      const t1 = performance.now();
      expect((await loader.load(file, { SVC_URL: svc.url })).routes[0]?.mode).toBe('service');
      expect(performance.now() - t1).toBeLessThan(290);
      expect(lines.filter((l) => l.includes('has not answered'))).toHaveLength(1);
    } finally {
      await loader.close();
    }
  });

  it('closes quietly with a load still unanswered: nothing is re-run or reported as a lost thread', async () => {
    const file = join(dir, 'e.yaml');
    await writeFile(file, config('monolith'));
    const { logger, lines } = capturing();
    const loader = threadLoader(logger, { script: await muteThread('mute2.mjs', false), deadlineMs: 60_000 });
    let settled = false;
    loader.load(file, { SVC_URL: svc.url }).then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 50));
    await loader.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    expect(lines.filter((l) => l.includes('gone'))).toEqual([]);
  });

  it('reloads a running gateway through the thread, and refuses a bad file while the old config serves', async () => {
    const file = join(dir, 'gw.yaml');
    const env = { SVC_URL: svc.url };
    await writeFile(file, config('monolith'));
    const gw: Gateway = await buildGateway({ config: await loadGatewayConfig(file, env), logger: silent });
    const reloader = createReloader(gw.runtime, file, env, silent, { loader: threadLoader(silent, { script: SCRIPT }) });
    try {
      await writeFile(file, config('service'));
      expect(await reloader.reload('test')).toBe(true);
      expect(gw.runtime.snapshot.config.routes[0]?.mode).toBe('service');
      await writeFile(file, config('sideways'));
      expect(await reloader.reload('test')).toBe(false);
      expect(gw.runtime.lastReloadError).toContain(file);
      expect(gw.runtime.snapshot.config.routes[0]?.mode).toBe('service');
    } finally {
      reloader.close();
      await gw.close(100);
    }
  });
});
