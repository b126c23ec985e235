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
 * no longer exists after the first change. An event for the file's own name, or for a name
 * starting with `..` (the ConfigMap's `..data`, `..data_tmp` and timestamped folders), schedules
 * a check; the file is reloaded only when its bytes changed since the last load. Events for other
 * names are ignored: a log written beside the config would otherwise restart the debounce on
 * every line, and a changed config would never be checked while the log kept growing.
 *
 * The file is read, parsed and checked by `options.loader` — by default on a worker thread
 * (loader.ts), so a reload costs the proxy's thread only the swap; the thread loads the file
 * once at creation, so its code is compiled before the first real reload.
 *
 * Before traffic, `ready` also rehearses the swap on a scratch runtime (its own pools, metrics
 * and a silent logger; nothing of it serves). The first real swaps otherwise changed object
 * shapes the hot request path had been optimised for — a config that came back from the thread
 * is built by structured clone, so its objects have other hidden classes than the one loaded at
 * start, and a counter's first repeated `inc` turns a field mutable — and V8 threw away the
 * optimised code of ~15 request-path functions (route matching, forwarding, header copying,
 * comparing) at the first and second reload under load (`--trace-generalization`,
 * `--trace-deopt`). Rehearsed, the shapes have changed before anything is hot.
 */
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { isFicusError, silentLogger, type Env, type Logger } from '../../core/index.js';
import { GatewayRuntime } from '../runtime.js';
import { GatewayMetrics } from '../stats/metrics.js';
import type { GatewayConfig } from './load.js';
import { threadLoader, type ConfigLoader } from './loader.js';

export interface Reloader {
  /** Reloads now; resolves true when the new config is serving. */
  reload(why: string): Promise<boolean>;
  /** Watches the file (debounced) until `close()`. */
  watch(debounceMs?: number): void;
  /** Settles when the loader's warm-up loads and the rehearsed swaps have run (await it before taking traffic). */
  readonly ready: Promise<void>;
  close(): void;
}

export interface ReloaderOptions {
  /** Reads, parses and checks the file; default: threadLoader(logger). Closed with the reloader. */
  readonly loader?: ConfigLoader;
  /** Loads run before traffic to warm the loader's code (default 50; 0 = none). */
  readonly warmLoads?: number;
  /** Swaps rehearsed on a scratch runtime before traffic (default 3; 0 = none; needs a warm load). */
  readonly warmSwaps?: number;
}

const WARM_LOADS = 50;
const WARM_SWAPS = 3;

/** Swaps a loaded config into a runtime: what every successful reload does after loading. */
function swapIn(runtime: GatewayRuntime, next: GatewayConfig, why: string, logger: Logger): void {
  const before = runtime.snapshot.config;
  if (JSON.stringify(next.listen) !== JSON.stringify(before.listen) || JSON.stringify(next.admin) !== JSON.stringify(before.admin)) {
    logger.warn({ why }, 'listen/admin settings changed: they take effect on restart');
  }
  runtime.reload(next);
  runtime.metrics.reloads.inc({ result: 'ok' });
  logger.info({ why, routes: next.routes.length }, 'config reloaded');
}

/**
 * Rehearses `swaps` reloads on a scratch runtime built from the running config, alternating it
 * with `loaded` (a config as the loader returns it), then closes the scratch runtime's pools
 * (never connected). Object shapes are shared by every runtime, so the real one's first swaps
 * change none the request path depends on.
 */
async function rehearseSwaps(running: GatewayConfig, loaded: GatewayConfig, swaps: number): Promise<void> {
  const quiet = silentLogger();
  const scratch = new GatewayRuntime(running, { logger: quiet, metrics: new GatewayMetrics(false) });
  try {
    for (let i = 0; i < swaps; i++) swapIn(scratch, i % 2 === 0 ? loaded : running, 'rehearsal', quiet);
  } finally {
    await scratch.close();
  }
}

export function createReloader(runtime: GatewayRuntime, file: string, env: Env, logger: Logger, options: ReloaderOptions = {}): Reloader {
  const loader = options.loader ?? threadLoader(logger);
  // Warms the loader before traffic; the results are not used. One load a reload never gets the
  // YAML parser and the checks hot: V8 kept optimising them a few at a time over the first dozens of
  // reloads, on the same core as the proxy (measured under paced load, per thread from /proc: V8's
  // compiler threads +11–16 ms per reload with one warm-up load, ~6 with 50). Callers await it
  // before listening, when the core is idle (~130 ms at start); it stops at the first failed load.
  const warmLoads = options.warmLoads ?? WARM_LOADS;
  const warmSwaps = options.warmSwaps ?? WARM_SWAPS;
  const ready = (async () => {
    let loaded: GatewayConfig | undefined;
    for (let i = 0; i < warmLoads; i++) loaded = await loader.load(file, env);
    if (loaded !== undefined && warmSwaps > 0) await rehearseSwaps(runtime.snapshot.config, loaded, warmSwaps);
  })().then(
    () => undefined,
    () => undefined,
  );
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<boolean> = Promise.resolve(true);
  let loadedDigest: string | undefined;
  /** The file's bytes and their digest; undefined when it cannot be read (the loader then says why). */
  const read = async (): Promise<{ bytes: Buffer; digest: string } | undefined> => {
    try {
      const bytes = await readFile(file);
      return { bytes, digest: createHash('sha256').update(bytes).digest('hex') };
    } catch {
      return undefined;
    }
  };
  const digest = async (): Promise<string | undefined> => (await read())?.digest;
  void digest().then((d) => (loadedDigest ??= d));
  const once = async (why: string): Promise<boolean> => {
    try {
      // Read once: the digest and the config come from the same bytes, so an edit landing between
      // two reads cannot leave a digest that does not match what is serving.
      const content = await read();
      loadedDigest = content?.digest;
      swapIn(runtime, await loader.load(file, env, content?.bytes.toString('utf8')), why, logger);
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
      watcher = watch(dirname(file), (_event, name) => {
        if (!concernsConfig(name, file)) return;
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

/** Whether a watch event in the config's folder may have changed the config (an unknown name may). */
function concernsConfig(name: string | Buffer | null, file: string): boolean {
  if (name === null) return true;
  const n = name.toString();
  return n === basename(file) || n.startsWith('..');
}
