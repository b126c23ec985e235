/**
 * Reading fields out of an already-decoded Debezium payload (a CdcValue tree), each with the
 * path it came from so a wrong shape is reported where it is.
 */
import type { CdcValue, Row } from '../model.js';
import { CdcErrorCode } from '../errors.js';
import { expected } from './problem.js';

export type Fields = { readonly [k: string]: CdcValue };

export function isRecord(v: CdcValue | undefined): v is Fields {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** A row image (`before`, `after`, key): an object or null. */
export function row(v: CdcValue | undefined, path: string): Row | null {
  if (v === null || v === undefined) return null;
  if (!isRecord(v)) expected(path, 'a row (JSON object) or null', v, CdcErrorCode.DECODE_ENVELOPE);
  return v;
}

export function optionalString(v: CdcValue | undefined, path: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') expected(path, 'a string or null', v, CdcErrorCode.DECODE_ENVELOPE);
  return v;
}

/** An epoch count (ms) or similar: numbers, or exact strings beyond 2^53 read as numbers. */
export function optionalNumber(v: CdcValue | undefined, path: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  return expected(path, 'a number or null', v, CdcErrorCode.DECODE_ENVELOPE);
}
