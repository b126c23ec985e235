/**
 * Keeping secrets out of logs and records: credentials in connection URLs are masked before
 * a URL is logged, printed or stored.
 *
 * @example redactUrl('postgres://app:s3cret@db:5432/shop') // 'postgres://app:***@db:5432/shop'
 */
export function redactUrl(value: string): string {
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value.replace(/\/\/([^:/@\s]+):[^@/\s]+@/, '//$1:***@');
  }
}
