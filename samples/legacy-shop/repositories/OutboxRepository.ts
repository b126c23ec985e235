// Data access for the transactional outbox that integration consumers read (raw SQL).
import type { Queryable } from '../lib/db.js';

export interface OutboxRow {
  id: number;
  topic: string;
  aggregate_type: string;
  aggregate_id: number;
  payload: Record<string, unknown>;
  published_at: Date | null;
  created_at: Date;
}

export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  async append(topic: string, aggregateType: string, aggregateId: number, payload: Record<string, unknown>, tx: Queryable = this.db): Promise<number> {
    const res = await tx.query<{ id: number }>(
      'INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload) VALUES ($1, $2, $3, $4::jsonb) RETURNING id',
      [topic, aggregateType, aggregateId, JSON.stringify(payload)],
    );
    return res.rows[0]!.id;
  }

  async unpublished(limit: number): Promise<OutboxRow[]> {
    const res = await this.db.query<OutboxRow>('SELECT * FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1', [limit]);
    return res.rows;
  }

  async markPublished(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::int[])', [ids]);
  }

  async pendingCount(): Promise<number> {
    const res = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL');
    return res.rows[0]?.n ?? 0;
  }
}
