/**
 * Keeping credentials and secrets out of recorded diffs (DESIGN.md: "authorization headers
 * and cookies are redacted in records"). Every redacted value becomes "[redacted]".
 *
 * Headers: `authorization`, `proxy-authorization`, `cookie` and `set-cookie`, plus the extra
 * names configured in `shadow.redact` (`x-api-key` or `headers.x-api-key`), case-insensitive.
 * Recorded headers have lower-case names; repeated headers are joined with ", ".
 *
 * JSON bodies (and urlencoded forms, whose fields count as top-level members): the JSON paths
 * configured in `shadow.redact` (entries starting with `$`, e.g. `$.customer.ssn`,
 * `$..iban`), plus any member whose name is one of DEFAULT_SECRET_KEYS at any depth. Key
 * names are matched ignoring case, `_` and `-`, so `api_key`, `API-Key` and `apiKey` all match;
 * only whole names match (`tokenCount` is kept). A body that needed no redaction is recorded
 * byte for byte; one that did is re-serialised (JSON.stringify), so its formatting changes.
 *
 * Recorded bodies are UTF-8 text, or `base64:` + base64 when the bytes are not UTF-8 (or the
 * text itself starts with `base64:`, so decoding stays unambiguous); null when empty or
 * larger than the cap. Non-JSON text bodies are not scanned.
 *
 * The JSON paths are compiled per call by `redactHeaders`/`redactBody`; code that redacts on
 * every record builds one `createRedactor(list)` per route instead.
 */
import { isUtf8 } from 'node:buffer';
import type { Difference } from '../model.js';
import { headerText, type HeaderBag } from './header-bag.js';
import { isJsonContentType, NOT_JSON, parseJsonBody } from './json-body.js';
import { compilePaths, parseConcretePath, type PathMatcher, type Segment } from './jsonpath.js';

export const REDACTED = '[redacted]';

/** Headers always redacted. */
export const DEFAULT_REDACTED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** JSON member names always redacted, at any depth (matched ignoring case, `_` and `-`). */
export const DEFAULT_SECRET_KEYS: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'clientSecret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'privateKey',
  'creditCard',
  'cardNumber',
  'cvv',
  'cvc',
];

const MAX_DEPTH = 256;

function keyForm(name: string): string {
  return name.replace(/[-_]/g, '').toLowerCase();
}
const SECRET_KEYS = new Set(DEFAULT_SECRET_KEYS.map(keyForm));

/** True when `name` is one of DEFAULT_SECRET_KEYS (ignoring case, `_` and `-`). */
export function isSecretKey(name: string): boolean {
  return name.length <= 24 && SECRET_KEYS.has(keyForm(name));
}

/**
 * isSecretKey with the answers for the names it has seen kept (up to `max`): a body's keys repeat
 * in every element and every record, and the normalising regex was most of a redaction walk.
 */
