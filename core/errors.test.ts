import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FicusError, isFicusError } from './errors.js';
import { createLogger } from './logger.js';
import { redactUrl } from './secrets.js';

describe('FicusError', () => {
  it('carries code, cause, retriable flag and exit code', () => {
    const cause = new Error('ECONNRESET');
    const err = new FicusError('CDC_SINK_WRITE', 'write failed', { cause, retriable: true });
    expect(err.code).toBe('CDC_SINK_WRITE');
    expect(err.cause).toBe(cause);
    expect(err.retriable).toBe(true);
    expect(err.exitCode).toBe(1);
    expect(isFicusError(err)).toBe(true);
    expect(isFicusError(cause)).toBe(false);
  });
});

describe('createLogger', () => {
  it('redacts authorization headers, cookies and passwords', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ destination: sink });
    log.info({ req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'json' } }, db: { password: 'pw' } }, 'hello');
    const rec = JSON.parse(lines[0] ?? '{}') as { req: { headers: Record<string, string> }; db: { password: string } };
    expect(rec.req.headers.authorization).toBe('[redacted]');
    expect(rec.req.headers.cookie).toBe('[redacted]');
    expect(rec.req.headers.accept).toBe('json');
    expect(rec.db.password).toBe('[redacted]');
  });
});

describe('redactUrl', () => {
  it('masks the password in a connection URL', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/shop')).toBe('postgres://app:***@db:5432/shop');
    expect(redactUrl('http://127.0.0.1:3000/x')).toBe('http://127.0.0.1:3000/x');
  });
});
