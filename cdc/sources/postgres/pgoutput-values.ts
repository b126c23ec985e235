/**
 * Column values of the built-in Postgres source: the text pgoutput (and the snapshot query)
 * sends, by type OID, to the same JS shapes the Debezium path decodes to (see
 * cdc/events/values.ts), so the two sources feed one mapping and one sink:
 *
 * | Postgres type | text (DateStyle ISO, TimeZone UTC) | JS value |
 * | --- | --- | --- |
 * | bool | t / f | boolean |
 * | int2, int4, oid, xid | 42 | number |
 * | int8 | 9007199254740993 | number when safe, else the exact decimal string |
 * | float4, float8 | 1.5, NaN, Infinity | number |
 * | numeric | 12.50 | exact decimal string, scale kept ('12.50'); NaN/Infinity as text |
 * | money (lc_monetary C) | $1,234.56 | exact decimal string ('1234.56') |
 * | date | 2024-05-01, 0044-03-15 BC | 'YYYY-MM-DD' (ISO years: 44 BC is -000043) |
 * | time | 10:15:30.5 | 'HH:MM:SS.ffffff' |
 * | timetz | 10:15:30+02 | 'HH:MM:SS.ffffffZ' in UTC (Debezium's ZonedTime) |
 * | timestamp | 2024-05-01 10:15:30.5 | 'YYYY-MM-DDTHH:MM:SS.ffffff', no zone (wall clock) |
 * | timestamptz | 2024-05-01 08:15:30.5+00 | 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (the instant in UTC) |
 * | interval (IntervalStyle iso_8601) | P1Y2M3DT4H5M6.5S | the ISO-8601 text (Debezium's interval.handling.mode=string) |
 * | json, jsonb | {"a":1} | the parsed value, numbers exact |
 * | bytea (hex) | \x0102 | Buffer |
 * | arrays | {1,2,NULL} | arrays of the element type's values (nested for more dimensions) |
 * | domains | | as their base type |
 * | uuid, text, varchar, char, enums, inet, … | | string |
 *
 * 'infinity' and '-infinity' dates and timestamps stay those strings.
 */
import { UNAVAILABLE, type CdcValue } from '../../model.js';
import { inferValue, parseJson } from '../../events/json.js';
import { exactInteger } from '../../events/numeric.js';
import { daysFromCivil, formatDate, formatInstant, formatLocalTimestamp, formatTimeOfDay } from '../../events/temporal.js';
import type { TupleValue } from './pgoutput.js';

export type TextDecoder = (text: string) => CdcValue;

/** What the catalog says about a type that is not built in. */
export interface TypeInfo {
  /** b base, d domain, e enum, c composite, r range, m multirange, p pseudo. */
  readonly typtype: string;
  readonly baseOid: number;
  readonly elemOid: number;
  /** A for arrays. */
  readonly category: string;
  readonly delimiter: string;
}

const NS_PER_DAY = 86_400_000_000_000n;
const NS_PER_SECOND = 1_000_000_000n;

const identity: TextDecoder = (t) => t;
const bool: TextDecoder = (t) => t === 't';
const int: TextDecoder = (t) => Number(t);
const int8: TextDecoder = (t) => (t.length < 16 ? Number(t) : (exactInteger(t) ?? t));
const float: TextDecoder = (t) => Number(t);
const money: TextDecoder = (t) => t.replace(/[^0-9.-]/g, '');
const bytea: TextDecoder = (t) => (t.startsWith('\\x') ? Buffer.from(t.slice(2), 'hex') : Buffer.from(t, 'latin1'));
const json: TextDecoder = (t) => inferValue(parseJson(t, 'value'), false);

const padFraction = (f: string): string => (f.length >= 6 ? f : f.padEnd(6, '0'));

/** `YYYY-MM-DD[ BC]` (year ≥ 4 digits) → days since 1970-01-01, or undefined. */
function days(t: string): number | undefined {
  const m = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(t);
  if (!m) return undefined;
  const year = m[4] ? 1 - Number(m[1]) : Number(m[1]);
  return daysFromCivil(year, Number(m[2]), Number(m[3]));
}

const date: TextDecoder = (t) => {
  if (t.length === 10 && t.charCodeAt(4) === 45) return t;
  const d = days(t);
  return d === undefined ? t : formatDate(d);
};

const time: TextDecoder = (t) => (t.length === 8 ? `${t}.000000` : `${t.slice(0, 9)}${padFraction(t.slice(9))}`);

const STAMP = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/;

function offsetSeconds(zone: string): bigint {
  const digits = zone.slice(1).replace(/:/g, '');
  const s = BigInt(digits.slice(0, 2)) * 3600n + BigInt(digits.slice(2, 4) || '0') * 60n + BigInt(digits.slice(4, 6) || '0');
  return zone.startsWith('-') ? -s : s;
}

/** A timestamp text → ns since the epoch (local wall clock, or the instant when it has an offset). */
function stampNs(t: string): bigint | undefined {
  const m = STAMP.exec(t);
  if (!m) return undefined;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', frac = '', zone, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const day = BigInt(daysFromCivil(year, Number(mo), Number(d)));
  const seconds = BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s) - (zone ? offsetSeconds(zone) : 0n);
  return day * NS_PER_DAY + seconds * NS_PER_SECOND + BigInt(frac.padEnd(9, '0'));
}

const timestamp: TextDecoder = (t) => {
  const n = t.length;
  const last = t.charCodeAt(n - 1);
  if (n >= 19 && n <= 26 && t.charCodeAt(4) === 45 && t.charCodeAt(10) === 32 && (n === 19 || t.charCodeAt(19) === 46) && last >= 48 && last <= 57) {
    return `${t.slice(0, 10)}T${t.slice(11, 19)}.${padFraction(t.slice(20))}`;
  }
  const ns = stampNs(t);
  return ns === undefined ? t : formatLocalTimestamp(ns);
};

