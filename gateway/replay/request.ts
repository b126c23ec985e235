/**
 * Turning a recorded request back into one to send: method, path and query as recorded, the
 * body decoded (UTF-8 text, or `base64:` + base64), and the recorded headers minus
 *   - hop-by-hop headers (RFC 9110 §7.6.1) and the ones undici frames itself (`host`, set from
 *     the target; `content-length`, recomputed from the body; `expect`);
 *   - headers the gateway redacted (value `[redacted]`): they carry no value worth sending;
 * then the caller's extra headers (`--header`), which replace any recorded value of that name —
 * this is how a redacted `authorization` is given back.
 *
 * Not every record can be re-sent (`skipReason`): unsafe methods (anything but GET, HEAD,
 * OPTIONS, TRACE) need `allowUnsafe`, since a replay may hit a live service; and a request whose
 * body was not recorded (null although the request had one: over the shadow cap) would be sent
 * without it — a different request — so it is skipped. A null body counts as "had one" when the
 * recorded content-length is above 0, or the method is POST, PUT or PATCH and no content-length
 * was recorded (a chunked body: its framing headers are hop-by-hop and were not kept).
 */
import type { DiffRecord } from '../model.js';
import { REDACTED } from '../shadow/redact.js';

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

const DROPPED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'host',
  'content-length',
  'expect',
]);

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface ReplayRequest {
  readonly method: string;
  /** Path and query, as recorded. */
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | null;
}

/** A recorded body as bytes: `base64:` + base64, or UTF-8 text; null stays null. */
export function decodeBody(body: string | null): Buffer | null {
  if (body === null) return null;
  return body.startsWith('base64:') ? Buffer.from(body.slice('base64:'.length), 'base64') : Buffer.from(body, 'utf8');
}

/** Why the record is not re-sent, or null when it can be. */
export function skipReason(record: DiffRecord, allowUnsafe: boolean): string | null {
  const { method, body, headers } = record.request;
  const upper = method.toUpperCase();
  if (!allowUnsafe && !SAFE_METHODS.has(upper)) {
    return `${upper} is not a safe method; replaying it could change data on the target (pass --allow-unsafe to re-send it)`;
  }
  if (body === null) {
    const length = headerOf(headers, 'content-length');
    const hadBody = length === undefined ? BODY_METHODS.has(upper) : Number(length) > 0;
    if (hadBody)
      return `the request body was not recorded (over the shadow body cap${length === undefined ? ', or chunked' : `: ${length} bytes`}); re-sending it without would be a different request`;
  }
  return null;
}

/**
 * The request to send for a record. `extra` names are matched case-insensitively and win over
 * recorded ones.
 */
export function replayRequest(record: DiffRecord, extra: Readonly<Record<string, string>> = {}): ReplayRequest {
  const headers: Record<string, string> = {};
  const overridden = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  for (const [name, value] of Object.entries(record.request.headers)) {
    const lower = name.toLowerCase();
    if (DROPPED.has(lower) || overridden.has(lower) || value === REDACTED) continue;
    headers[lower] = value;
  }
  for (const [name, value] of Object.entries(extra)) headers[name.toLowerCase()] = value;
  const body = decodeBody(record.request.body);
  return { method: record.request.method.toUpperCase(), url: record.request.url, headers, body: body !== null && body.length > 0 ? body : null };
}

function headerOf(headers: Readonly<Record<string, string>>, lower: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
