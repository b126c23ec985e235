/**
 * Lossless JSON parsing of Kafka keys and values. Every JSON number is kept as its exact text
 * (lossless-json's LosslessNumber) until its field schema says what it is, so an int64 beyond
 * 2^53 or a numeric with many digits is never rounded through a double on the way.
 */
import { isLosslessNumber, isSafeNumber, LosslessNumber, parse, parseLosslessNumber } from 'lossless-json';
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

/** True when `text` nests arrays/objects deeper than `max` (one scan; strings skipped). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Largest integer a double holds exactly, as text (16 digits). */
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/**
 * True when the text may hold a number a double cannot keep exactly: a run of 17+ digits, 16
 * digits after a point, 16 digits above 2^53 − 1, or an exponent. Digits inside strings count
 * too (the lossless parser then runs: slower, never wrong). Debezium's MicroTimestamps (16 digits,
 * below 2^53) stay on the fast path.
 */
export function mayLosePrecision(text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) {
      if ((c === 0x65 || c === 0x45) && i > 0) {
        const p = text.charCodeAt(i - 1);
        const q = text.charCodeAt(i + 1);
        if (((p >= 0x30 && p <= 0x39) || p === 0x2e) && ((q >= 0x30 && q <= 0x39) || q === 0x2b || q === 0x2d)) return true;
      }
      continue;
    }
    let j = i;
    while (j < n && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x39) j++;
    const len = j - i;
    if (len >= 17) return true;
    if (len === 16 && (text.charCodeAt(i - 1) === 0x2e || text.slice(i, j) > MAX_SAFE)) return true;
    i = j - 1;
  }
  return false;
}

/**
 * Numbers of a native parse wrapped as the lossless parser wraps them, in place (a walk is ~3×
 * faster than a JSON.parse reviver). A `__proto__` member is an own property of a parsed object
 * and is redefined as one, never assigned (which would set the prototype).
 */
function wrapNumbers(value: unknown): unknown {
  if (typeof value === 'number') return new LosslessNumber(String(value));
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x === 'number' || (x !== null && typeof x === 'object')) value[i] = wrapNumbers(x);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const x = obj[k];
    if (typeof x === 'number' || (x !== null && typeof x === 'object')) {
      const w = wrapNumbers(x);
      if (k === '__proto__') Object.defineProperty(obj, k, { value: w, enumerable: true, writable: true, configurable: true });
      else obj[k] = w;
    }
  }
  return obj;
}

/** Parses JSON text keeping numbers as LosslessNumber; a syntax error becomes a DecodeProblem at `path`. */
export function parseJson(text: string, path: string): unknown {
  if (nestsDeeperThan(text, MAX_NESTING)) {
    throw new DecodeProblem(CdcErrorCode.DECODE_JSON, path, `expected JSON nested at most ${MAX_NESTING} levels deep, got deeper`);
  }
  try {
    // Fast path: when no number in the text can lose precision as a double (mayLosePrecision),
    // the native parser gives the same values; numbers are wrapped as the lossless
    // parser would wrap them. A repeated key keeps its last value in both, as Jackson does.
    if (!mayLosePrecision(text)) return wrapNumbers(JSON.parse(text));
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
