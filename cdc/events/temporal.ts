/**
 * Dates and times as Debezium sends them, to ISO-8601 text. Arithmetic is on BigInt
 * nanoseconds, so nothing rounds and instants before 1970 floor correctly. Fractions print
 * with 6 digits (microseconds, the finest Postgres and MySQL keep), or 9 when nanoseconds are
 * present and 6 would lose them. Years outside 0000–9999 use ISO's expanded form (±YYYYYY).
 * Civil-from-days after H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (2013).
 */

export const NS_PER = { ms: 1_000_000n, us: 1_000n, ns: 1n } as const;
export type Unit = keyof typeof NS_PER;

const NS_PER_DAY = 86_400_000_000_000n;
const NS_PER_SECOND = 1_000_000_000n;

/** Days since 1970-01-01 → [year, month, day] (proleptic Gregorian). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** [year, month, day] → days since 1970-01-01. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = year - (month <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

function formatYear(y: number): string {
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
}

/** Days since the epoch → 'YYYY-MM-DD'. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}`;
}

function fraction(nsOfSecond: bigint): string {
  return nsOfSecond % 1000n === 0n ? pad(nsOfSecond / 1000n, 6) : pad(nsOfSecond, 9);
}

/** Nanoseconds since midnight → 'HH:MM:SS.ffffff' (24:00:00 allowed, as Postgres has it). */
export function formatTimeOfDay(ns: bigint): string {
  const seconds = ns / NS_PER_SECOND;
  const h = seconds / 3600n;
  const min = (seconds / 60n) % 60n;
  const s = seconds % 60n;
  return `${pad(h, 2)}:${pad(min, 2)}:${pad(s, 2)}.${fraction(ns % NS_PER_SECOND)}`;
}

export function isTimeOfDay(ns: bigint): boolean {
  return ns >= 0n && ns <= NS_PER_DAY;
}

/** Nanoseconds since the epoch → 'YYYY-MM-DDTHH:MM:SS.ffffff' (no zone). */
export function formatLocalTimestamp(ns: bigint): string {
  let days = ns / NS_PER_DAY;
  let rest = ns % NS_PER_DAY;
  if (rest < 0n) {
    rest += NS_PER_DAY;
    days -= 1n;
  }
  return `${formatDate(Number(days))}T${formatTimeOfDay(rest)}`;
}

const US_PER_DAY = 86_400_000_000;
const US_PER = { ms: 1000, us: 1 } as const;

/**
 * A safe-integer count of ms or µs since the epoch → the text formatLocalTimestamp gives, in
 * double arithmetic (exact: every intermediate stays below 2^53), without BigInt.
 */
export function formatLocalTimestampOf(count: number, unit: 'ms' | 'us'): string {
  const per = US_PER_DAY / US_PER[unit];
  const days = Math.floor(count / per);
  const us = (count - days * per) * US_PER[unit];
  const seconds = Math.floor(us / 1_000_000);
  const h = Math.floor(seconds / 3600);
  const min = Math.floor(seconds / 60) % 60;
  return `${formatDate(days)}T${pad(h, 2)}:${pad(min, 2)}:${pad(seconds % 60, 2)}.${pad(us % 1_000_000, 6)}`;
}

/** Nanoseconds since the epoch → 'YYYY-MM-DDTHH:MM:SS.ffffffZ'. */
export function formatInstant(ns: bigint): string {
  return `${formatLocalTimestamp(ns)}Z`;
}

const ZONED = /^([+-]?\d{4,6})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/i;

/**
 * An ISO-8601 timestamp with an offset (Debezium's ZonedTimestamp) → nanoseconds since the
 * epoch; undefined when the text is not one.
 */
export function parseZoned(text: string): bigint | undefined {
  const m = ZONED.exec(text);
  if (!m) return undefined;
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '0', frac = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 24 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const days = BigInt(daysFromCivil(Number(y), month, day));
  const seconds = BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s);
  let offsetSeconds = 0n;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(/:/g, '');
    const oh = BigInt(digits.slice(0, 2));
    const om = BigInt(digits.slice(2, 4) || '0');
    const os = BigInt(digits.slice(4, 6) || '0');
    offsetSeconds = (zone.startsWith('-') ? -1n : 1n) * (oh * 3600n + om * 60n + os);
  }
  const nanos = BigInt(frac.padEnd(9, '0') || '0');
  return days * NS_PER_DAY + (seconds - offsetSeconds) * NS_PER_SECOND + nanos;
}
