/**
 * The SQL expressions a mapping may contain (`columns.<c>.expr`, `computed.<c>`), checked
 * against a whitelisted subset before they reach Postgres: number and 'string' literals,
 * arithmetic/comparison/concatenation operators, parentheses, `::type` and CAST(… AS type)
 * with a fixed list of types, CASE/WHEN/THEN/ELSE/END, AND/OR/NOT/IS/NULL/IN/BETWEEN/LIKE,
 * a fixed list of functions, and the identifier `value` (the source column's value) where
 * allowed. Anything else — other identifiers, `;`, comments, quoted identifiers, `$` — is
 * refused, so an expression cannot read other tables or run statements. Values are never
 * spliced in: `render` replaces `value` by a reference to a parameter column.
 *
 * @example
 *   const e = parseSqlExpression('round(value / 100.0, 2)', { allowValue: true });
 *   e.render('u."c2"') // → 'round(u."c2" / 100.0, 2)'
 */
import { MapErrorCode, mapError } from './errors.js';

const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'null',
  'true',
  'false',
  'is',
  'distinct',
  'from',
  'case',
  'when',
  'then',
  'else',
  'end',
  'in',
  'between',
  'like',
  'ilike',
  'as',
  'interval',
  'at',
  'time',
  'zone',
  'epoch',
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
]);
export const SQL_FUNCTIONS = new Set([
  'now',
  'current_timestamp',
  'current_date',
  'lower',
  'upper',
  'trim',
  'btrim',
  'ltrim',
  'rtrim',
  'length',
  'substr',
  'substring',
  'replace',
  'concat',
  'concat_ws',
  'left',
  'right',
  'coalesce',
  'nullif',
  'greatest',
  'least',
  'round',
  'floor',
  'ceil',
  'abs',
  'trunc',
  'mod',
  'to_timestamp',
  'to_date',
  'to_char',
  'date_trunc',
  'extract',
  'md5',
  'gen_random_uuid',
  'jsonb_build_object',
  'to_jsonb',
  'split_part',
  'initcap',
]);
/** Functions SQL lets you call without parentheses. */
const BARE_FUNCTIONS = new Set(['current_timestamp', 'current_date']);
export const SQL_TYPES = new Set([
  'integer',
  'int',
  'int4',
  'bigint',
  'int8',
  'smallint',
  'int2',
  'numeric',
  'decimal',
  'real',
  'float4',
  'float8',
  'double',
  'precision',
  'text',
  'varchar',
  'char',
  'boolean',
  'bool',
  'timestamptz',
  'timestamp',
  'date',
  'time',
  'interval',
  'jsonb',
  'json',
  'uuid',
]);

type Token = { kind: 'ident' | 'number' | 'string' | 'op'; text: string };

const OPS = ['::', '<=', '>=', '<>', '!=', '||', '+', '-', '*', '/', '%', '=', '<', '>', '(', ')', ',', '[', ']'];

function tokenize(src: string, where: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw mapError(MapErrorCode.EXPRESSION, `${where}: ${why} at character ${i + 1} of "${src}"`, { expression: src });
  };
  while (i < src.length) {
    const ch = src.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (src.startsWith('--', i) || src.startsWith('/*', i)) fail('comments are not allowed');
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src.charAt(i + 1)))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(src.slice(i));
      out.push({ kind: 'number', text: m?.[0] ?? ch });
      i += m?.[0].length ?? 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const text = m?.[0] ?? ch;
      out.push({ kind: 'ident', text: text.toLowerCase() });
      i += text.length;
      continue;
    }
    if (ch === "'") {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= src.length) fail('unterminated string literal');
        const c = src.charAt(j);
        if (c === "'") {
          if (src.charAt(j + 1) === "'") {
            text += "'";
            j += 2;
            continue;
          }
          break;
        }
        if (c === '\\') fail('backslashes are not allowed in string literals');
        text += c;
        j++;
      }
      out.push({ kind: 'string', text });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) fail(`"${ch}" is not allowed (allowed: literals, operators ${OPS.join(' ')}, whitelisted functions and types${''})`);
    out.push({ kind: 'op', text: op as string });
    i += (op as string).length;
  }
  return out;
}

export interface SqlExpression {
  readonly source: string;
  /** True when the expression reads `value`. */
  readonly usesValue: boolean;
  /** The expression with `value` replaced by `valueRef`, every string literal re-quoted. */
  render(valueRef: string): string;
}

export interface SqlExpressionOptions {
  /** `value` may be used (column expressions) or not (computed columns). */
  allowValue: boolean;
  /** Where the expression is, for messages (`tables[0].columns.price_cents.expr`). */
  where?: string;
}

/** Checks an expression against the allowed subset; throws CDC_MAP_EXPRESSION naming what is wrong. */
export function parseSqlExpression(src: string, options: SqlExpressionOptions): SqlExpression {
  const where = options.where ?? 'expression';
  const tokens = tokenize(src, where);
  const fail = (why: string): never => {
    throw mapError(MapErrorCode.EXPRESSION, `${where}: ${why} in "${src}"`, { expression: src });
  };
  if (tokens.length === 0) fail('empty expression');
  let depth = 0;
  let usesValue = false;
  tokens.forEach((t, idx) => {
    const prev = tokens[idx - 1];
    const next = tokens[idx + 1];
    if (t.kind === 'op') {
      if (t.text === '(' || t.text === '[') depth++;
      if (t.text === ')' || t.text === ']') depth--;
      if (depth < 0) fail('unbalanced parentheses');
      return;
    }
    if (t.kind !== 'ident') return;
    const afterCast = prev?.kind === 'op' && prev.text === '::';
    const afterAs = prev?.kind === 'ident' && prev.text === 'as';
    if (afterCast || afterAs || (prev?.kind === 'ident' && SQL_TYPES.has(prev.text) && SQL_TYPES.has(t.text))) {
      if (!SQL_TYPES.has(t.text)) fail(`"${t.text}" is not an allowed type (allowed: ${[...SQL_TYPES].join(', ')})`);
      return;
    }
    if (t.text === 'value') {
      if (!options.allowValue) fail('"value" is only available in column expressions, not in computed columns');
      usesValue = true;
      return;
    }
    if (t.text === 'cast' && next?.text === '(') return;
    if (SQL_FUNCTIONS.has(t.text) && (next?.text === '(' || BARE_FUNCTIONS.has(t.text))) return;
    if (KEYWORDS.has(t.text)) return;
    fail(`"${t.text}" is not allowed (use value, literals, or one of the functions ${[...SQL_FUNCTIONS].join(', ')})`);
  });
  if (depth !== 0) fail('unbalanced parentheses');
  const render = (valueRef: string): string =>
    tokens
      .map((t) => {
        if (t.kind === 'string') return `'${t.text.replace(/'/g, "''")}'`;
        if (t.kind === 'ident' && t.text === 'value') return valueRef;
        return t.text;
      })
      .join(' ');
  return { source: src, usesValue, render };
}
