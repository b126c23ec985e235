// Routes for payments, refunds and invoices.
import type { FastifyInstance } from 'fastify';
import type { PaymentController } from '../controllers/PaymentController.js';

export function paymentRoutes(app: FastifyInstance, payments: PaymentController): void {
  app.post('/payments/:orderId', payments.charge);
  app.get('/payments/:id', payments.get);
  app.post('/payments/:id/refund', payments.refund);
  app.get('/invoices/:orderId', payments.invoice);
}
