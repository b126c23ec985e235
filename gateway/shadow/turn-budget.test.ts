import { describe, expect, it } from 'vitest';
import { SHARE_BURST_MS, TurnBudget } from './turn-budget.js';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('TurnBudget', () => {
  function harness(budgetMs: number) {
    let now = 0;
    const budget = new TurnBudget(budgetMs, () => now);
    const done: string[] = [];
    /** One piece of work costing `ms` of the fake clock. */
    const work = async (name: string, ms: number): Promise<void> => {
      const wait = budget.enter();
      if (wait !== null) await wait;
      now += ms;
      done.push(name);
      budget.leave();
    };
    return { budget, done, work };
  }

  it('runs work at once while the turn is under budget', async () => {
    const { done, work } = harness(1);
    void work('a', 0.3);
    void work('b', 0.3);
    expect(done).toEqual(['a', 'b']);
  });

  it('defers work past the budget to later turns, a budget of it per turn, in arrival order', async () => {
    const { budget, done, work } = harness(1);
    void work('a', 2); // spends the whole turn
    for (const name of ['b', 'c', 'd', 'e']) void work(name, 0.6);
    expect(done).toEqual(['a']);
    expect(budget.queued).toBe(4);
    await nextTurn();
    // b (0.6) fits; c starts under budget (0.6 < 1) and takes the turn to 1.2; d and e wait.
    expect(done).toEqual(['a', 'b', 'c']);
    await nextTurn();
    expect(done).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(budget.queued).toBe(0);
  });

  it('keeps arrival order: new work queues behind waiting work even when the new turn has budget', async () => {
    const { done, work } = harness(1);
    void work('a', 5);
    void work('b', 5);
    await nextTurn();
    expect(done).toEqual(['a', 'b']);
    void work('c', 0.1); // this turn is spent by b
    await Promise.resolve();
    expect(done).toEqual(['a', 'b']);
    await nextTurn();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('gives a new budget every turn, so steady light work is never deferred', async () => {
    const { budget, done, work } = harness(1);
    for (let turn = 0; turn < 5; turn++) {
      void work(`w${turn}`, 0.9);
      expect(budget.queued).toBe(0);
      await nextTurn();
    }
    expect(done).toHaveLength(5);
  });

  describe('long-run share', () => {
    /** Offers a piece of work costing `costMs` every `gapMs` of the fake clock for `ms`; returns how many ran. */
    function offer(budget: TurnBudget, clock: { now: number }, o: { costMs: number; gapMs: number; ms: number }): number {
      let ran = 0;
      for (const end = clock.now + o.ms; clock.now < end;) {
        if (!budget.overShare()) {
          expect(budget.enter()).toBeNull(); // no turn budget to speak of: only the share decides
          clock.now += o.costMs;
          budget.leave();
          ran++;
        }
        clock.now += o.gapMs;
      }
      return ran;
    }

    it('lets work that stays under its share run whole', () => {
      const clock = { now: 0 };
      const budget = new TurnBudget(Number.POSITIVE_INFINITY, () => clock.now);
      budget.share = 0.25;
      // 0.1 ms of work per 1 ms: a tenth of the time.
      expect(offer(budget, clock, { costMs: 0.1, gapMs: 0.9, ms: 10_000 })).toBe(10_000);
    });

    it('drops work past its share: over time it takes the share and no more', () => {
      const clock = { now: 0 };
      const budget = new TurnBudget(Number.POSITIVE_INFINITY, () => clock.now);
      budget.share = 0.25;
      // Offered: 0.1 ms of work every 0.05 ms of gaps (two thirds of the time); allowed a quarter.
      const ms = 60_000;
      const ran = offer(budget, clock, { costMs: 0.1, gapMs: 0.05, ms });
      const workMs = ran * 0.1;
      expect(workMs).toBeLessThanOrEqual(0.25 * clock.now + SHARE_BURST_MS);
      expect(workMs).toBeGreaterThan(0.23 * clock.now);
    });

    it('a share of 1 never drops', () => {
      const clock = { now: 0 };
      const budget = new TurnBudget(Number.POSITIVE_INFINITY, () => clock.now);
      budget.share = 1;
      expect(offer(budget, clock, { costMs: 1, gapMs: 0, ms: 5_000 })).toBe(5_000);
    });
  });
});
