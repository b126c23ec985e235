// Data access for notifications, the email queue (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runCount, runQuery } from '../lib/queryBuilder.js';
import type { NotificationRow } from '../models/Notification.js';

export interface NewNotification {
  customerId: number;
  templateKey: string;
  recipient: string;
  subject: string;
  body: string;
}

export class NotificationRepository {
  constructor(private readonly db: Queryable) {}

  async create(n: NewNotification): Promise<NotificationRow> {
    const rows = await runQuery<NotificationRow>(
      this.db,
      qb('notifications')
        .insert({ customer_id: n.customerId, template_key: n.templateKey, channel: 'email', recipient: n.recipient, subject: n.subject, body: n.body, status: 'queued' })
        .returning('*'),
    );
    return rows[0]!;
  }

  list(filter: { customerId?: number; status?: string }, limit: number): Promise<NotificationRow[]> {
    const query = qb('notifications').orderBy('id', 'desc').limit(limit);
    if (filter.customerId !== undefined) query.where('customer_id', filter.customerId);
    if (filter.status) query.where('status', filter.status);
    return runQuery<NotificationRow>(this.db, query);
  }

  /** Queued ones plus failed ones that still have attempts left, oldest first. */
  dispatchable(maxAttempts: number, limit: number): Promise<NotificationRow[]> {
    return runQuery<NotificationRow>(
      this.db,
      qb('notifications')
        .where('status', 'queued')
        .orWhere((w) => w.where('status', 'failed').andWhere('attempts', '<', maxAttempts))
        .orderBy('id')
        .limit(limit),
    );
  }

  markSent(id: number): Promise<number> {
    return runCount(this.db, qb('notifications').where({ id }).update({ status: 'sent', sent_at: qb.fn.now(), last_error: null, attempts: qb.raw('attempts + 1') }));
  }

  markFailed(id: number, error: string): Promise<number> {
    return runCount(this.db, qb('notifications').where({ id }).update({ status: 'failed', last_error: error, attempts: qb.raw('attempts + 1') }));
  }
}
