// Routes for the back office. TODO: put these behind staff auth (they never were).
import type { FastifyInstance } from 'fastify';
import type { AdminController } from '../controllers/AdminController.js';

export function adminRoutes(app: FastifyInstance, admin: AdminController): void {
  app.get('/admin/dashboard', admin.dashboard);
  app.get('/admin/reports/sales', admin.sales);
}
