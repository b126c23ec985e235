/**
 * Lowering the calling worker thread's CPU priority, for threads that do background work beside
 * a latency-sensitive main thread (the gateway's config loader and shadow judge). On Linux the
 * thread moves to nice 19 (setpriority on its kernel thread id applies to that thread alone and
 * needs no privilege) and, where util-linux's `chrt` is there, to SCHED_IDLE: a waking main thread
 * then preempts it at once, even on a shared core, instead of waiting out its time slice.
 * Elsewhere, or where either step is not permitted, the thread keeps its priority.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

export interface LoweredPriority {
  /** The thread's kernel id, undefined where /proc/thread-self does not exist. */
  readonly tid: number | undefined;
  readonly niced: boolean;
  readonly idle: boolean;
}

/** This thread's kernel id (Linux: /proc/thread-self is `<pid>/task/<tid>`), or undefined elsewhere. */
function threadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** Call from inside the worker thread; says what it could do. */
export function lowerThreadPriority(): LoweredPriority {
  const tid = threadId();
  let niced = false;
  let idle = false;
  if (tid !== undefined) {
    try {
      setPriority(tid, 19);
      niced = true;
      execFileSync('chrt', ['--idle', '-p', '0', String(tid)], { stdio: 'ignore', timeout: 2000 });
      idle = true;
    } catch {
      // Not permitted or not supported: the work still runs off the main thread.
    }
  }
  return { tid, niced, idle };
}
