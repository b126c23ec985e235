/**
 * Request paths, made safe to route on: percent-decoding of unreserved characters (so
 * `%2e%2e` is `..` and `%7E` is `~`), RFC 3986 §5.2.4 dot-segment removal and merged
 * slashes — the same normalisation Envoy applies with `normalize_path` and
 * `merge_slashes`. The gateway routes on the normalised path and forwards it, so the route
 * that matched is the resource the upstream serves (`/products/%2e%2e/admin` cannot reach
 * `/admin` behind a products route). A path that climbs above the root, contains an encoded
 * slash or backslash, a NUL, a fragment (`#`) or a malformed escape is refused (the caller
 * answers 400).
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/;

export type NormalisedPath = { ok: true; path: string } | { ok: false; reason: string };

function decodeUnreserved(path: string): string | null {
  if (!path.includes('%')) return path;
  let out = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c !== '%') {
      out += c;
      continue;
    }
    const hex = path.slice(i + 1, i + 3);
    if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return null;
    const ch = String.fromCharCode(parseInt(hex, 16));
    if (ch === '/' || ch === '\\' || ch === '\0') return null;
    out += UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
    i += 2;
  }
  return out;
}

/** Normalises the path part of a request target (no query). */
export function normalisePath(raw: string): NormalisedPath {
  if (!raw.startsWith('/')) return { ok: false, reason: 'the request target must be an absolute path starting with /' };
  if (raw.includes('\\') || raw.includes('\0')) return { ok: false, reason: 'backslashes and NUL are not allowed in paths' };
  // A fragment is not part of a request target (RFC 9112 §3.2); routed as text, `/products#x` would miss the products route.
  if (raw.includes('#')) return { ok: false, reason: 'a fragment (#) is not part of a request target' };
  const decoded = decodeUnreserved(raw);
  if (decoded === null) return { ok: false, reason: 'malformed or forbidden percent-escape in the path (%2F, %5C and %00 are refused)' };
  const out: string[] = [];
  const segments = decoded.split('/');
  const trailing = decoded.length > 1 && (decoded.endsWith('/') || decoded.endsWith('/.') || decoded.endsWith('/..'));
  for (const seg of segments) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return { ok: false, reason: 'the path climbs above the root' };
      out.pop();
      continue;
    }
    out.push(seg);
  }
  const path = `/${out.join('/')}${trailing && out.length > 0 ? '/' : ''}`;
  return { ok: true, path };
}

/** Splits a request target into path and query (`?…`, kept verbatim). */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, query: '' } : { path: target.slice(0, q), query: target.slice(q) };
}
