import { describe, expect, it } from 'vitest';
import { parseSqlExpression } from './sql-expression.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('parseSqlExpression', () => {
  it('renders value as the given reference and re-quotes strings', () => {
    const e = parseSqlExpression('round(value / 100.0, 2)', { allowValue: true });
    expect(e.usesValue).toBe(true);
    expect(e.render('(u.c0::integer)')).toBe('round ( (u.c0::integer) / 100.0 , 2 )');
    expect(parseSqlExpression("coalesce(value, 'it''s')::text", { allowValue: true }).render('x')).toBe("coalesce ( x , 'it''s' ) :: text");
  });

  it('accepts casts, CASE and bare functions', () => {
    expect(code(() => parseSqlExpression('CASE WHEN value > 0 THEN value ELSE NULL END', { allowValue: true }))).toBeUndefined();
    expect(code(() => parseSqlExpression('CAST(value AS numeric)', { allowValue: true }))).toBeUndefined();
    expect(code(() => parseSqlExpression('current_timestamp', { allowValue: false }))).toBeUndefined();
    expect(parseSqlExpression('now()', { allowValue: false }).usesValue).toBe(false);
  });

  it.each([
    ['a subquery', '(select 1)'],
    ['a statement separator', 'value; drop table x'],
    ['a comment', 'value -- x'],
    ['a block comment', 'value /* x */'],
    ['a quoted identifier', '"other"'],
    ['a dollar quote', '$$x$$'],
    ['a parameter', '$1'],
    ['another column', 'price_cents + 1'],
    ['an unknown function', 'pg_sleep(10)'],
    ['a function name without a call', 'lower'],
    ['an unknown type', 'value::regclass'],
    ['unbalanced parentheses', 'round(value'],
    ['an unterminated string', "'abc"],
    ['a backslash in a string', "'a\\'"],
  ])('refuses %s', (_what, src) => {
    expect(code(() => parseSqlExpression(src, { allowValue: true }))).toBe('CDC_MAP_EXPRESSION');
  });

  it('refuses value in computed columns', () => {
    expect(code(() => parseSqlExpression('value + 1', { allowValue: false }))).toBe('CDC_MAP_EXPRESSION');
  });
});
