/**
 * Keeping Difference values and body excerpts short: a record carries the bodies already, so a
 * difference only needs enough to read at a glance.
 *
 * - strings longer than 200 characters are cut to 200 and end with "…";
 * - arrays keep their first 20 elements (then one "…N more" string element), objects their first
 *   20 members (then a "…" member saying how many more), nesting below 4 levels becomes "[…]"/"{…}";
 * - numbers, booleans and null are kept as they are.
 * Clipped values stay JSON of the same type, so redaction can still walk them.
 */
import { isUtf8 } from 'node:buffer';

export const MAX_STRING = 200;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;
/** Bytes of a non-JSON body shown around the first difference. */
const EXCERPT_BYTES = 120;
const EXCERPT_BEFORE = 40;

export function clipString(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
}

/** A JSON value made short (see the module header); undefined stays undefined. */
export function clipValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return clipString(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) return value.length === 0 ? [] : '[…]';
    const n = Math.min(value.length, MAX_ITEMS);
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = clipValue(value[i], depth + 1);
    if (value.length > MAX_ITEMS) out.push(`…${value.length - MAX_ITEMS} more`);
    return out;
  }
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let kept = 0;
  let more = 0;
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    if (depth >= MAX_DEPTH) return '{…}';
    if (kept >= MAX_ITEMS) {
      more++;
      continue;
    }
    Object.defineProperty(out, key, { value: clipValue(obj[key], depth + 1), enumerable: true, writable: true, configurable: true });
    kept++;
  }
  if (more > 0) out['…'] = `${more} more`;
  return out;
}

/** Index of the first byte where the two buffers differ (the shorter length when one is a prefix). */
export function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  // Compare in 1 KiB strides first: Buffer.compare is native, the byte loop only runs on the last stride.
  let i = 0;
  while (i + 1024 <= n && a.compare(b, i, i + 1024, i, i + 1024) === 0) i += 1024;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * A short excerpt of a body around byte `at`: UTF-8 text (cut on character boundaries), or
 * `base64:` + base64 of the bytes for binary bodies; "…" marks a cut at either end.
 */
export function bodyExcerpt(body: Buffer | null, at: number): string {
  if (body === null || body.length === 0) return '';
  let start = Math.max(0, Math.min(at, body.length) - EXCERPT_BEFORE);
  let end = Math.min(body.length, start + EXCERPT_BYTES);
  const text = isUtf8(body);
  if (!text) return `base64:${body.subarray(start, end).toString('base64')}`;
  while (start > 0 && (body[start]! & 0xc0) === 0x80) start--;
  while (end < body.length && (body[end]! & 0xc0) === 0x80) end++;
  return `${start > 0 ? '…' : ''}${body.toString('utf8', start, end)}${end < body.length ? '…' : ''}`;
}
