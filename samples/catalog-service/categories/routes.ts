/**
 * The /categories routes as a fastify plugin: the category list and one category's active
 * products (same list shape, paging and search as GET /products).
 */
import type { FastifyPluginAsync } from 'fastify';
import { categoryNotFound } from '../errors.js';
import { listProducts } from '../products/routes.js';
import type { ProductRepository } from '../products/repository.js';
import { listQuerySchema, type ListQuery } from '../products/schemas.js';
import type { CategoryRepository } from './repository.js';

export interface CategoryRoutesOptions {
  categories: CategoryRepository;
  products: ProductRepository;
  compat?: boolean;
}

export const categoryRoutes: FastifyPluginAsync<CategoryRoutesOptions> = async (app, { categories, products, compat = false }) => {
  app.get('/categories', async () => ({ items: await categories.list() }));

  app.get<{ Params: { slug: string }; Querystring: ListQuery }>(
    '/categories/:slug/products',
    { schema: { querystring: listQuerySchema } },
    async (req) => {
      const category = await categories.findBySlug(req.params.slug);
      if (category === undefined) throw categoryNotFound(req.params.slug);
      return listProducts(products, req.query, category.slug, compat);
    },
  );
};
