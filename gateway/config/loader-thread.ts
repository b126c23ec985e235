/**
 * The config loader's thread (loader.ts starts it): reads, parses and checks a gateway config
 * file on request and posts back the plain config, or the error as data (code, message, exit
 * code, details) for the caller to raise again. On Linux the thread lowers its own priority to
 * nice 19 and SCHED_IDLE first (core/thread-priority.ts), so on a busy core the proxy's thread keeps it and a reload waits for a gap.
 */
import { parentPort } from 'node:worker_threads';
import { isFicusError, lowerThreadPriority } from '../../core/index.js';
import { loadHere, type LoadReply, type LoadRequest } from './loader.js';

const { tid, niced, idle } = lowerThreadPriority();
const port = parentPort!;
port.postMessage({ ready: true, tid, niced, idle } satisfies LoadReply);
port.on('message', (req: LoadRequest) => {
  loadHere(req.file, req.env, req.text).then(
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
