// Session: a login token for a customer with an expiry; logout revokes it.
import { toIso } from '../lib/dates.js';

export interface SessionRow {
  id: number;
  customer_id: number;
  token: string;
  expires_at: Date;
  revoked_at: Date | null;
  created_at: Date;
}

export interface Session {
  token: string;
  customerId: number;
  expiresAt: string | null;
}

export function toSession(row: SessionRow): Session {
  return { token: row.token, customerId: row.customer_id, expiresAt: toIso(row.expires_at) };
}

export function isSessionActive(row: SessionRow, now: Date = new Date()): boolean {
  return row.revoked_at === null && row.expires_at.getTime() > now.getTime();
}

/** "Bearer abc" → "abc"; undefined for anything else. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9]+)$/.exec(header ?? '');
  return match?.[1];
}
