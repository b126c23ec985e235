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

/** Parses JSON text keeping numbers as LosslessNumber; a syntax error becomes a DecodeProblem at `path`. */
export function parseJson(text: string, path: string): unknown {
  try {
    // A repeated key keeps its last value, as JSON.parse and Jackson do.
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
    for (const [k, v] of Object.entries(value)) out[k] = inferValue(v, placeholders);
    return out;
  }
  return null;
}
