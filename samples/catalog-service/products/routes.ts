/**
 * The /products routes as a fastify plugin: list (filters, search, paging), get, create,
 * update and soft delete. Validation is by the JSON Schemas in ./schemas.ts; the wire shape is
 * ./format.ts; storage is the repository passed in.
 */
import type { FastifyPluginAsync } from 'fastify';
import { productNotFound } from '../errors.js';
import { toProductJson } from './format.js';
import type { ProductRepository } from './repository.js';
import {
  createBodySchema,
  idParamsSchema,
  listQuerySchema,
  MAX_LIMIT,
  updateBodySchema,
  type CreateBody,
  type IdParams,
  type ListQuery,
  type UpdateBody,
} from './schemas.js';

export interface ProductRoutesOptions {
  products: ProductRepository;
  /** Answer prices as the monolith's numbers (see format.ts). */
  compat?: boolean;
}

/** The list response both /products and /categories/:slug/products answer with. */
export async function listProducts(products: ProductRepository, query: ListQuery, categorySlug = query.category, compat = false) {
  const q = query.q === undefined || query.q === '' ? undefined : query.q;
  // Capped, not refused, as in the monolith.
  const limit = Math.min(query.limit, MAX_LIMIT);
  const { items, total } = await products.list({
    categorySlug,
    q,
    limit,
    offset: query.offset,
  });
  return {
    items: items.map((p) => toProductJson(p, compat)),
    total,
    limit,
    offset: query.offset,
  };
}

export const productRoutes: FastifyPluginAsync<ProductRoutesOptions> = async (app, { products, compat = false }) => {
  app.get<{ Querystring: ListQuery }>('/products', { schema: { querystring: listQuerySchema } }, (req) =>
    listProducts(products, req.query, req.query.category, compat),
  );

  app.get<{ Params: IdParams }>('/products/:id', { schema: { params: idParamsSchema } }, async (req) => {
    const found = await products.get(req.params.id);
    if (found === undefined) throw productNotFound(req.params.id);
    return toProductJson(found, compat);
  });

  app.post<{ Body: CreateBody }>('/products', { schema: { body: createBodySchema } }, async (req, reply) => {
    const created = await products.create(req.body);
    return reply.code(201).send(toProductJson(created, compat));
  });

  app.put<{ Params: IdParams; Body: UpdateBody }>(
    '/products/:id',
    { schema: { params: idParamsSchema, body: updateBodySchema } },
    async (req) => {
      const updated = await products.update(req.params.id, req.body);
      if (updated === undefined) throw productNotFound(req.params.id);
      return toProductJson(updated, compat);
    },
  );

  app.delete<{ Params: IdParams }>('/products/:id', { schema: { params: idParamsSchema } }, async (req, reply) => {
    if (!(await products.deactivate(req.params.id))) throw productNotFound(req.params.id);
    return reply.code(204).send();
  });
};
