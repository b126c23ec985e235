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

/** Text that may hold a number a double cannot keep exactly: 16+ digits in a row, or an exponent. */
const RISKY_NUMBER = /[0-9]{16}|[0-9.][eE][+-]?[0-9]/;

function wrapNumber(_key: string, value: unknown): unknown {
  return typeof value === 'number' ? new LosslessNumber(String(value)) : value;
}

/** Parses JSON text keeping numbers as LosslessNumber; a syntax error becomes a DecodeProblem at `path`. */
export function parseJson(text: string, path: string): unknown {
  if (nestsDeeperThan(text, MAX_NESTING)) {
    throw new DecodeProblem(CdcErrorCode.DECODE_JSON, path, `expected JSON nested at most ${MAX_NESTING} levels deep, got deeper`);
  }
  try {
    // Fast path: when no number in the text can lose precision as a double (no run of 16 digits,
    // no exponent), the native parser gives the same values; numbers are wrapped as the lossless
    // parser would wrap them. A repeated key keeps its last value in both, as Jackson does.
    if (!RISKY_NUMBER.test(text)) return JSON.parse(text, wrapNumber) as unknown;
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
