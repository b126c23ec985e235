/**
 * Response and request headers as the shadow code receives them — Node's `IncomingHttpHeaders`,
 * undici's, or a plain record — read case-insensitively, multi-valued headers joined with ", ".
 */

/** Header name → value; arrays are repeated headers (`set-cookie`). */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** One header value as text: arrays joined with ", ", numbers stringified, absent → undefined. */
export function headerText(value: string | readonly string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value.join(', ');
}

/**
 * The value of header `lowerName` (already lower case). Node lower-cases incoming names, so the
 * direct lookup almost always hits; other spellings are found by a scan.
 */
export function headerValue(headers: HeaderBag, lowerName: string): string | undefined {
  const direct = headers[lowerName];
  if (direct !== undefined) return headerText(direct);
  let found: string | undefined;
  for (const key in headers) {
    if (key.length !== lowerName.length || key.toLowerCase() !== lowerName) continue;
    const text = headerText(headers[key]);
    if (text !== undefined) found = found === undefined ? text : `${found}, ${text}`;
  }
  return found;
}
