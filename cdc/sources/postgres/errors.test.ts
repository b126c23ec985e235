/** Which failures the Postgres source retries (reconnects) and which stop the pipeline. */
import { describe, expect, it } from 'vitest';
import { FicusError } from '../../../core/index.js';
import { isTransient, pgSourceError, PgSourceErrorCode } from './errors.js';

describe('isTransient', () => {
  it.each([
    ['a lost connection (08006)', Object.assign(new Error('lost'), { code: '08006' }), true],
    ['an administrator termination (57P01)', Object.assign(new Error('terminating connection'), { code: '57P01' }), true],
    ['a slot in use (55006)', Object.assign(new Error('active for PID 1'), { code: '55006' }), true],
    ['a refused socket', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), true],
    ['pg ending the connection', new Error('Connection terminated unexpectedly'), true],
    ['a retriable FicusError', pgSourceError(PgSourceErrorCode.CONNECT, 'the server ended the stream', { retriable: true }), true],
    ['a missing table', pgSourceError(PgSourceErrorCode.TABLE, 'no such table'), false],
    ['a syntax error (42601)', Object.assign(new Error('syntax'), { code: '42601' }), false],
    ['a protocol violation', new FicusError(PgSourceErrorCode.PROTOCOL, 'bad tag'), false],
  ])('%s → %s', (_name, err, expected) => {
    expect(isTransient(err)).toBe(expected);
  });

  it('gives bad options exit code 2', () => {
    expect(pgSourceError(PgSourceErrorCode.OPTIONS, 'x').exitCode).toBe(2);
    expect(pgSourceError(PgSourceErrorCode.SLOT, 'x').exitCode).toBe(1);
  });
});
