import { describe, expect, it } from 'vitest';
import { UNAVAILABLE } from '../model.js';
import { jsonText, mysqlDateTime, mysqlParam } from './mysql-values.js';

describe('mysqlDateTime', () => {
  it('turns ISO-8601 into DATETIME text: instants in UTC, wall-clock times as they are, microseconds at most', () => {
    expect(mysqlDateTime('2024-05-01T10:15:30.123456789Z')).toBe('2024-05-01 10:15:30.123456');
    expect(mysqlDateTime('2024-05-01T12:15:30+02:00')).toBe('2024-05-01 10:15:30');
    expect(mysqlDateTime('2024-01-01T00:30:00.25-01:00')).toBe('2024-01-01 01:30:00.25');
    expect(mysqlDateTime('2024-05-01T10:15:30.5')).toBe('2024-05-01 10:15:30.5');
    expect(mysqlDateTime('2024-05-01 10:15:30')).toBe('2024-05-01 10:15:30');
    expect(mysqlDateTime('2024-05-01')).toBeUndefined();
    expect(mysqlDateTime('yesterday')).toBeUndefined();
  });
});

describe('mysqlParam', () => {
  it('maps decoded values by column type', () => {
    expect(mysqlParam('2024-05-01T10:15:30Z', 'timestamp')).toBe('2024-05-01 10:15:30');
    expect(mysqlParam('2024-05-01T10:15:30Z', 'varchar')).toBe('2024-05-01T10:15:30Z');
    expect(mysqlParam('10:00:00.123456789', 'time')).toBe('10:00:00.123456');
    expect(mysqlParam(0.1, 'decimal')).toBe('0.1');
    expect(mysqlParam(5, 'bit')).toBe(5);
    expect(mysqlParam(true, 'tinyint')).toBe(1);
    expect(mysqlParam(false, 'varchar')).toBe('false');
    expect(mysqlParam(['a', 'b'], 'set')).toBe('a,b');
    expect(mysqlParam({ a: [1, Buffer.from('hi')] }, 'json')).toBe('{"a":[1,{"$base64":"aGk="}]}');
    expect(Buffer.isBuffer(mysqlParam(Buffer.from([1, 2]), 'blob'))).toBe(true);
    expect(mysqlParam(null, 'int')).toBeNull();
  });

  it('writes dead-letter JSON with the unavailable placeholder as Debezium spells it', () => {
    expect(JSON.parse(jsonText({ body: UNAVAILABLE, n: 1 }))).toEqual({ body: '__debezium_unavailable_value', n: 1 });
  });
});
