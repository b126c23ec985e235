import { describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import { classifyMysqlError, mysqlSinkError } from './mysql-errors.js';

const err = (fields: Record<string, unknown>): Error => Object.assign(new Error('x'), fields);

describe('classifyMysqlError', () => {
  it('retries deadlocks, lock waits, lost and refused connections, gone servers', () => {
    for (const e of [
      err({ errno: 1213, code: 'ER_LOCK_DEADLOCK', sqlState: '40001' }),
      err({ errno: 1205, code: 'ER_LOCK_WAIT_TIMEOUT', sqlState: 'HY000' }),
      err({ code: 'PROTOCOL_CONNECTION_LOST', fatal: true }),
      err({ code: 'ECONNRESET', errno: -104 }),
      err({ code: 'ECONNREFUSED', errno: -111 }),
      err({ errno: 2006 }),
      err({ errno: 2013 }),
      err({ errno: 1927, sqlState: '70100' }),
      err({ errno: 1053, sqlState: '08S01' }),
    ]) {
      expect(classifyMysqlError(e)).toBe('retriable');
    }
  });

  it('sends value errors to the dead letters, strict-mode HY000 ones included', () => {
    expect(classifyMysqlError(err({ errno: 1366, sqlState: 'HY000' }))).toBe('data');
    expect(classifyMysqlError(err({ errno: 1406, sqlState: '22001' }))).toBe('data');
    expect(classifyMysqlError(err({ errno: 1452, sqlState: '23000' }))).toBe('data');
    expect(classifyMysqlError(err({ errno: 9999, sqlState: '22999' }))).toBe('data');
  });

  it('stops on schema mismatches and access errors', () => {
    expect(classifyMysqlError(err({ errno: 1146, sqlState: '42S02' }))).toBe('schema');
    expect(classifyMysqlError(err({ errno: 1064, sqlState: '42000' }))).toBe('schema');
    expect(classifyMysqlError(err({ errno: 1045, sqlState: '28000', fatal: true }))).toBe('fatal');
    expect(classifyMysqlError(new FicusError('CDC_SINK_SCHEMA', 'x'))).toBe('schema');
  });

  it('wraps with the sink code, retriable flag and errno', () => {
    const e = mysqlSinkError(err({ errno: 1213, sqlState: '40001' }), 'applying');
    expect(e).toMatchObject({ code: 'CDC_SINK_RETRIABLE', retriable: true, details: { errno: 1213, sqlstate: '40001' } });
    expect(mysqlSinkError(err({ errno: 1064, sqlState: '42000' }), 'applying')).toMatchObject({ code: 'CDC_SINK_SCHEMA', retriable: false });
  });
});
