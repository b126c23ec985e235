// Routes for /categories (catalog).
import type { FastifyInstance } from 'fastify';
import type { CategoryController } from '../controllers/CategoryController.js';

export function categoryRoutes(app: FastifyInstance, categories: CategoryController): void {
  app.get('/categories', categories.list);
  app.get('/categories/:slug/products', categories.products);
}
