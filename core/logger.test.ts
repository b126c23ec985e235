import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { childLogger, createLogger } from './logger.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, stream };
}

describe('childLogger', () => {
  it('adds only the bindings the logger does not have with that value, so no key prints twice', () => {
    const { lines, stream } = capture();
    const base = createLogger({ level: 'info', destination: stream, base: { part: 'cdc' } });
    childLogger(base, { part: 'cdc', component: 'verify' }).info('hello');
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line.match(/"part"/g)).toHaveLength(1);
    expect(JSON.parse(line)).toMatchObject({ part: 'cdc', component: 'verify', msg: 'hello' });
  });

  it('returns the same logger when nothing is new, and redacts secrets as the parent does', () => {
    const { lines, stream } = capture();
    const base = createLogger({ level: 'info', destination: stream, base: { part: 'gateway' } });
    expect(childLogger(base, { part: 'gateway' })).toBe(base);
    childLogger(base, { mod: 'admin' }).info({ headers: { authorization: 'Bearer s3cret' } }, 'request');
    expect(lines[0]).not.toContain('s3cret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ part: 'gateway', mod: 'admin', headers: { authorization: '[redacted]' } });
  });
});
