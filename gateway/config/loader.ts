/**
 * Where a reload reads, parses and checks the config: off the proxy's thread. Parsing even a
 * small config costs 2–4 ms of main-thread time on every reload (the YAML parser and the checks
 * run once a reload and never get hot), and every request that arrived meanwhile waits — the
 * same reason Envoy keeps config handling on its main thread, away from the workers that serve.
 * `threadLoader()` keeps one worker thread for it (loader-thread.ts, at nice 19 and SCHED_IDLE on Linux); the
 * proxy's thread only receives the plain result and freezes it.
 *
 * When the worker cannot run (its compiled file is missing, as when tests run the sources
 * directly, or the thread dies), loads run in process, as they did at start.
 *
 * @example
 *   const loader = threadLoader(logger);
 *   const config = await loader.load('ficus.gateway.yaml', process.env);
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deepFreeze, FicusError, type Env, type Logger } from '../../core/index.js';
import { loadGatewayConfig, type GatewayConfig } from './load.js';

export interface ConfigLoader {
  load(file: string, env: Env): Promise<GatewayConfig>;
  close(): Promise<void>;
}

/** @internal the thread's protocol */
export interface LoadRequest {
  readonly id: number;
  readonly file: string;
  readonly env: Env;
}

/** @internal the thread's protocol: a ready notice, a config, or an error as data */
export type LoadReply =
  | { readonly ready: true; readonly tid: number | undefined; readonly niced: boolean; readonly idle: boolean }
  | { readonly id: number; readonly config: GatewayConfig }
  | { readonly id: number; readonly error: { code?: string; message: string; exitCode?: 1 | 2; details?: Record<string, unknown> } };

export const inProcessLoader: ConfigLoader = {
  load: (file, env) => loadGatewayConfig(file, env),
  close: async () => undefined,
};

const THREAD_FILE = new URL('./loader-thread.js', import.meta.url);

export interface ThreadLoader extends ConfigLoader {
  /** Resolves when the thread is up: its kernel thread id and whether it lowered its priority; null when loads run in process. */
  readonly ready: Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>;
}

export function threadLoader(logger: Logger, script: URL = THREAD_FILE): ThreadLoader {
  if (!existsSync(fileURLToPath(script))) return { ...inProcessLoader, ready: Promise.resolve(null) };
  let worker: Worker | null = null;
  let seq = 0;
  const pending = new Map<number, { file: string; env: Env; resolve: (c: GatewayConfig) => void; reject: (e: unknown) => void }>();
  let markReady: (v: { tid: number | undefined; niced: boolean; idle: boolean } | null) => void = () => undefined;
  const ready = new Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>((r) => (markReady = r));

  const start = (): Worker => {
    const w = new Worker(script);
    w.unref();
    w.on('message', (reply: LoadReply) => {
      if ('ready' in reply) return markReady({ tid: reply.tid, niced: reply.niced, idle: reply.idle });
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      if ('config' in reply) return job.resolve(deepFreeze(reply.config));
      const e = reply.error;
      job.reject(e.code === undefined ? new Error(e.message) : new FicusError(e.code, e.message, { exitCode: e.exitCode ?? 1, details: e.details ?? {} }));
    });
    const lost = (why: string): void => {
      if (worker === w) worker = null;
      markReady(null);
      if (pending.size > 0) logger.warn({ why, loads: pending.size }, 'config loader thread gone; loading in process');
      // Loads it had not answered run in process; the next load starts a new thread.
      for (const [id, job] of pending) {
        pending.delete(id);
        loadGatewayConfig(job.file, job.env).then(job.resolve, job.reject);
      }
    };
    w.on('error', (err) => lost(err.message));
    w.on('exit', (code) => lost(`exit ${code}`));
    return w;
  };
  worker = start();

  return {
    ready,
    load(file, env) {
      worker ??= start();
      const id = ++seq;
      return new Promise<GatewayConfig>((resolve, reject) => {
        pending.set(id, { file, env, resolve, reject });
        worker!.postMessage({ id, file, env: { ...env } } satisfies LoadRequest);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
