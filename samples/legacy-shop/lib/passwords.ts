// Password hashing for customer accounts and session token generation.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// TODO: legacy salted SHA-256 from 2017; migrate to scrypt on next login (ticket SHOP-1432)
export function hashPassword(password: string, salt: string): string {
  return `sha256$${salt}$${createHash('sha256').update(`${salt}:${password}`).digest('hex')}`;
}

export function newSalt(): string {
  return randomBytes(8).toString('hex');
}

export function verifyPassword(password: string, stored: string): boolean {
  const [scheme, salt, digest] = stored.split('$');
  if (scheme !== 'sha256' || salt === undefined || digest === undefined) return false;
  const expected = Buffer.from(hashPassword(password, salt));
  const actual = Buffer.from(stored);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function newSessionToken(): string {
  return randomBytes(24).toString('hex');
}
