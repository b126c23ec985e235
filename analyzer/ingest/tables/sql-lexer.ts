/**
 * A forgiving SQL tokenizer for the table scanner (sql.ts). It drops comments and the contents
 * of string literals (so `'select from x'` inside a query is inert), keeps quoted identifiers
 * (`"Orders"`, `` `orders` ``, `[Orders]`) unquoted, and turns every kind of bind parameter
 * (`?`, `$1`, `:name`, `@p`) and template hole into a `param` token. It never fails: unknown
 * characters become one-character punctuation.
 */

export type SqlTokenKind = 'word' | 'ident' | 'param' | 'string' | 'number' | 'punct';

export interface SqlToken {
  readonly kind: SqlTokenKind;
  /** Words as written; quoted identifiers unquoted; strings empty; punctuation the character. */
  readonly text: string;
  /** Upper-cased text for keyword comparison (words only; empty otherwise). */
  readonly up: string;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[\w$#\u0080-\uffff]/;
const DIGIT = /[0-9]/;

/** Index just past a quoted run opened at `i` (quote char `q`, doubled quote escapes). */
function skipQuoted(s: string, i: number, q: string, backslash: boolean): number {
  let j = i + 1;
  while (j < s.length) {
    const c = s[j];
    if (backslash && c === '\\') j += 2;
    else if (c === q) {
      if (s[j + 1] === q) j += 2;
      else return j + 1;
    } else j += 1;
  }
  return s.length;
}

export function tokenizeSql(s: string): SqlToken[] {
  const out: SqlToken[] = [];
  const push = (kind: SqlTokenKind, text: string): void => {
    out.push({ kind, text, up: kind === 'word' ? text.toUpperCase() : '' });
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    const next = s[i + 1];
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') {
      i += 1;
    } else if (c === '-' && next === '-') {
      const end = s.indexOf('\n', i);
      i = end < 0 ? s.length : end + 1;
    } else if (c === '/' && next === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 2;
    } else if (c === "'") {
      i = skipQuoted(s, i, "'", true);
      push('string', '');
    } else if (c === '"' || c === '`') {
      const end = skipQuoted(s, i, c, false);
      push('ident', s.slice(i + 1, end - 1).split(c + c).join(c));
      i = end;
    } else if (c === '[' && next !== undefined && WORD_START.test(next)) {
      const end = s.indexOf(']', i);
      if (end < 0) {
        push('punct', c);
        i += 1;
      } else {
        push('ident', s.slice(i + 1, end));
        i = end + 1;
      }
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(s.slice(i, i + 64));
      if (tag) {
        const end = s.indexOf(tag[0], i + tag[0].length);
        i = end < 0 ? s.length : end + tag[0].length;
        push('string', '');
      } else {
        let j = i + 1;
        while (j < s.length && DIGIT.test(s[j] as string)) j += 1;
        push(j > i + 1 ? 'param' : 'punct', s.slice(i, j > i + 1 ? j : i + 1));
        i = j > i + 1 ? j : i + 1;
      }
    } else if (c === '?') {
      push('param', '?');
      i += 1;
    } else if ((c === ':' || c === '@') && next !== undefined && WORD_START.test(next) && s[i - 1] !== ':') {
      let j = i + 1;
      while (j < s.length && WORD_PART.test(s[j] as string)) j += 1;
      push('param', s.slice(i, j));
      i = j;
    } else if (DIGIT.test(c)) {
      let j = i + 1;
      while (j < s.length && /[\w.]/.test(s[j] as string)) j += 1;
      push('number', s.slice(i, j));
      i = j;
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < s.length && WORD_PART.test(s[j] as string)) j += 1;
      // E'…' / N'…' / X'…' string prefixes: the prefix is not a word.
      if (s[j] === "'" && j === i + 1 && /[EeNnXxBbUu]/.test(c)) {
        i = j;
        continue;
      }
      push('word', s.slice(i, j));
      i = j;
    } else {
      push('punct', c);
      i += 1;
    }
  }
  return out;
}

/**
 * For each `(` token the index of its matching `)` (or the token count when unbalanced), and
 * -1 for every other token: lets the scanner skip a subquery or argument list in O(1).
 */
export function matchParens(tokens: readonly SqlToken[]): Int32Array {
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'punct') return;
    if (t.text === '(') stack.push(i);
    else if (t.text === ')') {
      const open = stack.pop();
      if (open !== undefined) match[open] = i;
    }
  });
  for (const open of stack) match[open] = tokens.length;
  return match;
}
