/**
 * Decoded CDC values as MySQL/MariaDB statement parameters, by the target column's type
 * (`DATA_TYPE` from information_schema):
 *
 * | value | column | parameter |
 * | --- | --- | --- |
 * | null | any | NULL |
 * | string | datetime, timestamp | ISO-8601 'YYYY-MM-DDTHH:MM:SS.fffffffff[Z|±hh:mm]' → 'YYYY-MM-DD HH:MM:SS.ffffff' (strict mode rejects the `T…Z` form); with a zone or `Z` the instant in UTC (the sink's session time_zone is +00:00), without one the wall-clock time as it is; fractions cut to microseconds |
 * | string | time | fractions cut to microseconds |
 * | string | other | as it is (MySQL converts; a value that does not fit is a data error) |
 * | number | bit | the number |
 * | number | other | its shortest decimal text (`String(n)`), so DECIMAL columns get exactly those digits, not a double's |
 * | boolean | char, text and enum types | 'true' / 'false' |
 * | boolean | other | 1 / 0 |
 * | Buffer | any | binary (BLOB) |
 * | array | set | 'a,b,c' (Debezium's EnumSet) |
 * | array, object | other | JSON text (Buffers inside as `{ "$base64": … }`) |
 */
import { parseZoned, formatLocalTimestamp } from '../events/temporal.js';
import { UNAVAILABLE, type CdcValue } from '../model.js';

/** What a parameter may be: mysql2 sends strings as VAR_STRING, numbers as DOUBLE, Buffers as BLOB. */
export type MysqlParam = string | number | Buffer | null;

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum']);
const DATETIME_TYPES = new Set(['datetime', 'timestamp']);

const LOCAL = /^([+-]?\d{4,6}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d{1,9}))?$/;
const WITH_ZONE = /(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/i;
const TIME = /^(-?\d{2,3}:\d{2}:\d{2})[.,](\d{1,9})$/;

function withMicros(dateTime: string, fraction: string | undefined): string {
  return fraction ? `${dateTime}.${fraction.slice(0, 6)}` : dateTime;
}

/**
 * An ISO-8601 timestamp as MySQL DATETIME text; undefined when the text is not ISO-8601 (it
 * is then sent as it is, and MySQL decides).
 *
 * @example
 *   mysqlDateTime('2024-05-01T10:15:30.123456789Z')      // '2024-05-01 10:15:30.123456'
 *   mysqlDateTime('2024-05-01T12:15:30+02:00')           // '2024-05-01 10:15:30'
 *   mysqlDateTime('2024-05-01T10:15:30.5')               // '2024-05-01 10:15:30.5' (no zone: wall clock)
 */
export function mysqlDateTime(text: string): string | undefined {
  const local = LOCAL.exec(text);
  if (local) return withMicros(`${local[1] ?? ''} ${local[2] ?? ''}`, local[3]);
  // An offset after a time (the date's own '-' never matches: a zone needs the time before it).
  if (!/[T ]\d{2}:\d{2}/.test(text) || !WITH_ZONE.test(text)) return undefined;
  const ns = parseZoned(text);
  if (ns === undefined) return undefined;
  const utc = LOCAL.exec(formatLocalTimestamp(ns));
  if (!utc) return undefined;
  const fraction = (utc[3] ?? '').replace(/0+$/, '');
  return withMicros(`${utc[1] ?? ''} ${utc[2] ?? ''}`, fraction === '' ? undefined : fraction);
}

function jsonSafe(v: CdcValue): unknown {
  if (v === UNAVAILABLE) return '__debezium_unavailable_value';
  if (Buffer.isBuffer(v)) return { $base64: v.toString('base64') };
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}

/** JSON text for dead letters: the unavailable placeholder as Debezium writes it, Buffers as base64. */
export function jsonText(v: unknown): string {
  return (
    JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === 'symbol') return '__debezium_unavailable_value';
      if (typeof x === 'bigint') return x.toString();
      return x;
    }) ?? 'null'
  );
}

/** A decoded value as a parameter for a column whose information_schema DATA_TYPE is `dataType`. */
export function mysqlParam(v: Exclude<CdcValue, symbol>, dataType: string): MysqlParam {
  const type = dataType.toLowerCase();
  if (v === null) return null;
  if (typeof v === 'string') {
    if (DATETIME_TYPES.has(type)) return mysqlDateTime(v) ?? v;
    if (type === 'time') {
      const m = TIME.exec(v);
      return m ? `${m[1] ?? ''}.${(m[2] ?? '').slice(0, 6)}` : v;
    }
    return v;
  }
  if (typeof v === 'number') return type === 'bit' ? v : String(v);
  if (typeof v === 'boolean') return TEXT_TYPES.has(type) ? String(v) : v ? 1 : 0;
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v) && type === 'set') return v.map((x) => (typeof x === 'string' ? x : jsonText(x))).join(',');
  return JSON.stringify(jsonSafe(v));
}