function secretKeyTest(max = 4096): (name: string) => boolean {
  const known = new Map<string, boolean>();
  return (name) => {
    if (name.length > 24) return false; // never a secret key, and not kept: the cache holds short names only
    let secret = known.get(name);
    if (secret === undefined) {
      secret = isSecretKey(name);
      if (known.size >= max) known.clear();
      known.set(name, secret);
    }
    return secret;
  };
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export interface Redactor {
  /** Lower-case names → text, secrets replaced. */
  headers(headers: HeaderBag): Record<string, string>;
  /**
   * The body as recorded (see the module header), or null when empty or over `cap` bytes.
   * `parsed` is the body's JSON (or NOT_JSON) when the caller parsed it already.
   */
  body(body: Buffer | null, contentType: string | undefined, cap: number, parsed?: unknown): string | null;
  /** A JSON value with secrets replaced; the same reference when nothing was. `at` is where the value sits (default: the root). */
  value(value: unknown, at?: readonly Segment[]): unknown;
  /** Differences whose values sit on redacted paths or headers, redacted the same way. */
  differences(differences: readonly Difference[]): Difference[];
}

/**
 * Builds a redactor from a `shadow.redact` list: entries starting with `$` are JSON paths,
 * the others header names (`headers.` prefix optional). Throws FicusError GW_CONFIG for a bad path.
 */
export function createRedactor(extra: readonly string[] = [], where?: string): Redactor {
  const headerNames = new Set(DEFAULT_REDACTED_HEADERS);
  const jsonPaths: string[] = [];
  for (const entry of extra) {
    if (entry.startsWith('$')) jsonPaths.push(entry);
    else {
      const name = entry.toLowerCase().startsWith('headers.') ? entry.slice('headers.'.length) : entry;
      if (name.trim() !== '') headerNames.add(name.trim().toLowerCase());
    }
  }
  const paths: PathMatcher = compilePaths(jsonPaths, where);
  const secretKey = secretKeyTest();

  function walk(value: unknown, stack: Segment[]): unknown {
    const last = stack[stack.length - 1];
    if ((typeof last === 'string' && secretKey(last)) || paths.matches(stack)) return REDACTED;
    if (value === null || typeof value !== 'object') return value;
    if (stack.length >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) {
      let copy: unknown[] | null = null;
      for (let i = 0; i < value.length; i++) {
        stack.push(i);
        const v = walk(value[i], stack);
        stack.pop();
        if (v !== value[i]) (copy ??= value.slice())[i] = v;
      }
      return copy ?? value;
    }
    const obj = value as Record<string, unknown>;
    let copy: Record<string, unknown> | null = null;
    for (const key in obj) {
      if (!Object.hasOwn(obj, key)) continue;
      stack.push(key);
      const v = walk(obj[key], stack);
      stack.pop();
      if (v !== obj[key]) {
        if (copy === null) {
          copy = {};
          for (const k in obj) if (Object.hasOwn(obj, k)) setOwn(copy, k, obj[k]);
        }
        setOwn(copy, key, v);
      }
    }
    return copy ?? value;
  }

  function value(v: unknown, at: readonly Segment[] = []): unknown {
    return walk(v, [...at]);
  }

  function form(text: string): string | null {
    const params = new URLSearchParams(text);
    let changed = false;
    const out = new URLSearchParams();
    for (const [k, v] of params) {
      const secret = secretKey(k) || paths.matches([k]);
      changed ||= secret;
      out.append(k, secret ? REDACTED : v);
    }
    return changed ? out.toString() : null;
  }

  return {
    headers(headers: HeaderBag): Record<string, string> {
      const out: Record<string, string> = {};
      for (const key in headers) {
        const text = headerText(headers[key]);
        if (text === undefined) continue;
        const name = key.toLowerCase();
        const v = headerNames.has(name) ? REDACTED : text;
        const before = Object.hasOwn(out, name) ? out[name] : undefined;
        setOwn(out, name, before === undefined || v === REDACTED ? v : `${before}, ${v}`);
      }
      return out;
    },

    body(body: Buffer | null, contentType: string | undefined, cap: number, parsed?: unknown): string | null {
      if (body === null || body.length === 0 || body.length > cap) return null;
      const json = parsed === undefined ? parseJsonBody(body, contentType) : parsed;
      if (json !== NOT_JSON) {
        const redacted = value(json);
        if (redacted !== json) return JSON.stringify(redacted);
      }
      if (!isUtf8(body)) return `base64:${body.toString('base64')}`;
      const text = body.toString('utf8');
      if (json === NOT_JSON && !isJsonContentType(contentType) && /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) {
        const redacted = form(text);
        if (redacted !== null) return redacted;
      }
      return text.startsWith('base64:') ? `base64:${body.toString('base64')}` : text;
    },

    value,

    differences(differences: readonly Difference[]): Difference[] {
      return differences.map((d) => {
        let segs: Segment[] | null;
        if (d.path.startsWith('headers.')) {
          if (!headerNames.has(d.path.slice('headers.'.length).toLowerCase())) return d;
          return { ...d, ...(d.primary !== undefined && { primary: REDACTED }), ...(d.shadow !== undefined && { shadow: REDACTED }) };
        }
        if ((segs = parseConcretePath(d.path)) === null) return d;
        const primary = d.primary === undefined ? undefined : walk(d.primary, [...segs]);
        const shadow = d.shadow === undefined ? undefined : walk(d.shadow, segs);
        if (primary === d.primary && shadow === d.shadow) return d;
        return { ...d, ...(primary !== undefined && { primary }), ...(shadow !== undefined && { shadow }) };
      });
    },
  };
}

/** `headers` as recorded: lower-case names, multi-valued joined with ", ", secrets "[redacted]". */
export function redactHeaders(headers: HeaderBag, extra: readonly string[] = []): Record<string, string> {
  return createRedactor(extra).headers(headers);
}

/**
 * `body` as recorded: JSON with secrets and the `$` paths of `paths` redacted, UTF-8 text, or
 * `base64:`…; null when empty or over `cap` bytes.
 *
 * @example redactBody(Buffer.from('{"user":"ann","password":"x"}'), 'application/json', [], 1024) // '{"user":"ann","password":"[redacted]"}'
 */
export function redactBody(body: Buffer | null, contentType: string | undefined, paths: readonly string[], cap: number): string | null {
  return createRedactor(paths).body(body, contentType, cap);
}

/** Differences with values on redacted paths, secret keys or redacted headers replaced. */
export function redactDifferences(differences: readonly Difference[], extra: readonly string[] = []): Difference[] {
  return createRedactor(extra).differences(differences);
}
