/**
 * The shadow dispatcher: takes answered exchanges from the proxy handler and, off the hot
 * path, sends the copy to the other side and has the two answers judged. Bounded twice: at most
 * `limits.shadowInFlight` shadow calls at once, and at most `limits.shadowJudgeQueue` exchanges
 * (`limits.shadowJudgeBytes` of bodies) waiting for the judge — past either, the exchange is dropped and counted (`queue-full`,
 * `judge-busy`), never queued behind the primary. A call frees its slot when its answer is in, so
 * a judge that runs late (its thread gets the proxy core's idle time) does not cap how many calls
 * go out; its backlog is capped by count and bytes instead. A sampled share is also sent a second
 * time to the primary side, and the differences between those two identical calls teach the
 * noise model (after Twitter's Diffy).
 *
 * Answers that are plainly the same (`Comparer.same`: equal status and headers, bytes equal or
 * differing only in ignored values — the common case) are settled here, in the proxy's thread;
 * the rest go to the judge (judge.ts: structural diff, noise model, redaction, the DiffRecord),
 * which runs on this thread or, with `limits.shadowJudge: thread`, on one of its own (judges.ts). Every comparison, same or not, is
 * tallied per route and minute (the diff rate's denominator: records are kept only for responses
 * that differ) and counted in the route's stats and metrics.
 */
import type { Logger } from '../../core/index.js';
import type { RouteConfig } from '../config/schema.js';
import type { ComparisonOutcome, DiffRecord } from '../model.js';
import { shadowUpstreamName, type Exchange, type ShadowSink } from '../proxy/handler.js';
import type { GatewayRuntime } from '../runtime.js';
import { bodyLength } from './bytes.js';
import { callSide, CIRCUIT_OPEN, type Answer } from './call.js';
import { createComparer, type Comparer } from './compare.js';
import type { JudgeJob, JudgeRules, Verdict } from './judge.js';
import { inlineJudge, type JudgePort } from './judges.js';
import type { NoisePath } from './noise.js';
import { TurnBudget } from './turn-budget.js';

export interface DiffSink {
  offer(record: DiffRecord): void;
  /** Counts one comparison per route and minute (the diff writer's tallies; `at` in epoch ms); cheap, never throws. */
  tally?(route: string, outcome: ComparisonOutcome, at: number): void;
}

export interface DispatcherOptions {
  readonly runtime: GatewayRuntime;
  readonly diffs: DiffSink;
  readonly logger: Logger;
  readonly random?: () => number;
  readonly now?: () => Date;
  /** Where differing answers are judged (default: inlineJudge(), in this thread); closed with the dispatcher. */
  readonly judge?: JudgePort;
}

