/** Delivery: batching, several batches in flight, commits reported in order, backpressure, failure. */
import { describe, expect, it } from 'vitest';
import type { DecodedMessage, Position } from '../../model.js';
import type { DecodedBatch, SourceBatch } from '../types.js';
import { createDelivery } from './delivery.js';

const mark = (n: number): DecodedMessage => ({ kind: 'heartbeat', position: { kind: 'postgres', lsn: `0/${n.toString(16)}` } });

function harness(batchSize: number, maxBacklog: number) {
  const calls: { batch: DecodedBatch; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const committed: Position[] = [];
  const failed: unknown[] = [];
  const d = createDelivery({
    handler: (batch: SourceBatch | DecodedBatch) => new Promise<void>((resolve, reject) => calls.push({ batch: batch as DecodedBatch, resolve, reject })),
    batchSize,
    maxBacklog,
    onCommitted: (p) => committed.push(p),
    onFailed: (e) => failed.push(e),
  });
  return { d, calls, committed, failed };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('createDelivery', () => {
  it('hands over full batches at once and the rest on flush', () => {
    const { d, calls } = harness(2, 100);
    [1, 2, 3].forEach((n) => d.push(mark(n)));
    expect(calls.map((c) => c.batch.decoded.length)).toEqual([2]);
    d.flush();
    expect(calls.map((c) => c.batch.decoded.length)).toEqual([2, 1]);
    expect(d.backlog).toBe(3);
    expect(d.lastDelivered).toEqual({ kind: 'postgres', lsn: '0/3' });
  });

  it('reports commits in stream order, whatever order the handler settles in', async () => {
    const { d, calls, committed } = harness(1, 100);
    [1, 2, 3].forEach((n) => d.push(mark(n)));
    calls[1]?.resolve();
    await tick();
    expect(committed).toEqual([]);
    calls[0]?.resolve();
    await tick();
    expect(committed.map((p) => (p.kind === 'postgres' ? p.lsn : ''))).toEqual(['0/2']);
    const drained = d.drain();
    calls[2]?.resolve();
    await drained;
    expect(committed.map((p) => (p.kind === 'postgres' ? p.lsn : ''))).toEqual(['0/2', '0/3']);
    expect(d.backlog).toBe(0);
  });

  it('is full at maxBacklog and wakes the producer when commits make room', async () => {
    const { d, calls } = harness(2, 4);
    [1, 2, 3, 4].forEach((n) => d.push(mark(n)));
    expect(d.full).toBe(true);
    let woke = false;
    void d.whenRoom().then(() => (woke = true));
    await tick();
    expect(woke).toBe(false);
    calls[0]?.resolve();
    await tick();
    expect(woke).toBe(true);
    expect(d.full).toBe(false);
  });

  it('after a failed batch rejects drain, stops handing over and reports the failure', async () => {
    const { d, calls, failed } = harness(1, 100);
    d.push(mark(1));
    const boom = new Error('sink down');
    calls[0]?.reject(boom);
    await tick();
    expect(d.failed).toBe(true);
    expect(failed).toEqual([boom]);
    d.push(mark(2));
    d.flush();
    expect(calls).toHaveLength(1);
    await expect(d.drain()).rejects.toBe(boom);
  });
});
