/**
 * Hot reload: re-reads the config file on demand (SIGHUP) or when it changes on disk
 * (debounced), validates it whole, and swaps it into the running gateway. An invalid file
 * is refused — logged, counted in `ficus_gateway_config_reloads_total{result="refused"}`,
 * shown on /readyz — and the running config keeps serving. Listener and admin addresses
 * are read once at start: a change to them is reported as needing a restart.
 *
 * The watcher watches the file's folder, not the file: editors that save by renaming a new file
 * into place, and Kubernetes ConfigMap volumes (whose `..data` symlink is swapped to a new
 * folder on every update, deleting the old file), would otherwise leave a watch on a file that
 * no longer exists after the first change. Any event in the folder schedules a check; the
 * file is reloaded only when its bytes changed since the last load.
 *
 * The file is read, parsed and checked by `options.loader` — by default on a worker thread
 * (loader.ts), so a reload costs the proxy's thread only the swap; the thread loads the file
 * once at creation, so its code is compiled before the first real reload.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isFicusError, type Env, type Logger } from '../../core/index.js';
import type { GatewayRuntime } from '../runtime.js';
import { threadLoader, type ConfigLoader } from './loader.js';

export interface Reloader {
  /** Reloads now; resolves true when the new config is serving. */
  reload(why: string): Promise<boolean>;
  /** Watches the file (debounced) until `close()`. */
  watch(debounceMs?: number): void;
  /** Settles when the loader's warm-up loads have run (await it before taking traffic). */
  readonly ready: Promise<void>;
  close(): void;
}

export interface ReloaderOptions {
  /** Reads, parses and checks the file; default: threadLoader(logger). Closed with the reloader. */
  readonly loader?: ConfigLoader;
  /** Loads run before traffic to warm the loader's code (default 50; 0 = none). */
  readonly warmLoads?: number;
}

const WARM_LOADS = 50;

export function createReloader(runtime: GatewayRuntime, file: string, env: Env, logger: Logger, options: ReloaderOptions = {}): Reloader {
  const loader = options.loader ?? threadLoader(logger);
  // Warms the loader before traffic; the results are not used. One load a reload never gets the
  // YAML parser and the checks hot: V8 kept optimising them a few at a time over the first dozens of
  // reloads, on the same core as the proxy (measured under paced load, per thread from /proc: V8's
  // compiler threads +11–16 ms per reload with one warm-up load, ~6 with 50). Callers await it
  // before listening, when the core is idle (~130 ms at start); it stops at the first failed load.
  const warmLoads = options.warmLoads ?? WARM_LOADS;
  const ready = (async () => {
    for (let i = 0; i < warmLoads; i++) await loader.load(file, env);
  })().then(
    () => undefined,
    () => undefined,
  );
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<boolean> = Promise.resolve(true);
  let loadedDigest: string | undefined;
  const digest = async (): Promise<string | undefined> => {
    try {
      return createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
    } catch {
      return undefined;
    }
  };
  void digest().then((d) => (loadedDigest ??= d));
  const once = async (why: string): Promise<boolean> => {
    try {
      loadedDigest = await digest();
      const next = await loader.load(file, env);
      const before = runtime.snapshot.config;
      if (JSON.stringify(next.listen) !== JSON.stringify(before.listen) || JSON.stringify(next.admin) !== JSON.stringify(before.admin)) {
        logger.warn({ why }, 'listen/admin settings changed: they take effect on restart');
      }
      runtime.reload(next);
      runtime.metrics.reloads.inc({ result: 'ok' });
      logger.info({ why, routes: next.routes.length }, 'config reloaded');
      return true;
    } catch (err) {
      const message = isFicusError(err) ? err.message : err instanceof Error ? err.message : String(err);
      runtime.lastReloadError = message;
      runtime.metrics.reloads.inc({ result: 'refused' });
      logger.error({ why, error: message }, 'config refused; the running one keeps serving');
      return false;
    }
  };
  return {
    ready,
    // Serialised, so two quick edits cannot apply out of order.
    reload: (why) => (queue = queue.then(() => once(why))),
    watch(debounceMs = 200) {
      watcher = watch(dirname(file), () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          void digest().then((d) => {
            if (d !== undefined && d !== loadedDigest) void this.reload('file changed');
          });
        }, debounceMs);
      });
    },
    close() {
      clearTimeout(timer);
      watcher?.close();
      void loader.close();
    },
  };
}
