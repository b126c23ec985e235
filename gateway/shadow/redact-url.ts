/**
 * Secrets in query strings (`?access_token=…`, `&api-key=…`, `password=`) kept out of diff
 * records and access logs: the value of every parameter whose decoded name is a secret key
 * (redact.ts DEFAULT_SECRET_KEYS, matched ignoring case, `_` and `-`, plus `key`, `sig` and
 * `signature`) becomes `[redacted]`; everything else — order, encoding, the path — stays byte
 * for byte. A URL without a query is returned as it is, at no cost.
 *
 * @example redactQuery('/p?id=7&api_key=abc') // '/p?id=7&api_key=[redacted]'
 */
import { isSecretKey, REDACTED } from './redact.js';

const EXTRA = new Set(['key', 'sig', 'signature', 'auth', 'code']);

function secretName(raw: string): boolean {
  let name: string;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    name = raw;
  }
  return isSecretKey(name) || EXTRA.has(name.toLowerCase());
}

export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash === -1 ? undefined : hash);
  let changed = false;
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq <= 0 || !secretName(part.slice(0, eq))) return part;
    changed = true;
    return `${part.slice(0, eq)}=${REDACTED}`;
  });
  if (!changed) return url;
  return `${url.slice(0, q + 1)}${parts.join('&')}${hash === -1 ? '' : url.slice(hash)}`;
}
