/**
 * Valid DiffRecords for tests: ULID-like, time-ordered ids (48-bit ms time + 80 bits, Crockford
 * base32, 26 characters), every field of the contract filled, and an `awkward` record whose
 * strings stress serialisers (U+0000, a lone surrogate, U+2028, emoji, quotes, backslashes,
 * CR/LF) and whose differences hold nested JSON values.
 */
import type { DiffRecord } from '../model.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE_MS = Date.UTC(2025, 0, 15, 9, 30, 0);

function base32(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out = (CROCKFORD[Number(value % 32n)] ?? '0') + out;
    value /= 32n;
  }
  return out;
}

/** The id of the `n`th sample: ids grow with `n`. */
export function sampleId(n: number): string {
  return base32(BigInt(BASE_MS + n), 10) + base32(BigInt(n) * 7919n + 12345n, 16);
}

export interface SampleOptions {
  readonly route?: string;
  readonly noise?: boolean;
}

/** The `n`th sample record (n ≥ 0); same `n`, same record. */
export function sampleRecord(n: number, options: SampleOptions = {}): DiffRecord {
  const route = options.route ?? 'products';
  return {
    id: sampleId(n),
    at: new Date(BASE_MS + n).toISOString(),
    route,
    request: {
      method: n % 3 === 0 ? 'POST' : 'GET',
      url: `/${route}/${n}?expand=price&page=${n % 5}`,
      headers: { accept: 'application/json', authorization: '[redacted]', 'x-request-id': `req-${n}` },
      body: n % 3 === 0 ? JSON.stringify({ sku: `SKU-${n}`, qty: n % 7 }) : null,
    },
    primary: {
      target: 'monolith',
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ id: n, price: 12.5 + n, tags: ['a', 'b'] }),
      ms: 12.75 + (n % 10),
    },
    shadow: {
      target: 'service',
      status: n % 4 === 0 ? 500 : 200,
      headers: { 'content-type': 'application/json' },
      body: n % 4 === 0 ? null : JSON.stringify({ id: n, price: 12.5 + n + 0.01, tags: ['b', 'a'] }),
      ms: 8 + (n % 13),
      ...(n % 4 === 0 ? { error: 'upstream answered 500' } : {}),
    },
    differences: [
      { path: '$.price', kind: 'changed', primary: 12.5 + n, shadow: 12.5 + n + 0.01 },
      { path: '$.tags[0]', kind: 'changed', primary: 'a', shadow: 'b' },
      { path: 'headers.content-type', kind: 'header', primary: 'application/json; charset=utf-8', shadow: 'application/json' },
    ],
    noise: options.noise ?? false,
  };
}

/** `count` records numbered from `start`, with a route and noise per index when given. */
export function sampleRecords(count: number, options: { start?: number; route?: (i: number) => string; noise?: (i: number) => boolean } = {}): DiffRecord[] {
  const start = options.start ?? 0;
  return Array.from({ length: count }, (_, i) => sampleRecord(start + i, { route: options.route?.(start + i), noise: options.noise?.(start + i) }));
}

/** A record whose strings and values are hard to store faithfully. */
export function awkwardRecord(n: number): DiffRecord {
  const base = sampleRecord(n, { route: 'odd/ütf-8 "route"' });
  const text = 'nul:\u0000 lone:\ud800 ls:\u2028 ps:\u2029 emoji:🌿 quote:" backslash:\\ crlf:\r\n tab:\t';
  return {
    ...base,
    request: { ...base.request, url: '/odd/%E2%82%AC?q=a+b&x=%22', headers: { 'x-weird': 'ä ö ü €', 'x-empty': '' }, body: text },
    primary: { ...base.primary, body: `base64:${Buffer.from([0, 1, 2, 250, 255]).toString('base64')}`, headers: {} },
    shadow: { ...base.shadow, status: 502, body: null, error: 'connect ECONNREFUSED 127.0.0.1:1', ms: 0 },
    differences: [
      { path: 'status', kind: 'status', primary: 200, shadow: 502 },
      { path: '$.items[2]', kind: 'added', shadow: { nested: [1, 2.5, -3e-7, null, true, { deep: text }], big: 1e21 } },
      { path: '$.gone', kind: 'removed', primary: [] },
      { path: '$.kind', kind: 'type', primary: '1', shadow: 1 },
      { path: 'body', kind: 'body', primary: text, shadow: '' },
      { path: '$', kind: 'error', primary: null, shadow: false },
    ],
    noise: false,
  };
}