const timestamptz: TextDecoder = (t) => {
  const n = t.length;
  // 2024-05-01 08:15:30.123456+00, the common case with TimeZone UTC.
  if (n === 29 && t.charCodeAt(4) === 45 && t.charCodeAt(10) === 32 && t.charCodeAt(26) === 43 && t.charCodeAt(27) === 48 && t.charCodeAt(28) === 48) {
    return `${t.slice(0, 10)}T${t.slice(11, 26)}Z`;
  }
  if (n >= 22 && n <= 29 && t.charCodeAt(4) === 45 && t.charCodeAt(10) === 32 && t.endsWith('+00')) {
    return `${t.slice(0, 10)}T${t.slice(11, 19)}.${padFraction(t.slice(20, n - 3))}Z`;
  }
  const ns = stampNs(t);
  return ns === undefined ? t : formatInstant(ns);
};

const timetz: TextDecoder = (t) => {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/.exec(t);
  if (!m) return t;
  const [, h = '', mi = '', s = '', frac = '', zone = '+00'] = m;
  let secs = (BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s) - offsetSeconds(zone)) % 86_400n;
  if (secs < 0n) secs += 86_400n;
  return `${formatTimeOfDay(secs * NS_PER_SECOND + BigInt(frac.padEnd(9, '0')))}Z`;
};

const BUILTIN: ReadonlyMap<number, TextDecoder> = new Map<number, TextDecoder>([
  [16, bool],
  [17, bytea],
  [20, int8],
  [21, int],
  [23, int],
  [26, int],
  [28, int],
  [114, json],
  [700, float],
  [701, float],
  [790, money],
  [1082, date],
  [1083, time],
  [1114, timestamp],
  [1184, timestamptz],
  [1266, timetz],
  [3802, json],
]);

/** Built-in array type OID → element type OID. */
const BUILTIN_ARRAYS: ReadonlyMap<number, number> = new Map([
  [1000, 16],
  [1001, 17],
  [1005, 21],
  [1007, 23],
  [1028, 26],
  [1016, 20],
  [1021, 700],
  [1022, 701],
  [791, 790],
  [1182, 1082],
  [1183, 1083],
  [1115, 1114],
  [1185, 1184],
  [1270, 1266],
  [199, 114],
  [3807, 3802],
  [1231, 1700],
  [1009, 25],
  [1015, 1043],
  [1014, 1042],
  [1002, 18],
  [1003, 19],
  [2951, 2950],
  [1187, 1186],
  [143, 142],
  [1041, 869],
  [651, 650],
  [1040, 829],
]);

/**
 * A Postgres array literal (`{1,2,NULL}`, `{{1,2},{3,4}}`, `{"a b","c\"d"}`, `[0:1]={…}`) →
 * nested arrays with elements decoded by `elem`.
 */
export function parseArray(text: string, elem: TextDecoder, delimiter = ','): CdcValue {
  let i = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  const delim = delimiter.charCodeAt(0);
  function parse(): CdcValue[] {
    const out: CdcValue[] = [];
    i++; // {
    if (text.charCodeAt(i) === 125 /* } */) {
      i++;
      return out;
    }
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 123 /* { */) out.push(parse());
      else if (c === 34 /* " */) {
        let s = '';
        i++;
        for (;;) {
          const ch = text[i++];
          if (ch === undefined) throw new Error(`unterminated array element in ${text}`);
          if (ch === '"') break;
          s += ch === '\\' ? (text[i++] ?? '') : ch;
        }
        out.push(elem(s));
      } else {
        const start = i;
        while (i < text.length && text.charCodeAt(i) !== delim && text.charCodeAt(i) !== 125) i++;
        const raw = text.slice(start, i).trim();
        out.push(raw.toUpperCase() === 'NULL' ? null : elem(raw));
      }
      const next = text.charCodeAt(i++);
      if (next === 125) return out;
      if (next !== delim) throw new Error(`bad array literal ${text}`);
    }
  }
  return parse();
}

/**
 * The decoder for a column type. `types` holds what the catalog said about types that are not
 * built in (domains resolve to their base type, arrays to their element type); anything still
 * unknown decodes as text.
 */
export function decoderFor(oid: number, types: ReadonlyMap<number, TypeInfo> = new Map()): TextDecoder {
  const builtin = BUILTIN.get(oid);
  if (builtin) return builtin;
  const elemBuiltin = BUILTIN_ARRAYS.get(oid);
  if (elemBuiltin !== undefined) {
    const elem = decoderFor(elemBuiltin, types);
    return (t) => parseArray(t, elem);
  }
  const info = types.get(oid);
  if (info?.typtype === 'd' && info.baseOid !== 0 && info.baseOid !== oid) return decoderFor(info.baseOid, types);
  if (info && info.category === 'A' && info.elemOid !== 0) {
    const elem = decoderFor(info.elemOid, types);
    const delimiter = types.get(info.elemOid)?.delimiter ?? ',';
    return (t) => parseArray(t, elem, delimiter);
  }
  return identity;
}

/** OIDs whose decoding the catalog must be asked about (not built in). */
export function needsCatalog(oid: number): boolean {
  return !BUILTIN.has(oid) && !BUILTIN_ARRAYS.has(oid);
}

/** One tuple value → its JS value (UNAVAILABLE and null pass through). */
export function decodeTupleValue(v: TupleValue, decode: TextDecoder): CdcValue {
  if (v === null || v === UNAVAILABLE) return v;
  return decode(v);
}
