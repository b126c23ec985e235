// HTTP handlers for the notification queue and email templates.
import type { FastifyRequest } from 'fastify';
import { queryString } from '../lib/http.js';
import { parseId } from '../lib/validation.js';
import type { NotificationService } from '../services/NotificationService.js';

export class NotificationController {
  constructor(private readonly notifications: NotificationService) {}

  list = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const customer = queryString(req.query.customerId);
    const customerId = customer === undefined ? undefined : parseId(customer, 'customerId');
    return { items: await this.notifications.list(customerId, queryString(req.query.status)) };
  };

  retry = async () => this.notifications.dispatch();

  templates = async () => ({ items: await this.notifications.listTemplates() });
}
