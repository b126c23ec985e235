// HTTP handlers for /categories and the per-category product listing.
import type { FastifyRequest } from 'fastify';
import { parsePage } from '../lib/pagination.js';
import { queryString } from '../lib/http.js';
import type { ShopConfig } from '../lib/config.js';
import type { CategoryService } from '../services/CategoryService.js';

export class CategoryController {
  constructor(
    private readonly categories: CategoryService,
    private readonly config: ShopConfig,
  ) {}

  list = async () => ({ items: await this.categories.list() });

  products = async (req: FastifyRequest<{ Params: { slug: string }; Querystring: Record<string, unknown> }>) => {
    const page = parsePage(req.query, this.config);
    return this.categories.productsIn(req.params.slug, queryString(req.query.q), page);
  };
}
