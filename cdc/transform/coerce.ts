/**
 * Type coercions a mapping asks for (`columns.<c>: { type }`), done in JS on decoded values so
 * a value that cannot be converted is caught per event (and dead-lettered) rather than failing
 * a whole batch. Exact decimals stay strings; timestamps become ISO-8601, dates YYYY-MM-DD.
 */
import { UNAVAILABLE, type CdcValue } from '../model.js';
import type { CoerceType } from '../config/schema.js';
import { MapErrorCode, mapError } from './errors.js';

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TRUE_WORDS: ReadonlySet<string> = new Set(['true', 't', '1', 'yes', 'y', 'on']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['false', 'f', '0', 'no', 'n', 'off']);

function bad(value: CdcValue, type: CoerceType, column: string): never {
  const shown = typeof value === 'symbol' ? 'unavailable' : Buffer.isBuffer(value) ? 'bytes' : JSON.stringify(value);
  throw mapError(MapErrorCode.COERCE, `column ${column}: ${shown} cannot be converted to ${type}`, { column, type });
}

/** Converts `value` to `type`; null stays null. Throws CDC_MAP_COERCE. */
export function coerce(value: CdcValue, type: CoerceType, column: string): CdcValue {
  if (value === null || value === UNAVAILABLE) return value;
  switch (type) {
    case 'text':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      if (Buffer.isBuffer(value)) return value.toString('utf8');
      return JSON.stringify(value);
    case 'integer': {
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (typeof value === 'string') {
        const s = value.trim();
        if (INTEGER.test(s)) return s;
      }
      if (typeof value === 'boolean') return value ? 1 : 0;
      return bad(value, type, column);
    }
    case 'numeric': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string') {
        const s = value.trim();
        if (DECIMAL.test(s)) return s;
      }
      return bad(value, type, column);
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 1 || value === 0) return value === 1;
      if (typeof value === 'string') {
        const s = value.trim().toLowerCase();
        if (TRUE_WORDS.has(s)) return true;
        if (FALSE_WORDS.has(s)) return false;
      }
      return bad(value, type, column);
    }
    case 'timestamptz': {
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return value;
      return bad(value, type, column);
    }
    case 'date': {
      if (typeof value === 'string' && DATE.test(value)) return value;
      if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString().slice(0, 10);
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString().slice(0, 10);
      return bad(value, type, column);
    }
    case 'jsonb': {
      if (typeof value === 'string') {
        try {
          return JSON.parse(value) as CdcValue;
        } catch {
          return bad(value, type, column);
        }
      }
      if (Buffer.isBuffer(value)) return bad(value, type, column);
      return value;
    }
  }
}
