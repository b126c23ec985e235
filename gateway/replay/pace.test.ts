import { describe, expect, it } from 'vitest';
import { createPacer, type Clock } from './pace.js';

function fakeClock(): Clock & { t: number; slept: number[] } {
  const c = {
    t: 1000,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.t += ms;
    },
  };
  return c;
}

describe('createPacer', () => {
  it('spaces requests evenly at the rate', async () => {
    const clock = fakeClock();
    const pacer = createPacer(4, clock);
    const starts: number[] = [];
    for (let i = 0; i < 4; i++) {
      await pacer.wait();
      starts.push(clock.t);
    }
    expect(starts).toEqual([1000, 1250, 1500, 1750]);
  });

  it('does not bank time while idle into a burst', async () => {
    const clock = fakeClock();
    const pacer = createPacer(10, clock);
    await pacer.wait();
    clock.t += 5000;
    await pacer.wait();
    await pacer.wait();
    expect(clock.slept).toEqual([100]);
  });

  it('does not wait without a rate', async () => {
    const clock = fakeClock();
    const pacer = createPacer(undefined, clock);
    for (let i = 0; i < 5; i++) await pacer.wait();
    expect(clock.slept).toEqual([]);
  });
});
