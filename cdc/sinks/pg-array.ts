/**
 * Postgres array literals in text input form (`{"a","b c",NULL}`), built here rather than by
 * the `pg` driver: the sink sends each column of a batch as one `text[]` parameter, and pg's
 * own serialisation (`arrayString`/`escapeElement`: two regex replaces and a concatenation per
 * element, plus a type check of every element) was the sink's largest CPU cost per event.
 *
 * Every text element is double-quoted, so none needs a decision about whitespace, commas,
 * braces, the empty string or the word NULL (array_in trims and splits only unquoted
 * elements); inside the quotes `"` and `\` are escaped with a backslash, the only characters
 * array_in treats specially there. Numbers and booleans go bare, unchecked: their text (digits,
 * signs, `.`, `e`, NaN, Infinity, true, false) never needs quotes. SQL NULL is the bare word
 * NULL. One-dimensional only, with the delimiter `,` (every type's but box's). Reference:
 * PostgreSQL docs, 8.15.6 "Array Input and Output Syntax".
 *
 * @example
 *   textArrayLiteral(['a', 'b "c"', null, '', 42, true]); // '{"a","b \"c\"",NULL,"",42,true}'
 *   await client.query('SELECT * FROM unnest($1::text[])', [textArrayLiteral(values)]);
 */

const SPECIAL = /["\\]/;
const SPECIAL_ALL = /["\\]/g;

/** One element, quoted for an array literal: `a"b` → `"a\"b"`. */
export function quoteArrayElement(s: string): string {
  return SPECIAL.test(s) ? `"${s.replace(SPECIAL_ALL, '\\$&')}"` : `"${s}"`;
}

/** An element's value: text, or a number or boolean, whose text (`String(v)`) is written bare — it never needs quotes. */
export type ArrayElement = string | number | boolean | null;

/** A one-dimensional array literal of text values; null elements are SQL NULL. */
export function textArrayLiteral(values: readonly ArrayElement[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string') parts[i] = quoteArrayElement(v);
    else if (v === null || v === undefined) parts[i] = 'NULL';
    else if (typeof v === 'boolean') parts[i] = v ? 'true' : 'false';
    else parts[i] = String(v);
  }
  return `{${parts.join(',')}}`;
}
