// Notifications: render templates into queued emails, write the outbox, dispatch with retries.
import type { AppContext } from '../lib/context.js';
import { NotFoundError, ValidationError } from '../lib/errors.js';
import { formatMoney } from '../lib/money.js';
import { renderTemplate, type TemplateData } from '../lib/templateRenderer.js';
import { NotificationRepository } from '../repositories/NotificationRepository.js';
import { EmailTemplateRepository } from '../repositories/EmailTemplateRepository.js';
import { OutboxRepository } from '../repositories/OutboxRepository.js';
import { CustomerRepository } from '../repositories/CustomerRepository.js';
import { toNotification, type DispatchResult, type Notification } from '../models/Notification.js';
import { toEmailTemplate, type EmailTemplate, type TemplateKey } from '../models/EmailTemplate.js';

export type NotificationService = ReturnType<typeof createNotificationService>;

export function createNotificationService(ctx: AppContext) {
  const notifications = new NotificationRepository(ctx.db);
  const templates = new EmailTemplateRepository(ctx.db);
  const outbox = new OutboxRepository(ctx.db);
  const customers = new CustomerRepository(ctx.db); // for the recipient address and first name
  const log = ctx.logger.child('notifications');

  /** Queues an email to a customer from a template; it is sent by dispatch(). */
  async function send(customerId: number, key: TemplateKey, data: TemplateData): Promise<Notification> {
    const customer = await customers.findById(customerId);
    if (!customer) throw new NotFoundError('customer', customerId);
    const template = await templates.findByKey(key);
    if (!template) throw new ValidationError(`email template ${key} does not exist`);
    const values = { firstName: customer.first_name, lastName: customer.last_name, ...data };
    const row = await notifications.create({
      customerId,
      templateKey: key,
      recipient: customer.email,
      subject: renderTemplate(template.subject, values),
      body: renderTemplate(template.body, values),
    });
    await outbox.append('notification.queued', 'notification', row.id, { customerId, template: key });
    return toNotification(row);
  }

  async function list(customerId: number | undefined, status: string | undefined, limit = 50): Promise<Notification[]> {
    return (await notifications.list({ customerId, status }, limit)).map(toNotification);
  }

  async function listTemplates(): Promise<EmailTemplate[]> {
    return (await templates.list()).map(toEmailTemplate);
  }

  /** Sends queued emails and retries failed ones that still have attempts left. */
  async function dispatch(limit = 100): Promise<DispatchResult> {
    const due = await notifications.dispatchable(ctx.config.maxNotificationAttempts, limit);
    let sent = 0;
    for (const n of due) {
      try {
        await ctx.mailer.send({ to: n.recipient, subject: n.subject, body: n.body });
        await notifications.markSent(n.id);
        sent += 1;
      } catch (err) {
        await notifications.markFailed(n.id, err instanceof Error ? err.message : String(err));
        log.warn('email failed', { id: n.id, to: n.recipient });
      }
    }
    const published = await outbox.unpublished(limit);
    await outbox.markPublished(published.map((o) => o.id));
    return { processed: due.length, sent, failed: due.length - sent };
  }

  ctx.events.on('customer.registered', async (e) => {
    await send(e.customerId, 'welcome', {});
  });
  ctx.events.on('payment.refunded', async (e) => {
    await send(e.customerId, 'refund_issued', { orderId: e.orderId, amount: formatMoney(e.amountCents, ctx.config.currency) });
  });

  return { send, list, listTemplates, dispatch };
}
