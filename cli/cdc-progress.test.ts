import { describe, expect, it } from 'vitest';
import { createPipelineMetrics } from '../cdc/index.js';
import { catchUpProgress, type CatchUpBar } from './cdc-progress.js';

interface Drawn {
  started: number;
  stopped: number;
  total: number;
  value: number;
  payload: Record<string, string>;
}

function fakeBar(drawn: Drawn): () => CatchUpBar {
  return () => ({
    start(total, value, payload) {
      drawn.started++;
      Object.assign(drawn, { total, value, payload });
    },
    update(value, payload) {
      Object.assign(drawn, { value, payload });
    },
    setTotal(total) {
      drawn.total = total;
    },
    stop() {
      drawn.stopped++;
    },
  });
}

function setup(interactive = true) {
  const metrics = createPipelineMetrics();
  const drawn: Drawn = { started: 0, stopped: 0, total: 0, value: 0, payload: {} };
  let clock = 0;
  const progress = catchUpProgress({ io: { interactive }, metrics, everyMs: 0, bar: fakeBar(drawn), now: () => clock, showAbove: 1000, hideBelow: 100 });
  const lag = (p0: number, p1: number) => {
    metrics.kafkaLag.set({ topic: 't', partition: '0' }, p0);
    metrics.kafkaLag.set({ topic: 't', partition: '1' }, p1);
  };
  const applied = (n: number) => metrics.messages.inc({ outcome: 'change' }, n);
  const advance = (ms: number) => (clock += ms);
  return { progress, drawn, lag, applied, advance };
}

describe('catch-up progress for ficus cdc run', () => {
  it('stays quiet while the pipeline keeps up', async () => {
    const s = setup();
    s.lag(100, 200);
    await s.progress.tick();
    expect(s.drawn.started).toBe(0);
  });

  it('shows the backlog while far behind, with rate and ETA, and clears it once caught up', async () => {
    const s = setup();
    s.applied(500); // before the catch-up: not counted
    s.lag(3000, 1000);
    await s.progress.tick();
    expect(s.drawn).toMatchObject({ started: 1, total: 4000, value: 0 });

    s.advance(1000);
    s.applied(2000);
    s.lag(1500, 500);
    await s.progress.tick();
    expect(s.drawn).toMatchObject({ total: 4000, value: 2000 });
    expect(s.drawn.payload).toMatchObject({ lag: '2,000', rate: '2,000', eta: '1s' });

    s.advance(1000);
    s.applied(1950);
    s.lag(30, 20);
    await s.progress.tick();
    expect(s.drawn.stopped).toBe(1);

    s.lag(0, 0);
    await s.progress.tick();
    expect(s.drawn).toMatchObject({ started: 1, stopped: 1 });
  });

  it('counts new messages into the total when the backlog grows', async () => {
    const s = setup();
    s.lag(5000, 0);
    await s.progress.tick();
    s.advance(500);
    s.applied(1000);
    s.lag(6000, 0);
    await s.progress.tick();
    expect(s.drawn).toMatchObject({ total: 7000, value: 1000 });
  });

  it('does nothing when stderr is not a terminal', async () => {
    const s = setup(false);
    s.lag(50_000, 50_000);
    await s.progress.tick();
    expect(s.drawn.started).toBe(0);
  });

  it('clears the bar on stop', async () => {
    const s = setup();
    s.lag(5000, 0);
    await s.progress.tick();
    s.progress.stop();
    expect(s.drawn.stopped).toBe(1);
    s.lag(9000, 0);
    await s.progress.tick();
    expect(s.drawn.started).toBe(1);
  });
});