/** Time-ordered ids: 12 hex digits of milliseconds, then the dispatcher's counter and randomness. */
export function recordId(now: Date, seq: number, random: () => number): string {
  return `${now.getTime().toString(16).padStart(12, '0')}${seq.toString(16).padStart(4, '0')}${Math.floor(random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

export class ShadowDispatcher implements ShadowSink {
  private inFlight = 0;
  /** Jobs with the judge, and the body bytes they hold. */
  private judging = 0;
  private judgingBytes = 0;
  private seq = 0;
  private readonly rules = new Map<string, { key: string; comparer: Comparer; rules: JudgeRules }>();
  private readonly byConfig = new WeakMap<RouteConfig, { comparer: Comparer; rules: JudgeRules }>();
  private readonly random: () => number;
  /** Epoch ms: the injected clock's, or Date.now. */
  private readonly clock: () => number;
  private readonly budget: TurnBudget;
  readonly judge: JudgePort;

  constructor(private readonly o: DispatcherOptions) {
    this.random = o.random ?? Math.random;
    this.judge = o.judge ?? inlineJudge();
    // Triage per event-loop turn (limits.shadowTurnMs, read per exchange): answers that arrive
    // together are spread over several turns, with the primary requests' I/O polled between.
    this.budget = new TurnBudget(1);
    const now = o.now;
    // Every comparison is tallied at a time; a Date is made only for a record.
    this.clock = now ? () => now().getTime() : Date.now;
    // Each loaded config's rules are looked up when it is swapped in, not by the first exchange on it:
    // a lookup that missed on the hot path ran code the optimised triage had never seen and threw it
    // away at the first reload under load (--trace-deopt: "insufficient type feedback").
    const prepare = (): void => {
      for (const r of o.runtime.snapshot.config.routes) this.rulesFor(r);
    };
    prepare();
    o.runtime.onReload(prepare);
  }

  /** Shadow calls in flight plus exchanges waiting for their verdict. */
  get pending(): number {
    return this.inFlight + this.judging;
  }

  /** The noise paths the judge has learnt, per route. */
  noise(): Promise<Record<string, NoisePath[]>> {
    return this.judge.noise();
  }

  /** Closes the judge (call when nothing is pending). */
  close(): Promise<void> {
    return this.judge.close();
  }

  skip(route: string, reason: 'body-too-large'): void {
    this.drop(route, reason);
  }

  /** Counts one shadow exchange not compared: in the route's stats (its request's window, when known) and by reason in the metrics. */
  private drop(route: string, reason: DropReason, window?: Exchange['window']): void {
    this.o.runtime.stats.shadow(route, 'dropped', window);
    this.o.runtime.metrics.shadowDrop(route, reason);
  }

  /** The route's comparer and judge rules, rebuilt when a reload changed its rules (the config check already compiled them once). */
  private rulesFor(route: RouteConfig): { comparer: Comparer; rules: JudgeRules } {
    // Route configs are frozen per loaded config: the same object means the same rules.
    const known = this.byConfig.get(route);
    if (known) return known;
    const rules = this.rulesByKey(route);
    this.byConfig.set(route, rules);
    return rules;
  }

  private rulesByKey(route: RouteConfig): { comparer: Comparer; rules: JudgeRules } {
    const redact = route.shadow?.redact ?? [];
    const compare = route.shadow?.compare ?? { ignore: [], unorderedArrays: [], numericTolerance: 0, headers: ['content-type'] };
    const key = JSON.stringify([compare, redact]);
    const hit = this.rules.get(route.id);
    if (hit && hit.key === key) return hit;
    const built = { key, comparer: createComparer(compare), rules: { key, compare, redact } };
    this.rules.set(route.id, built);
    return built;
  }

  accepting(route: string, limit: number): boolean {
    if (this.inFlight < limit) return true;
    this.drop(route, 'queue-full');
    return false;
  }

  submit(ex: Exchange): void {
    const limit = ex.snapshot.config.limits.shadowInFlight;
    if (this.inFlight >= limit) {
      this.drop(ex.route.id, 'queue-full');
      return;
    }
    this.inFlight++;
    // Next turn of the event loop: the primary's bookkeeping finishes first.
    setImmediate(this.start, ex);
  }

  /** Runs one exchange (bound once, so submit allocates no closure). */
  private readonly start = (ex: Exchange): void => {
    this.run(ex).then(this.settled, (err: unknown) => {
      this.settled();
      this.o.runtime.metrics.shadowDrop(ex.route.id, 'error');
      this.o.logger.warn({ route: ex.route.id, err: err instanceof Error ? err.message : String(err) }, 'shadow comparison failed');
    });
  };

  private readonly settled = (): void => {
    this.inFlight--;
  };

  private async run(ex: Exchange): Promise<void> {
    const route = ex.route;
    const cfg = route.shadow;
    const cap = cfg?.maxBodyBytes ?? 1_048_576;
    const timeoutMs = cfg?.timeoutMs ?? 2_000;
    const shadowUp = ex.snapshot.upstreams.get(shadowUpstreamName(route, ex.shadow, ex.snapshot))!;
    const primaryUp = ex.primary.target === 'service' ? ex.snapshot.upstreams.get(route.service)! : ex.snapshot.monolith;
    const secondary = (cfg?.secondarySample ?? 0) > 0 && this.random() * 100 < (cfg?.secondarySample ?? 0) && ex.method === 'GET';
    // Both calls start at once; neither promise rejects (a failure is an Answer with `error`).
    const shadowCall = callSide(shadowUp, ex, timeoutMs, cap);
    const secondCall = secondary ? callSide(primaryUp, ex, timeoutMs, cap) : null;
    const shadowAnswer = await shadowCall;
    const secondAnswer = secondCall === null ? null : await secondCall;
    const limits = ex.snapshot.config.limits;
    this.budget.budgetMs = limits.shadowTurnMs ?? 1;
    this.budget.share = limits.shadowShare ?? 0.25;
    const wait = this.budget.enter();
    if (wait !== null) await wait;
    try {
      // Checked when the work would run (after any wait: the work before it may have used the share);
      // a failed call is counted by its own reason (triage), whatever the share.
      if (shadowAnswer.error === undefined && this.budget.overShare()) return this.drop(ex.route.id, 'judge-busy', ex.window);
      const job = this.triage(ex, shadowAnswer, secondAnswer, cap);
      // Inside the slice: the inline judge judges synchronously when called (the thread's port posts).
      if (job !== null) this.toJudge(ex, job);
    } finally {
      this.budget.leave();
    }
  }

  /** Hands a job to the judge unless its backlog is full; settles the verdict when it comes. */
  private toJudge(ex: Exchange, job: JudgeJob): void {
    const bytes = jobBytes(job);
    const limits = ex.snapshot.config.limits;
    if (this.judging >= limits.shadowJudgeQueue || (this.judging > 0 && this.judgingBytes + bytes > limits.shadowJudgeBytes)) {
      this.drop(job.route, 'judge-busy', ex.window);
      return;
    }
    this.judging++;
    this.judgingBytes += bytes;
    const done = (): void => {
      this.judging--;
      this.judgingBytes -= bytes;
    };
    this.judge.judge(job).then(
      (verdict) => {
        done();
        this.settle(ex, verdict, job.at);
      },
      (err: unknown) => {
        done();
        this.o.runtime.metrics.shadowDrop(job.route, 'error');
        this.o.logger.warn({ route: job.route, err: err instanceof Error ? err.message : String(err) }, 'shadow comparison failed');
      },
    );
  }

  /**
   * Settles what needs no judge (the breaker refused the call; the answers are plainly the same)
   * and returns the job for the rest (synchronous: one budgeted slice).
   */
  private triage(ex: Exchange, shadowAnswer: Answer, secondAnswer: Answer | null, cap: number): JudgeJob | null {
    const route = ex.route.id;
    const primary: Answer = ex.primary.result;
    if (shadowAnswer.error === CIRCUIT_OPEN) {
      this.drop(route, 'circuit-open', ex.window);
      return null;
    }
    const { comparer, rules } = this.rulesFor(ex.route);
    const second = secondAnswer !== null && secondAnswer.error === undefined ? secondAnswer : null;
    if (shadowAnswer.error !== undefined) {
      this.o.runtime.metrics.shadowDrop(route, shadowAnswer.error.includes('TIMEOUT') ? 'timeout' : 'error');
    } else if (comparer.same(primary, shadowAnswer) && (second === null || comparer.same(primary, second))) {
      this.judge.same(route, 1);
      this.settle(ex, SAME, this.clock());
      return null;
    }
    const at = this.clock();
    return {
      route,
      rules,
      id: recordId(new Date(at), (this.seq = (this.seq + 1) % 0x10000), this.random),
      at,
      method: ex.method,
      url: ex.url,
      headers: ex.headers,
      body: ex.body,
      primaryTarget: ex.primary.target,
      shadowTarget: ex.shadow,
      primary,
      shadow: shadowAnswer,
      second,
      cap,
    };
  }

  /** Counts the outcome and offers the record, if there is one. */
  private settle(ex: Exchange, verdict: Verdict, at: number): void {
    const route = ex.route.id;
    const outcome: ComparisonOutcome = verdict.outcome;
    this.o.runtime.stats.shadow(route, outcome, ex.window);
    this.o.runtime.metrics.shadowResult(route, outcome);
    this.o.diffs.tally?.(route, outcome, at);
    if (verdict.record !== null) this.o.diffs.offer(verdict.record);
  }
}

type DropReason = Parameters<GatewayRuntime['metrics']['shadowDrop']>[1];

const SAME: Verdict = Object.freeze({ outcome: 'same', record: null });

/** The body bytes a job holds until it is judged. */
function jobBytes(job: JudgeJob): number {
  return job.body.length + bodyLength(job.primary.body) + bodyLength(job.shadow.body) + (job.second === null ? 0 : bodyLength(job.second.body));
}
