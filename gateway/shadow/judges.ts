/**
 * Where the shadow judge (judge.ts) runs: the `JudgePort` the dispatcher talks to, in two
 * implementations that pass the same contract (judges.case.ts).
 *
 *   inlineJudge()        in the proxy's thread, answered at once;
 *   threadJudge(logger)  in a worker thread of its own (judge-thread.ts) at nice 19 and SCHED_IDLE on
 *                        Linux (`limits.shadowJudge: thread`): judging a differing 64 KiB answer costs
 *                        ~2 ms of JSON parsing, diffing, redaction and record building, which then
 *                        leaves the proxy's thread (bench/gateway/main-thread.ts: 118 → 33 ms of its
 *                        CPU per burst of 64). The proxy's thread copies each body into a buffer of
 *                        its own, transferred, and gets back the outcome and the record as UTF-8 JSON
 *                        in a transferred buffer (store/record.ts `recordFromText`; cloning the record
 *                        object instead cost ~110 µs for a 2 KiB body), which the store writes as it
 *                        came. On a core the proxy keeps busy the thread gets only the gaps: the
 *                        dispatcher caps its backlog (limits.shadowJudgeQueue / shadowJudgeBytes) and
 *                        counts what it drops, so a starved judge never slows primary requests. For
 *                        small bodies the hand-over costs about what judging does: inline is the default.
 *
 * `same(route, n)` counts are batched and sent ahead of the next job (or within 200 ms), in order.
 * When the thread's compiled file is missing (tests that run the sources) the judge runs inline; when
 * the thread dies, its unanswered jobs fail (the dispatcher counts them dropped, `error`), the next job
 * starts a new thread, and after `maxRestarts` (3) deaths the judge runs inline from then on. A new
 * thread, or the inline fallback, starts with empty noise models (logged).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../core/index.js';
import { recordFromText } from '../store/record.js';
import { bodyLength, type Body } from './bytes.js';
import { Judge, type JudgedAnswer, type JudgeJob, type JudgeRules, type Verdict } from './judge.js';
import type { NoisePath } from './noise.js';

export interface JudgePort {
  /** The work it does on the calling thread is done before it returns (the dispatcher's turn budget counts it). */
  judge(job: JudgeJob): Promise<Verdict>;
  /** `n` more comparisons on `route` found the same by the dispatcher; never throws. */
  same(route: string, n: number): void;
  /** The noise paths learnt so far, per route. */
  noise(): Promise<Record<string, NoisePath[]>>;
  /** Where it runs: 'thread' or 'inline' (after a fallback too). */
  readonly where: 'thread' | 'inline';
  close(): Promise<void>;
}

/** The port over a Judge in this thread; `model` is that Judge (tests teach its noise models). */
export function inlineJudge(model: Judge = new Judge()): JudgePort & { readonly model: Judge } {
  return {
    where: 'inline',
    model,
    judge: async (job) => model.judge(job),
    same: (route, n) => model.same(route, n),
    noise: async () => model.noise(),
    close: async () => undefined,
  };
}

/** @internal the thread's protocol: a job as posted, bodies as plain bytes, rules only when new for the route. */
export interface PostedAnswer extends Omit<JudgedAnswer, 'body'> {
  readonly body: Uint8Array | null;
}
export interface PostedJob extends Omit<JudgeJob, 'rules' | 'body' | 'primary' | 'shadow' | 'second'> {
  readonly rules?: JudgeRules;
  readonly body: Uint8Array;
  readonly primary: PostedAnswer;
  readonly shadow: PostedAnswer;
  readonly second: PostedAnswer | null;
}
export type JudgeRequest =
  | { readonly kind: 'same'; readonly counts: readonly [string, number][] }
  | { readonly kind: 'judge'; readonly seq: number; readonly job: PostedJob }
  | { readonly kind: 'noise'; readonly seq: number };
export type JudgeReply =
  | { readonly ready: true; readonly tid: number | undefined; readonly niced: boolean; readonly idle: boolean }
  | { readonly seq: number; readonly outcome: Verdict['outcome']; readonly json: Uint8Array | null }
  | { readonly seq: number; readonly noise: Record<string, NoisePath[]> }
  | { readonly seq: number; readonly error: string };

/** A copy of the body in a buffer of its own (so only its bytes cross, and the buffer can be transferred). */
function ownBytes(body: Body | null, transfer: ArrayBuffer[]): Uint8Array | null {
  if (body === null) return null;
  const chunks = Buffer.isBuffer(body) ? [body] : body;
  const out = new Uint8Array(bodyLength(body));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  transfer.push(out.buffer);
  return out;
}

function postAnswer(a: JudgedAnswer, transfer: ArrayBuffer[]): PostedAnswer {
  return { status: a.status, headers: a.headers, body: ownBytes(a.body, transfer), ms: a.ms, ...(a.error !== undefined && { error: a.error }) };
}

/** @internal the job as posted, and the buffers to transfer with it. */
export function postJob(job: JudgeJob, withRules: boolean): { job: PostedJob; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  const { rules, body, primary, shadow, second, ...rest } = job;
  const posted: PostedJob = {
    ...rest,
    ...(withRules && { rules }),
    body: ownBytes(body, transfer)!,
    primary: postAnswer(primary, transfer),
    shadow: postAnswer(shadow, transfer),
    second: second === null ? null : postAnswer(second, transfer),
  };
  return { job: posted, transfer };
}

