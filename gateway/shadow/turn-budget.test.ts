import { describe, expect, it } from 'vitest';
import { TurnBudget } from './turn-budget.js';

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
});
