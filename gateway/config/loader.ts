/**
 * Where a reload reads, parses and checks the config: off the proxy's thread. Parsing even a
 * small config costs 2–4 ms of main-thread time on every reload (the YAML parser and the checks
 * run once a reload and never get hot), and every request that arrived meanwhile waits — the
 * same reason Envoy keeps config handling on its main thread, away from the workers that serve.
 * `threadLoader()` keeps one worker thread for it (loader-thread.ts, at nice 19 and SCHED_IDLE on Linux); the
 * proxy's thread only receives the plain result and freezes it.
 *
 * When the worker cannot run (its compiled file is missing, as when tests run the sources
 * directly, or the thread dies), loads run in process, as they did at start. A load the thread
 * has not answered within `deadlineMs` (default 2 s) also runs in process: on a core the proxy
 * keeps saturated, a thread at SCHED_IDLE may get no time at all, and a reload must still land
 * (measured: the first load after start took 3.7 s under wrk, and over 12 s with 64 KiB bodies).
 * Until the thread has answered such an overdue load, later loads run in process at once rather
 * than queue behind it for another deadline each.
 *
 * @example
 *   const loader = threadLoader(logger);
 *   const config = await loader.load('ficus.gateway.yaml', process.env);
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deepFreeze, FicusError, type Env, type Logger } from '../../core/index.js';
import { loadGatewayConfig, parseGatewayConfig, type GatewayConfig } from './load.js';

export interface ConfigLoader {
  /** Reads `file` — or, given `text`, takes that as its content (a reload that has read the file already) — parses and checks it. */
  load(file: string, env: Env, text?: string): Promise<GatewayConfig>;
  close(): Promise<void>;
}

/** @internal the thread's protocol */
export interface LoadRequest {
  readonly id: number;
  readonly file: string;
  readonly env: Env;
  readonly text?: string;
}

/** @internal the thread's protocol: a ready notice, a config, or an error as data */
export type LoadReply =
  | { readonly ready: true; readonly tid: number | undefined; readonly niced: boolean; readonly idle: boolean }
  | { readonly id: number; readonly config: GatewayConfig }
  | { readonly id: number; readonly error: { code?: string; message: string; exitCode?: 1 | 2; details?: Record<string, unknown> } };

/** The content of `file` (given, or read) parsed and checked, in this thread. */
export async function loadHere(file: string, env: Env, text?: string): Promise<GatewayConfig> {
  return text === undefined ? loadGatewayConfig(file, env) : parseGatewayConfig(text, file, env);
}

export const inProcessLoader: ConfigLoader = {
  load: (file, env, text) => loadHere(file, env, text),
  close: async () => undefined,
};

const THREAD_FILE = new URL('./loader-thread.js', import.meta.url);

export interface ThreadLoader extends ConfigLoader {
  /** Resolves when the thread is up: its kernel thread id and whether it lowered its priority; null when loads run in process. */
  readonly ready: Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>;
}

export interface ThreadLoaderOptions {
  /** The compiled thread script (default: loader-thread.js beside this file). */
  readonly script?: URL;
  /** How long a load waits for the thread before it runs in process (ms; default 2000). */
  readonly deadlineMs?: number;
}

interface Job {
  readonly file: string;
  readonly env: Env;
  readonly text: string | undefined;
  readonly resolve: (c: GatewayConfig) => void;
  readonly reject: (e: unknown) => void;
  readonly timer: NodeJS.Timeout;
}

export function threadLoader(logger: Logger, options: ThreadLoaderOptions = {}): ThreadLoader {
  const script = options.script ?? THREAD_FILE;
  const deadlineMs = options.deadlineMs ?? 2_000;
  if (!existsSync(fileURLToPath(script))) return { ...inProcessLoader, ready: Promise.resolve(null) };
  let worker: Worker | null = null;
  let closed = false;
  let seq = 0;
  const pending = new Map<number, Job>();
  /** Loads taken back from the thread after their deadline, not answered by it yet (the thread is starved). */
  const overdue = new Set<number>();
  /** Takes a job off the thread's list (its answer, if one comes later, is ignored) and runs it here. */
  const inProcess = (id: number): void => {
    const job = pending.get(id);
    if (!job) return;
    pending.delete(id);
    clearTimeout(job.timer);
    loadHere(job.file, job.env, job.text).then(job.resolve, job.reject);
  };
  let markReady: (v: { tid: number | undefined; niced: boolean; idle: boolean } | null) => void = () => undefined;
  const ready = new Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>((r) => (markReady = r));

  const start = (): Worker => {
    const w = new Worker(script);
    w.unref();
    w.on('message', (reply: LoadReply) => {
      if ('ready' in reply) return markReady({ tid: reply.tid, niced: reply.niced, idle: reply.idle });
      if (overdue.delete(reply.id)) return;
      const job = pending.get(reply.id);
      if (!job) return;
      pending.delete(reply.id);
      clearTimeout(job.timer);
      if ('config' in reply) return job.resolve(deepFreeze(reply.config));
      const e = reply.error;
      job.reject(e.code === undefined ? new Error(e.message) : new FicusError(e.code, e.message, { exitCode: e.exitCode ?? 1, details: e.details ?? {} }));
    });
    const lost = (why: string): void => {
      if (worker === w) worker = null;
      markReady(null);
      overdue.clear(); // a new thread answers the next load
      // Closing ends the thread on purpose: what it had not answered is dropped with it.
      if (closed) return;
      if (pending.size > 0) logger.warn({ why, loads: pending.size }, 'config loader thread gone; loading in process');
      // Loads it had not answered run in process; the next load starts a new thread.
      for (const id of [...pending.keys()]) inProcess(id);
    };
    w.on('error', (err) => lost(err.message));
    w.on('exit', (code) => lost(`exit ${code}`));
    return w;
  };
  worker = start();

  return {
    ready,
    load(file, env, text) {
      if (overdue.size > 0) return loadHere(file, env, text);
      worker ??= start();
      const id = ++seq;
      return new Promise<GatewayConfig>((resolve, reject) => {
        const timer = setTimeout(() => {
          logger.info({ file, deadlineMs }, 'config loader thread has not answered; loading in process');
          overdue.add(id);
          inProcess(id);
        }, deadlineMs);
        timer.unref();
        pending.set(id, { file, env, text, resolve, reject, timer });
        worker!.postMessage({ id, file, env: { ...env }, ...(text !== undefined && { text }) } satisfies LoadRequest);
      });
    },
    async close() {
      closed = true;
      for (const job of pending.values()) clearTimeout(job.timer);
      pending.clear();
      overdue.clear();
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