const asBuffer = (u: Uint8Array | null): Buffer | null => (u === null ? null : Buffer.from(u.buffer, u.byteOffset, u.byteLength));
const receiveAnswer = (a: PostedAnswer): JudgedAnswer => ({ ...a, body: asBuffer(a.body) });

/** @internal the job as the thread rebuilds it (Buffers over the transferred bytes). */
export function receiveJob(job: PostedJob, rules: JudgeRules): JudgeJob {
  return {
    ...job,
    rules,
    body: asBuffer(job.body)!,
    primary: receiveAnswer(job.primary),
    shadow: receiveAnswer(job.shadow),
    second: job.second === null ? null : receiveAnswer(job.second),
  };
}

const THREAD_FILE = new URL('./judge-thread.js', import.meta.url);

export interface ThreadJudgeOptions {
  /** The compiled thread script (default: judge-thread.js beside this file). */
  readonly script?: URL;
  /** Thread deaths before the judge runs inline for good (default 3). */
  readonly maxRestarts?: number;
}

export interface ThreadJudge extends JudgePort {
  /** Resolves when the thread is up (its kernel thread id and priority), or null when the judge runs inline. */
  readonly ready: Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>;
}

interface Pending {
  readonly resolve: (v: never) => void;
  readonly reject: (e: Error) => void;
}

export function threadJudge(logger: Logger, options: ThreadJudgeOptions = {}): ThreadJudge {
  const script = options.script ?? THREAD_FILE;
  const maxRestarts = options.maxRestarts ?? 3;
  if (!existsSync(fileURLToPath(script))) return { ...inlineJudge(), ready: Promise.resolve(null) };
  let worker: Worker | null = null;
  let fallback: JudgePort | null = null;
  let deaths = 0;
  let closed = false;
  let seq = 0;
  const pending = new Map<number, Pending>();
  /** The rules key each route's rules were last sent with, to the running thread. */
  const sentRules = new Map<string, string>();
  const sameCounts = new Map<string, number>();
  let flushTimer: NodeJS.Timeout | null = null;
  let markReady: (v: { tid: number | undefined; niced: boolean; idle: boolean } | null) => void = () => undefined;
  const ready = new Promise<{ tid: number | undefined; niced: boolean; idle: boolean } | null>((r) => (markReady = r));

  const start = (): Worker => {
    const w = new Worker(script);
    w.unref();
    sentRules.clear();
    w.on('message', (reply: JudgeReply) => {
      if ('ready' in reply) return markReady({ tid: reply.tid, niced: reply.niced, idle: reply.idle });
      const p = pending.get(reply.seq);
      if (!p) return;
      pending.delete(reply.seq);
      if ('error' in reply) p.reject(new Error(`shadow judge: ${reply.error}`));
      else p.resolve(('outcome' in reply ? reply : reply.noise) as never);
    });
    const lost = (why: string): void => {
      if (worker !== w) return;
      worker = null;
      markReady(null);
      if (closed) return;
      deaths++;
      const inline = deaths >= maxRestarts;
      logger.warn({ why, jobs: pending.size, deaths, next: inline ? 'inline' : 'new thread' }, 'shadow judge thread gone; its noise models are lost');
      if (inline) fallback = inlineJudge();
      for (const p of pending.values()) p.reject(new Error(`shadow judge thread gone (${why})`));
      pending.clear();
    };
    w.on('error', (err) => lost(err.message));
    w.on('exit', (code) => lost(`exit ${code}`));
    return w;
  };
  worker = start();

  const flushSame = (): void => {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    if (sameCounts.size === 0 || worker === null) return;
    worker.postMessage({ kind: 'same', counts: [...sameCounts] } satisfies JudgeRequest);
    sameCounts.clear();
  };

  const ask = <T>(make: (seq: number) => { message: JudgeRequest; transfer?: ArrayBuffer[] }): Promise<T> => {
    worker ??= start();
    flushSame();
    const id = ++seq;
    const { message, transfer } = make(id);
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: never) => void, reject });
      worker!.postMessage(message, transfer);
    });
  };

  return {
    ready,
    get where() {
      return fallback === null ? 'thread' : 'inline';
    },
    judge(job) {
      if (fallback) return fallback.judge(job);
      if (closed) return Promise.reject(new Error('shadow judge closed'));
      return ask<{ outcome: Verdict['outcome']; json: Uint8Array | null }>((id) => {
        const withRules = sentRules.get(job.route) !== job.rules.key;
        const { job: posted, transfer } = postJob(job, withRules);
        if (withRules) sentRules.set(job.route, job.rules.key);
        return { message: { kind: 'judge', seq: id, job: posted }, transfer };
      }).then(({ outcome, json }) => ({
        outcome,
        record: json === null ? null : recordFromText({ id: job.id, at: new Date(job.at).toISOString(), route: job.route, noise: outcome === 'noise' }, json),
      }));
    },
    same(route, n) {
      if (fallback) return fallback.same(route, n);
      if (closed) return;
      sameCounts.set(route, (sameCounts.get(route) ?? 0) + n);
      if (flushTimer === null) {
        flushTimer = setTimeout(flushSame, 200);
        flushTimer.unref();
      }
    },
    noise() {
      if (fallback) return fallback.noise();
      if (closed) return Promise.resolve({});
      return ask<Record<string, NoisePath[]>>((id) => ({ message: { kind: 'noise', seq: id } }));
    },
    async close() {
      closed = true;
      if (flushTimer !== null) clearTimeout(flushTimer);
      for (const p of pending.values()) p.reject(new Error('shadow judge closed'));
      pending.clear();
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
