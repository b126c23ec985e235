/**
 * The config loader's thread (loader.ts starts it): reads, parses and checks a gateway config
 * file on request and posts back the plain config, or the error as data (code, message, exit
 * code, details) for the caller to raise again. On Linux the thread lowers its own priority to
 * nice 19 first, so on a busy core the proxy's thread keeps it and a reload waits for a gap.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { isFicusError } from '../../core/index.js';
import { loadGatewayConfig } from './load.js';
import type { LoadReply, LoadRequest } from './loader.js';

/** This thread's kernel id (Linux: /proc/thread-self is `<pid>/task/<tid>`), or undefined elsewhere. */
function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

const tid = threadId();
let niced = false;
let idle = false;
if (tid !== undefined) {
  try {
    // Linux applies setpriority(PRIO_PROCESS, tid) to that one thread; raising nice needs no privilege.
    setPriority(tid, 19);
    niced = true;
    // SCHED_IDLE as well where util-linux's chrt is there: a waking proxy thread then preempts this
    // one at once, even on a shared core, instead of waiting out its time slice.
    execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 2000 });
    idle = true;
  } catch {
    // Not permitted or not supported: loads still run off the main thread.
  }
}

const port = parentPort!;
port.postMessage({ ready: true, tid, niced, idle } satisfies LoadReply);
port.on('message', (req: LoadRequest) => {
  loadGatewayConfig(req.file, req.env).then(
    (config) => port.postMessage({ id: req.id, config } satisfies LoadReply),
    (err: unknown) =>
      port.postMessage({
        id: req.id,
        error: isFicusError(err)
          ? { code: err.code, message: err.message, exitCode: err.exitCode, details: { ...err.details } }
          : { message: err instanceof Error ? err.message : String(err) },
      } satisfies LoadReply),
  );
});
