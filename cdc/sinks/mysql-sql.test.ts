import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../model.js';
import { parseSqlExpression } from '../transform/sql-expression.js';
import type { DeleteChange, UpsertChange } from '../transform/types.js';
import { mysqlPoolOptions, upsertSyntaxFor } from './mysql-connect.js';
import { checkKey, chunkSizes, deleteStatements, qualify, upsertStatements, type MysqlTableInfo } from './mysql-sql.js';

const event = {} as ChangeEvent;
const info: MysqlTableInfo = {
  table: 'db.t',
  columns: new Map(
    [
      ['id', 'int'],
      ['name', 'varchar'],
      ['at', 'datetime'],
      ['price', 'decimal'],
    ].map(([n, t]) => [n ?? '', { name: n ?? '', dataType: t ?? '' }]),
  ),
  uniqueKeys: [['id']],
};
const up = (id: number, columns: Record<string, UpsertChange['columns'][string]>): UpsertChange => ({
  kind: 'upsert',
  table: 't',
  key: ['id'],
  columns: { id: { value: id }, ...columns },
  unchanged: [],
  event,
});
const del = (id: number): DeleteChange => ({ kind: 'delete', table: 't', key: ['id'], keyValues: { id }, event });

describe('MySQL SQL', () => {
  it('quotes and qualifies: schema.table names database.table', () => {
    expect(qualify('items', 'svc')).toBe('`svc`.`items`');
    expect(qualify('shop.items', 'svc')).toBe('`shop`.`items`');
    expect(qualify('we`ird', 'svc')).toBe('`svc`.`we``ird`');
  });

  it('builds a multi-row upsert with VALUES() (MariaDB) or a row alias (MySQL 8.0.19+)', () => {
    const changes = [up(1, { name: { value: 'a' }, at: { value: '2024-05-01T10:00:00Z' } }), up(2, { name: { value: 'b' }, at: { value: null } })];
    const [values] = upsertStatements('`db`.`t`', info, changes, 'values');
    expect(values?.text).toBe(
      'INSERT INTO `db`.`t` (`at`, `id`, `name`) VALUES (?, ?, ?), (?, ?, ?) ON DUPLICATE KEY UPDATE `at` = VALUES(`at`), `name` = VALUES(`name`)',
    );
    expect(values?.values).toEqual(['2024-05-01 10:00:00', '1', 'a', null, '2', 'b']);
    const [alias] = upsertStatements('`db`.`t`', info, changes, 'alias');
    expect(alias?.text).toBe(
      'INSERT INTO `db`.`t` (`at`, `id`, `name`) VALUES (?, ?, ?), (?, ?, ?) AS ficus_new ON DUPLICATE KEY UPDATE `at` = ficus_new.`at`, `name` = ficus_new.`name`',
    );
  });

  it('passes the value once per use in an expression, none for a computed column', () => {
    const twice = parseSqlExpression("concat(value, '?', value)", { allowValue: true });
    const computed = parseSqlExpression('now()', { allowValue: false });
    const [s] = upsertStatements('`db`.`t`', info, [up(1, { name: { value: 'x', expr: twice }, at: { value: null, expr: computed, computed: true } })]);
    expect(s?.text.replace(/\s+/g, '')).toContain("VALUES((now()),?,(concat(?,'?',?)))");
    expect(s?.values).toEqual(['1', 'x', 'x']);
  });

  it('keeps a key-only upsert a no-op on conflict', () => {
    const [s] = upsertStatements('`db`.`t`', info, [up(1, {})]);
    expect(s?.text).toMatch(/ON DUPLICATE KEY UPDATE `id` = `id`$/);
  });

  it('deletes by key with IN, row constructors for composite keys', () => {
    const [one] = deleteStatements('`db`.`t`', info, [del(1), del(2)]);
    expect(one).toEqual({ text: 'DELETE FROM `db`.`t` WHERE `id` IN (?, ?)', values: ['1', '2'] });
    const two: DeleteChange = { kind: 'delete', table: 't', key: ['id', 'name'], keyValues: { id: 1, name: 'a' }, event };
    const [composite] = deleteStatements('`db`.`t`', info, [two, two]);
    expect(composite?.text).toBe('DELETE FROM `db`.`t` WHERE (`id`, `name`) IN ((?, ?), (?, ?))');
  });

  it('splits rows into power-of-two statements within the row and parameter limits', () => {
    expect(chunkSizes(1000, 512)).toEqual([512, 256, 128, 64, 32, 8]);
    expect(chunkSizes(5, 3)).toEqual([2, 2, 1]);
    expect(chunkSizes(0, 512)).toEqual([]);
    const many = Array.from({ length: 700 }, (_, i) => up(i, { name: { value: 'n' } }));
    expect(upsertStatements('`db`.`t`', info, many).map((s) => s.values.length / 2)).toEqual([512, 128, 32, 16, 8, 4]);
  });

  it('refuses a missing column and a key without a unique index (CDC_SINK_SCHEMA)', () => {
    expect(() => upsertStatements('`db`.`t`', info, [up(1, { nope: { value: 1 } })])).toThrow(expect.objectContaining({ code: 'CDC_SINK_SCHEMA' }));
    expect(() => checkKey(info, ['name'])).toThrow(expect.objectContaining({ code: 'CDC_SINK_SCHEMA' }));
    expect(() => checkKey({ ...info, uniqueKeys: [['name', 'id']] }, ['ID', 'Name'])).not.toThrow();
  });
});

describe('MySQL connection settings', () => {
  it('reads mysql:// and mariadb:// URLs, database required', () => {
    expect(mysqlPoolOptions('mysql://app:p%40ss@db.internal:3307/catalog')).toEqual({
      host: 'db.internal',
      port: 3307,
      user: 'app',
      password: 'p@ss',
      database: 'catalog',
    });
    expect(mysqlPoolOptions('mariadb://root@[::1]/svc')).toMatchObject({ host: '::1', port: 3306, database: 'svc' });
    for (const bad of ['mysql://root@h:3306', 'postgres://h/db', 'not a url', 'mysql://h/db?ssl=1']) {
      expect(() => mysqlPoolOptions(bad)).toThrow(expect.objectContaining({ code: 'CDC_SINK_OPTIONS' }));
    }
  });

  it('uses the row alias only on MySQL 8.0.19 and later', () => {
    expect(upsertSyntaxFor('10.11.6-MariaDB-0+deb12u1')).toBe('values');
    expect(upsertSyntaxFor('11.4.2-MariaDB')).toBe('values');
    expect(upsertSyntaxFor('8.0.18')).toBe('values');
    expect(upsertSyntaxFor('8.0.19')).toBe('alias');
    expect(upsertSyntaxFor('8.4.0')).toBe('alias');
    expect(upsertSyntaxFor('5.7.44-log')).toBe('values');
  });
});
