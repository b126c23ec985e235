// Routes for the cart and checkout (checkout creates the order).
import type { FastifyInstance } from 'fastify';
import type { CartController } from '../controllers/CartController.js';

const addItemSchema = {
  body: {
    type: 'object',
    required: ['productId'],
    properties: {
      productId: { type: 'integer', minimum: 1 },
      quantity: { type: 'integer', minimum: 1, maximum: 99 },
    },
  },
};

export function cartRoutes(app: FastifyInstance, cart: CartController): void {
  app.get('/cart/:customerId', cart.get);
  app.post('/cart/:customerId/items', { schema: addItemSchema }, cart.addItem);
  app.delete('/cart/:customerId/items/:productId', cart.removeItem);
  app.post('/cart/:customerId/checkout', cart.checkout);
}
