// Hot reload the way Kubernetes delivers a ConfigMap: the mounted file is a symlink
// `ficus.gateway.yaml → ..data/ficus.gateway.yaml`, `..data` a symlink to a timestamped folder,
// and an update writes a new folder, renames a new `..data` over the old one and deletes the old
// folder (the kubelet's atomic writer). deploy/kubernetes/README.md ("Config changes") relies on
// what this file pins down:
//   - every update is picked up by the watcher (it watches the folder: a watch on the file would
//     follow the symlinks to the first file's inode, which the first swap deletes);
//   - reload() — what SIGHUP runs — reads the swapped file every time.
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildGateway, createReloader, loadGatewayConfig, type Gateway, type Reloader } from '../../gateway/index.js';

describe('gateway reload from a Kubernetes ConfigMap volume', () => {
  let dir: string;
  let file: string;
  let generation = 0;
  let gw: Gateway;
  let reloader: Reloader;
  const logger = createLogger({ level: 'silent' });

  const config = (mode: string): string => `
upstreams:
  monolith: { url: 'http://127.0.0.1:9' }
  svc: { url: 'http://127.0.0.1:9' }
routes:
  - { id: x, match: { path: /x }, service: svc, mode: ${mode} }
diffs: { store: none }
`;
  /** Publishes `text` as the kubelet's atomic writer does. */
  const publish = async (text: string): Promise<void> => {
    generation += 1;
    const folder = `..2026_01_01_00_00_0${generation}`;
    await mkdir(join(dir, folder));
    await writeFile(join(dir, folder, 'ficus.gateway.yaml'), text);
    await symlink(folder, join(dir, '..data_tmp'));
    await rename(join(dir, '..data_tmp'), join(dir, '..data'));
    if (generation > 1) await rm(join(dir, `..2026_01_01_00_00_0${generation - 1}`), { recursive: true });
  };
  const mode = (): string | undefined => gw.runtime.snapshot.config.routes.find((r) => r.id === 'x')?.mode;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ficus-configmap-'));
    await publish(config('monolith'));
    file = join(dir, 'ficus.gateway.yaml');
    await symlink('..data/ficus.gateway.yaml', file);
    gw = await buildGateway({ config: await loadGatewayConfig(file), logger });
    reloader = createReloader(gw.runtime, file, {}, logger);
    reloader.watch(50);
  });

  afterAll(async () => {
    reloader?.close();
    await gw?.close(100);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('picks up the first ConfigMap update through the file watcher', async () => {
    expect(mode()).toBe('monolith');
    await publish(config('shadow'));
    await expect.poll(mode, { timeout: 5000, interval: 50 }).toBe('shadow');
  });

  it('picks up the second and third ConfigMap updates through the watcher too', async () => {
    await publish(config('service'));
    await expect.poll(mode, { timeout: 5000, interval: 50 }).toBe('service');
    await publish(config('shadow'));
    await expect.poll(mode, { timeout: 5000, interval: 50 }).toBe('shadow');
  });

  it('reloads the swapped file on reload() — what SIGHUP runs — every time', async () => {
    await publish(config('canary'));
    expect(await reloader.reload('SIGHUP')).toBe(true);
    expect(mode()).toBe('canary');
    await publish(config('monolith'));
    expect(await reloader.reload('SIGHUP')).toBe(true);
    expect(mode()).toBe('monolith');
  });
});
