// Routes for orders.
import type { FastifyInstance } from 'fastify';
import type { OrderController } from '../controllers/OrderController.js';

export function orderRoutes(app: FastifyInstance, orders: OrderController): void {
  app.get('/orders', orders.list);
  app.get('/orders/:id', orders.get);
  app.post('/orders/:id/cancel', orders.cancel);
}
