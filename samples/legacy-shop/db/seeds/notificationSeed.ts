// Seeds email templates and the email history the seeded customers, orders and refunds produced.
import type { Queryable } from '../../lib/db.js';
import { defaultConfig } from '../../lib/config.js';
import { addHours } from '../../lib/dates.js';
import { formatMoney } from '../../lib/money.js';
import { insertMany } from '../../lib/queryBuilder.js';
import { renderTemplate, type TemplateData } from '../../lib/templateRenderer.js';
import type { TemplateKey } from '../../models/EmailTemplate.js';

export const EMAIL_TEMPLATE_SEED: readonly { key: TemplateKey; subject: string; body: string }[] = [
  { key: 'welcome', subject: 'Welcome to Legacy Shop, {{firstName}}!', body: 'Hi {{firstName}},\n\nthanks for opening an account with Legacy Shop. Happy shopping!\n\nThe Legacy Shop team' },
  { key: 'order_confirmation', subject: 'Your order #{{orderId}} is confirmed', body: 'Hi {{firstName}},\n\nwe received your order #{{orderId}} ({{itemCount}} items). Total charged: {{total}}.\nWe will email you again when it ships.' },
  { key: 'order_cancelled', subject: 'Order #{{orderId}} has been cancelled', body: 'Hi {{firstName}},\n\nyour order #{{orderId}} was cancelled ({{reason}}). Any payment will be refunded to your card.' },
  { key: 'payment_receipt', subject: 'Receipt for order #{{orderId}}', body: 'Hi {{firstName}},\n\nwe charged {{amount}} for order #{{orderId}}. Your invoice is available in your account.' },
  { key: 'refund_issued', subject: 'Refund for order #{{orderId}}', body: 'Hi {{firstName}},\n\nwe refunded {{amount}} for order #{{orderId}}. It may take 5-10 business days to appear on your statement.' },
  { key: 'shipment_update', subject: 'Order #{{orderId}}: {{status}}', body: 'Hi {{firstName}},\n\nyour parcel for order #{{orderId}} is now {{status}}.' },
];

interface Pending {
  customerId: number;
  key: TemplateKey;
  data: TemplateData;
  at: Date;
  queued?: boolean;
}

export async function seedNotifications(tx: Queryable): Promise<void> {
  await insertMany(tx, 'email_templates', EMAIL_TEMPLATE_SEED.map((t, i) => ({ id: i + 1, ...t, updated_at: new Date('2023-01-01T00:00:00.000Z') })));
  const money = (cents: number) => formatMoney(cents, defaultConfig.currency);
  const pending: Pending[] = [];

  const customers = (await tx.query<{ id: number; email: string; first_name: string; last_name: string; created_at: Date }>(
    'SELECT id, email, first_name, last_name, created_at FROM customers ORDER BY id',
  )).rows;
  for (const c of customers) pending.push({ customerId: c.id, key: 'welcome', data: {}, at: addHours(c.created_at, 0.02) });

  const orders = (await tx.query<{ id: number; customer_id: number; status: string; total_cents: number; items: number; created_at: Date; updated_at: Date }>(
    `SELECT o.id, o.customer_id, o.status, o.total_cents, o.created_at, o.updated_at,
            (SELECT SUM(quantity)::int FROM order_lines ol WHERE ol.order_id = o.id) AS items
     FROM orders o WHERE o.status NOT IN ('pending', 'payment_failed') ORDER BY o.id`,
  )).rows;
  for (const o of orders) {
    const base = { orderId: o.id };
    pending.push({ customerId: o.customer_id, key: 'order_confirmation', data: { ...base, itemCount: o.items, total: money(o.total_cents) }, at: addHours(o.created_at, 0.05), queued: o.status === 'paid' });
    if (o.status === 'shipped' || o.status === 'delivered') {
      pending.push({ customerId: o.customer_id, key: 'shipment_update', data: { ...base, status: o.status === 'shipped' ? 'in transit' : 'delivered' }, at: o.updated_at });
    }
    if (o.status === 'cancelled') {
      pending.push({ customerId: o.customer_id, key: 'order_cancelled', data: { ...base, reason: 'customer_request' }, at: o.updated_at });
    }
  }

  const refunds = (await tx.query<{ order_id: number; customer_id: number; amount_cents: number; created_at: Date }>(
    `SELECT p.order_id, o.customer_id, r.amount_cents, r.created_at
     FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN orders o ON o.id = p.order_id ORDER BY r.id`,
  )).rows;
  for (const r of refunds) {
    pending.push({ customerId: r.customer_id, key: 'refund_issued', data: { orderId: r.order_id, amount: money(r.amount_cents) }, at: addHours(r.created_at, 0.01) });
  }

  const byId = new Map(customers.map((c) => [c.id, c]));
  const templates = new Map(EMAIL_TEMPLATE_SEED.map((t) => [t.key, t]));
  pending.sort((a, b) => a.at.getTime() - b.at.getTime() || a.customerId - b.customerId);
  const rows = pending.map((n, i) => {
    const customer = byId.get(n.customerId)!;
    const template = templates.get(n.key)!;
    const values = { firstName: customer.first_name, lastName: customer.last_name, ...n.data };
    const bounced = customer.email.endsWith('@bounce.example');
    const status = n.queued ? 'queued' : bounced ? 'failed' : 'sent';
    return {
      id: i + 1,
      customer_id: n.customerId,
      template_key: n.key,
      channel: 'email',
      recipient: customer.email,
      subject: renderTemplate(template.subject, values),
      body: renderTemplate(template.body, values),
      status,
      attempts: status === 'queued' ? 0 : bounced ? defaultConfig.maxNotificationAttempts : 1,
      last_error: bounced && !n.queued ? `mailbox ${customer.email} rejected the message` : null,
      sent_at: status === 'sent' ? addHours(n.at, 0.01) : null,
      created_at: n.at,
    };
  });
  await insertMany(tx, 'notifications', rows);

  // only the recent tail of the outbox is still around; older rows were archived
  const outbox = rows.slice(-25).map((n, i) => ({
    id: i + 1,
    topic: 'notification.queued',
    aggregate_type: 'notification',
    aggregate_id: n.id,
    payload: JSON.stringify({ customerId: n.customer_id, template: n.template_key }),
    published_at: n.status === 'queued' ? null : addHours(n.created_at, 0.002),
    created_at: n.created_at,
  }));
  await insertMany(tx, 'outbox', outbox);
}
