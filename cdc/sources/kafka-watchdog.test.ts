import { describe, expect, it } from 'vitest';
import { createStallWatchdog } from './kafka-watchdog.js';

function fixture(stallMs = 1000) {
  let t = 0;
  const fired: number[] = [];
  const dog = createStallWatchdog({ stallMs, now: () => t, checkEveryMs: 0, onStall: (idle) => fired.push(idle) });
  return { dog, fired, advance: (ms: number) => (t += ms) };
}

describe('stall watchdog', () => {
  it('fires once a consumer with partitions and nothing in flight went a full period without activity', () => {
    const { dog, fired, advance } = fixture();
    dog.assigned(4);
    advance(999);
    expect(dog.check()).toBe(false);
    advance(1);
    expect(dog.check()).toBe(true);
    expect(fired).toEqual([1000]);
    // The replacement gets another full period before the next look fires.
    advance(500);
    expect(dog.check()).toBe(false);
  });

  it('never fires without partitions (an idle member of a larger group fetches nothing)', () => {
    const { dog, fired, advance } = fixture();
    dog.assigned(0);
    advance(60_000);
    expect(dog.check()).toBe(false);
    expect(fired).toEqual([]);
  });

  it('does not fire while a batch is in the handler (the sink may be retrying), and counts from its end', () => {
    const { dog, fired, advance } = fixture();
    dog.assigned(1);
    dog.begin();
    dog.begin();
    advance(30_000);
    dog.end();
    expect(dog.check()).toBe(false);
    dog.end();
    advance(999);
    expect(dog.check()).toBe(false);
    advance(1);
    expect(dog.check()).toBe(true);
    expect(fired).toHaveLength(1);
  });

  it('activity (fetches starting and ending) keeps it quiet', () => {
    const { dog, fired, advance } = fixture();
    dog.assigned(2);
    for (let i = 0; i < 100; i++) {
      advance(900);
      dog.activity();
      dog.check();
    }
    expect(fired).toEqual([]);
  });
});
