/**
 * Lossless JSON parsing of Kafka keys and values. A JSON number a double cannot hold exactly is
 * kept as its exact text (lossless-json's LosslessNumber) until its field schema says what it
 * is, so an int64 beyond 2^53 or a numeric with many digits is never rounded on the way; the
 * others are plain numbers (their text is `String(n)`).
 */
import { isLosslessNumber, isSafeNumber, type LosslessNumber, parse, parseLosslessNumber } from 'lossless-json';
import { UNAVAILABLE, type CdcValue } from '../model.js';
import { CdcErrorCode } from '../errors.js';
import { DecodeProblem } from './problem.js';

/** Debezium's default `unavailable.value.placeholder`, for an unchanged TOASTed column. */
export const UNAVAILABLE_PLACEHOLDER = '__debezium_unavailable_value';
/** The same placeholder in a bytes column: the placeholder's UTF-8 bytes, base64 encoded. */
export const UNAVAILABLE_PLACEHOLDER_BASE64 = Buffer.from(UNAVAILABLE_PLACEHOLDER, 'utf8').toString('base64');

export type JsonObject = { readonly [k: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value) && !Buffer.isBuffer(value);
}

/**
 * Deepest nesting of arrays and objects `parseJson` takes. Decoding and printing recurse per
 * level, so deeper text (hostile, or a pathological Json column) is refused up front with a
 * reason instead of exhausting the stack.
 */
export const MAX_NESTING = 512;

/** Largest integer a double holds exactly, as text (16 digits). */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * True when the number token `text[start, end)` parses to a double whose shortest text is the
 * token itself, so the native parser keeps it exactly: an integer up to 2^53 − 1, or a
 * fraction with at most 15 significant digits (DBL_DIG), no trailing zero, above 1e-6 (below
 * it JavaScript prints an exponent). `-0`, exponents, `1.50`, 17-digit integers and a numeric
 * like 616771055.0853787 (16 digits: the double prints ...786) are not.
 */
function isExactToken(text: string, start: number, end: number): boolean {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  const intStart = i;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const intLen = i - intStart;
  if (i === end) {
    if (intLen === 1 && text.charCodeAt(intStart) === 0x30) return start === intStart; // 0 yes, -0 no
    return intLen < 16 || (intLen === 16 && text.slice(intStart, end) <= MAX_SAFE);
  }
  if (text.charCodeAt(i) !== 0x2e || text.charCodeAt(end - 1) === 0x30) return false; // an exponent, or 1.50
  const fracStart = i + 1;
  let j = fracStart;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  if (j !== end || j === fracStart) return false; // 1.5e3, 1.
  const intIsZero = intLen === 1 && text.charCodeAt(intStart) === 0x30;
  if (!intIsZero) return intLen + (end - fracStart) <= 15;
  let k = fracStart;
  while (text.charCodeAt(k) === 0x30) k++;
  return k - fracStart < 6 && end - k <= 15; // 0.0000001 prints as 1e-7
}

/**
 * The index of the `"` that closes the string opened at `text[open]` (text.length when none).
 * Strings are most of a Debezium payload's text, so they are skipped with the native indexOf;
 * a quote preceded by an odd run of backslashes is escaped and the search goes on.
 */
function stringEnd(text: string, open: number): number {
  let q = open;
  for (;;) {
    q = text.indexOf('"', q + 1);
    if (q < 0) return text.length;
    let b = q - 1;
    while (text.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q;
  }
}

/**
 * One pass over JSON text: whether it nests arrays/objects deeper than `maxDepth`, and whether
 * the native parser reads every number in it exactly (isExactToken). Strings are skipped.
 * Invalid text may be misjudged either way; the parser then refuses it.
 */
function scanJson(text: string, maxDepth: number): { readonly tooDeep: boolean; readonly exact: boolean } {
  let depth = 0;
  let exact = true;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { tooDeep: true, exact };
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (exact && (c === 0x2d || isDigit(c))) {
      let j = i + 1;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (!(isDigit(d) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d)) break;
      }
      exact = isExactToken(text, i, j);
      i = j - 1;
    }
  }
  return { tooDeep: false, exact };
}

/**
 * Parses JSON text keeping every number exact: as a native number when the double is exactly
 * the text (isExactToken), else as a LosslessNumber holding the text. A syntax error becomes a
 * DecodeProblem at `path`. `maxDepth` (default MAX_NESTING) bounds the nesting.
 */
export function parseJson(text: string, path: string, maxDepth = MAX_NESTING): unknown {
  const scan = scanJson(text, maxDepth);
  if (scan.tooDeep) {
    throw new DecodeProblem(CdcErrorCode.DECODE_JSON, path, `expected JSON nested at most ${MAX_NESTING} levels deep, got deeper`);
  }
  try {
    // When every number is exact as a double, the native parser gives the same values, and is
    // ~5× faster. A repeated key keeps its last value in both, as Jackson does; a `__proto__`
    // member is an own property in both.
    if (scan.exact) return JSON.parse(text);
    return parse(text, null, { parseNumber: parseLosslessNumber, onDuplicateKey: ({ newValue }) => newValue });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DecodeProblem(
      CdcErrorCode.DECODE_JSON,
      path,
      `expected JSON text (${reason}), got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}`,
    );
  }
}

/**
 * Sets `out[key]` as an own data member, `__proto__` included: a plain assignment of that key
 * would replace the object's prototype and lose the member (a column or a Json document may
 * well be named so).
 */
export function setMember<V>(out: Record<string, V>, key: string, value: V): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** An exact JSON number as a JS value: a number when a double holds it exactly, else its exact text. */
export function exactNumber(n: LosslessNumber): number | string {
  const text = n.toString();
  return isSafeNumber(text) ? Number(text) : text;
}

/**
 * A parsed JSON value as a CdcValue when no schema says more (schemaless converter, unknown
 * fields, `io.debezium.data.Json` content). Numbers as `exactNumber`; with `placeholders`, the
 * unavailable-value placeholder (text or base64 form) becomes UNAVAILABLE.
 */
export function inferValue(value: unknown, placeholders = true): CdcValue {
  if (value === null || value === undefined) return null;
  if (isLosslessNumber(value)) return exactNumber(value);
  if (typeof value === 'string') return placeholders && (value === UNAVAILABLE_PLACEHOLDER || value === UNAVAILABLE_PLACEHOLDER_BASE64) ? UNAVAILABLE : value;
  if (typeof value === 'boolean' || typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => inferValue(v, placeholders));
  if (isObject(value)) {
    const out: Record<string, CdcValue> = {};
    for (const [k, v] of Object.entries(value)) setMember(out, k, inferValue(v, placeholders));
    return out;
  }
  return null;
}
