/**
 * Deciding whether a response body is JSON and parsing it: a body is a JSON candidate when its
 * content type says json (`application/json`, `application/problem+json`, `…+json`) or its first
 * non-blank byte is `{` or `[`; it is JSON when it then parses. A UTF-8 byte-order mark is skipped.
 */

/** Returned by `parseJsonBody` when the body is not JSON. */
export const NOT_JSON: unique symbol = Symbol('not JSON');

function firstSignificantByte(body: Buffer): { at: number; byte: number | undefined } {
  let i = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (i < body.length) {
    const b = body[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return { at: i, byte: b };
    i++;
  }
  return { at: i, byte: undefined };
}

/** True when the content type names JSON (`json` anywhere in the media type, case-insensitive). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).toLowerCase().includes('json');
}

/** The parsed JSON value of a body, or NOT_JSON (not a candidate, empty, or does not parse). */
export function parseJsonBody(body: Buffer | null, contentType: string | undefined): unknown {
  if (body === null || body.length === 0) return NOT_JSON;
  const { at, byte } = firstSignificantByte(body);
  if (byte === undefined) return NOT_JSON;
  if (byte !== 0x7b && byte !== 0x5b && !isJsonContentType(contentType)) return NOT_JSON;
  try {
    return JSON.parse(body.toString('utf8', at));
  } catch {
    return NOT_JSON;
  }
}
