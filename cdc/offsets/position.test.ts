import { describe, expect, it } from 'vitest';
import { lsnToBigInt, positionsToStore } from './position.js';

describe('positionsToStore', () => {
  it('keeps the next offset per topic/partition, the furthest LSN for postgres', () => {
    const out = positionsToStore([
      { kind: 'kafka', topic: 'a', partition: 0, offset: '9' },
      { kind: 'kafka', topic: 'a', partition: 0, offset: '10' },
      { kind: 'kafka', topic: 'a', partition: 0, offset: '2' },
      { kind: 'kafka', topic: 'a', partition: 1, offset: '9007199254740993' },
      { kind: 'postgres', lsn: '0/FF' },
      { kind: 'postgres', lsn: '1/0' },
    ]);
    expect(out.get('kafka:a:0')).toMatchObject({ offset: '11' });
    expect(out.get('kafka:a:1')).toMatchObject({ offset: '9007199254740994' });
    expect(out.get('postgres')).toMatchObject({ lsn: '1/0' });
  });

  it('orders LSNs numerically', () => {
    expect(lsnToBigInt('16/B374D848') > lsnToBigInt('9/FFFFFFFF')).toBe(true);
  });
});
