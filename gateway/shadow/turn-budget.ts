/**
 * A per-turn time budget for work that must not hold up the hot path (the shadow comparisons and
 * records). Answers from a slow shadow upstream come back together — the 64 calls sent while
 * it stalled all answer in the same few milliseconds — and comparing and recording each in the
 * turn it arrived in runs them back to back, delaying every primary request whose bytes arrived
 * in that turn. Here each piece of such work asks `enter()` first: while the work already done in
 * this turn of the event loop is under `budgetMs` it runs at once; past that it waits for a
 * later turn, so the loop polls for I/O (primary requests) between slices. Waiting work runs in
 * arrival order, `budgetMs` of it per turn.
 *
 * Besides the turn, a long-run share (`share`, a fraction of wall time): the work's time is taken
 * from an allowance that refills at `share` ms per ms, up to `SHARE_BURST_MS`. A turn budget alone
 * lets the work have every turn — a shadow whose every answer differs (each one judged and recorded)
 * then took the proxy's thread to saturation and its primary p99 to +135 % (bench/reliability
 * `shadow-differs`); `overShare()` tells the caller to drop work instead while the allowance is spent.
 *
 * Only the work that asks is counted: time spent by the primary requests is not ours to cap.
 * The accounting is per turn, reset by a setImmediate that runs at the turn's end (Node's check
 * phase), so an idle loop costs nothing.
 *
 * @example
 *   const wait = budget.enter(); if (wait) await wait;
 *   try { compareAndRecord(); } finally { budget.leave(); }
 */
import { performance } from 'node:perf_hooks';

/** How much work time the share's allowance holds at most (ms): a short burst passes whole. */
export const SHARE_BURST_MS = 20;

export class TurnBudget {
  /** Milliseconds of counted work done in this turn. */
  private spent = 0;
  /** The share's allowance (ms), and when it was last refilled. */
  private allowanceMs = SHARE_BURST_MS;
  private refilledAt: number | null = null;
  /** The long-run share of wall time the work may take (0–1); may change between pieces of work. */
  share = 1;
  private startedAt = 0;
  private resetScheduled = false;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(
    /** May change between pieces of work (a reloaded config); counted from the next `enter()`. */
    public budgetMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Work waiting for a later turn. */
  get queued(): number {
    return this.waiting.length - this.head;
  }

  /**
   * Null when the work may run now (call `leave()` when it is done), else a promise that resolves
   * in a later turn when it may (then run it and call `leave()`).
   */
  enter(): Promise<void> | null {
    this.scheduleReset();
    if (this.spent < this.budgetMs && this.queued === 0) {
      this.startedAt = this.clock();
      return null;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Ends a piece of work started by `enter()` (at once, or after its promise resolved). */
  leave(): void {
    const cost = this.clock() - this.startedAt;
    this.spent += cost;
    this.allowanceMs -= cost;
  }

  /** True while the work has used more than its share (the allowance is spent): drop, do not queue. */
  overShare(): boolean {
    const now = this.clock();
    if (this.refilledAt !== null) this.allowanceMs = Math.min(SHARE_BURST_MS, this.allowanceMs + (now - this.refilledAt) * this.share);
    this.refilledAt = now;
    return this.allowanceMs < 0;
  }

  private scheduleReset(): void {
    if (this.resetScheduled) return;
    this.resetScheduled = true;
    setImmediate(this.nextTurn);
  }

  /** At the end of a turn: a new budget, and the waiting work let through up to it, one at a time. */
  private readonly nextTurn = (): void => {
    this.resetScheduled = false;
    this.spent = 0;
    if (this.queued > 0) this.release();
  };

  /** Lets the next waiting piece run; after it (its continuation runs as a microtask) the next, while the budget lasts. */
  private release(): void {
    const resolve = this.waiting[this.head]!;
    this.waiting[this.head++] = undefined as unknown as () => void;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
    this.startedAt = this.clock();
    resolve();
    // The resolved work runs in the microtask queue right after this callback; check again after it.
    queueMicrotask(this.afterRelease);
  }

  private readonly afterRelease = (): void => {
    // The released work may still be awaiting inside; whatever it spent so far is counted by its leave().
    if (this.queued === 0) return;
    if (this.spent < this.budgetMs) {
      this.release();
    } else {
      this.scheduleReset();
    }
  };
}
