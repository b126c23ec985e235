// Routes for notifications and email templates.
import type { FastifyInstance } from 'fastify';
import type { NotificationController } from '../controllers/NotificationController.js';

export function notificationRoutes(app: FastifyInstance, notifications: NotificationController): void {
  app.get('/notifications', notifications.list);
  app.post('/notifications/retry', notifications.retry);
  app.get('/email-templates', notifications.templates);
}
