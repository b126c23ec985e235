/**
 * The comparison-tally side of the diff writer (writer.ts): `add` counts one comparison in a
 * Map entry per (route, minute) — all the hot path pays — and every `tallyMs` the minutes that
 * have ended are written to the store's `writeTallies`, through the writer's one-at-a-time
 * queue. `write(Infinity)` (flush, close) writes open minutes too; a minute written in two parts
 * is two additions the store sums. A failed write puts the counts back for the next attempt; a
 * refused one (`retriable: false`) drops them. Counts are in comparisons throughout.
 *
 * A store without `writeTallies` keeps no tallies: `add` does nothing.
 */
import { isFicusError, type Logger } from '../../core/index.js';
import type { ComparisonOutcome, ComparisonTally, DiffStore } from '../model.js';
import { TallyCounter } from './tallies.js';

export interface TallyWriterStats {
  /** Comparisons counted and not yet written. */
  readonly pending: number;
  /** Comparisons written to the store. */
  readonly written: number;
  /** Comparisons not counted (too many open minutes), refused by the store, or left at close. */
  readonly dropped: number;
  /** Tally writes that failed. */
  readonly failedWrites: number;
}

export interface TallyWriterOptions {
  readonly store: DiffStore;
  readonly everyMs: number;
  /** The writer's timers (writer.ts Timers). */
  readonly timers: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  readonly now: () => number;
  readonly log: Logger;
  /** Runs a store operation on the writer's queue (one in flight). */
  readonly exclusive: <T>(op: () => Promise<T>) => Promise<T>;
  /** True once the writer gave up on a write still in flight. */
  readonly abandoned: () => boolean;
}

const comparisons = (tallies: readonly ComparisonTally[]): number => tallies.reduce((n, t) => n + t.compared, 0);

export class TallyWriter {
  private readonly counter: TallyCounter | null;
  private timer: unknown;
  private stopped = false;
  private written = 0;
  private lost = 0;
  private failedWrites = 0;
  /** Consecutive failed writes. */
  failures = 0;

  constructor(private readonly o: TallyWriterOptions) {
    this.counter = o.store.writeTallies === undefined ? null : new TallyCounter();
  }

  /** The hot path: one comparison at `ms`. Never throws. */
  add(route: string, outcome: ComparisonOutcome, ms: number): void {
    if (this.counter === null || this.stopped) return;
    this.counter.add(route, outcome, ms);
    if (this.timer === undefined) this.arm();
  }

  get pending(): boolean {
    return this.counter !== null && this.counter.size > 0;
  }

  private arm(): void {
    if (this.stopped || this.timer !== undefined || !this.pending) return;
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = undefined;
      void this.o
        .exclusive(() => this.write(this.o.now()))
        .catch(() => undefined)
        .finally(() => this.arm());
    }, this.o.everyMs);
    (this.timer as { unref?: () => void } | null)?.unref?.();
  }

  /** Writes the minutes ended by `endedBy` (ms); false when the store failed and the counts were kept. */
  async write(endedBy: number): Promise<boolean> {
    const counter = this.counter;
    if (counter === null) return true;
    const batch = counter.take(endedBy);
    if (batch.length === 0) return true;
    try {
      await this.o.store.writeTallies?.(batch);
    } catch (err) {
      if (this.o.abandoned()) return true;
      this.failedWrites += 1;
      if (isFicusError(err) && !err.retriable) {
        this.o.log.error({ err: err.message, code: err.code, tallies: batch.length }, 'diff store refused comparison tallies; dropped');
        this.lost += comparisons(batch);
        return true;
      }
      this.failures += 1;
      counter.restore(batch);
      this.o.log.warn(
        { err: err instanceof Error ? err.message : String(err), tallies: batch.length, attempt: this.failures },
        'comparison tally write failed; will retry',
      );
      return false;
    }
    if (this.o.abandoned()) return true;
    this.failures = 0;
    this.written += comparisons(batch);
    return true;
  }

  /** Stops counting and the timer (close); `write` still writes what is pending. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** After stop: gives up on what is left. */
  abandon(): void {
    const left = this.counter?.take() ?? [];
    if (left.length > 0) this.o.log.warn({ comparisons: comparisons(left) }, 'diff writer closed with comparison tallies unwritten');
    this.lost += comparisons(left);
  }

  stats(): TallyWriterStats {
    const pending = this.counter === null ? 0 : comparisons(this.counter.peek());
    return { pending, written: this.written, dropped: this.lost + (this.counter?.dropped ?? 0), failedWrites: this.failedWrites };
  }
}
