// Notification: an email queued to a customer, sent later by the dispatcher (with retries).
import { toIso } from '../lib/dates.js';

export type NotificationStatus = 'queued' | 'sent' | 'failed';

export interface NotificationRow {
  id: number;
  customer_id: number;
  template_key: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Date;
}

export interface Notification {
  id: number;
  customerId: number;
  template: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  createdAt: string | null;
}

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    customerId: row.customer_id,
    template: row.template_key,
    channel: row.channel,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    sentAt: toIso(row.sent_at),
    createdAt: toIso(row.created_at),
  };
}

export interface DispatchResult {
  processed: number;
  sent: number;
  failed: number;
}
