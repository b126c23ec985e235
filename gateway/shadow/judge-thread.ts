/**
 * The shadow judge's thread (judges.ts starts it): runs a Judge (judge.ts) on the jobs the
 * dispatcher posts and posts back each outcome and record (as UTF-8 JSON), or the error as text. It lowers its own priority
 * first (core/thread-priority.ts), so on a busy core the proxy's thread keeps the CPU and the
 * judging waits for a gap. Rules come with a route's first job and again when they change.
 */
import { parentPort } from 'node:worker_threads';
import { lowerThreadPriority } from '../../core/index.js';
import { Judge, type JudgeRules } from './judge.js';
import { receiveJob, type JudgeReply, type JudgeRequest } from './judges.js';

const { tid, niced, idle } = lowerThreadPriority();
const port = parentPort!;
const judge = new Judge();
const rules = new Map<string, JudgeRules>();
const encoder = new TextEncoder();
port.postMessage({ ready: true, tid, niced, idle } satisfies JudgeReply);
port.on('message', (req: JudgeRequest) => {
  if (req.kind === 'same') {
    for (const [route, n] of req.counts) judge.same(route, n);
    return;
  }
  try {
    if (req.kind === 'noise') {
      port.postMessage({ seq: req.seq, noise: judge.noise() } satisfies JudgeReply);
      return;
    }
    const job = req.job;
    if (job.rules) rules.set(job.route, job.rules);
    const known = rules.get(job.route);
    if (known === undefined) throw new Error(`no rules for route ${job.route}`);
    const { outcome, record } = judge.judge(receiveJob(job, known));
    // As UTF-8 in a buffer of its own, transferred: the store writes the bytes as they are (store/record.ts
    // recordFromText). TextEncoder, not Buffer.from: a small Buffer is a slice of a shared pool, which
    // must not be transferred.
    const json = record === null ? null : encoder.encode(JSON.stringify(record));
    port.postMessage({ seq: req.seq, outcome, json } satisfies JudgeReply, json === null ? [] : [json.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ seq: req.seq, error: err instanceof Error ? err.message : String(err) } satisfies JudgeReply);
  }
});
