// Data access for login sessions (raw SQL).
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { SessionRow } from '../models/Session.js';

export class SessionRepository {
  constructor(private readonly db: Queryable) {}

  async create(customerId: number, token: string, expiresAt: Date): Promise<SessionRow> {
    const res = await this.db.query<SessionRow>(
      'INSERT INTO sessions (customer_id, token, expires_at) VALUES ($1, $2, $3) RETURNING *',
      [customerId, token, expiresAt],
    );
    return res.rows[0]!;
  }

  findByToken(token: string): Promise<SessionRow | undefined> {
    return queryOne<SessionRow>(this.db, 'SELECT * FROM sessions WHERE token = $1', [token]);
  }

  async revoke(token: string): Promise<boolean> {
    const res = await this.db.query('UPDATE sessions SET revoked_at = now() WHERE token = $1 AND revoked_at IS NULL', [token]);
    return res.rowCount > 0;
  }

  /** Housekeeping: drop sessions that expired more than a week ago. */
  async purgeExpired(): Promise<number> {
    const res = await this.db.query("DELETE FROM sessions WHERE expires_at < now() - interval '7 days'");
    return res.rowCount;
  }
}
