// Routes for /products (catalog); validation is done by hand in ProductController.
import type { FastifyInstance } from 'fastify';
import type { ProductController } from '../controllers/ProductController.js';

export function productRoutes(app: FastifyInstance, products: ProductController): void {
  app.get('/products', products.list);
  app.get('/products/:id', products.get);
  app.post('/products', products.create);
  app.put('/products/:id', products.update);
  app.delete('/products/:id', products.remove);
}
