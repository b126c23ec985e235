// HTTP handlers for /products (the catalog API the extracted catalog service must match).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parsePage } from '../lib/pagination.js';
import { queryString } from '../lib/http.js';
import { asBody, optionalBoolean, optionalInt, optionalString, parseId, requireInt, requireString } from '../lib/validation.js';
import { ValidationError } from '../lib/errors.js';
import type { ShopConfig } from '../lib/config.js';
import type { ProductChanges } from '../models/Product.js';
import type { ProductService } from '../services/ProductService.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export class ProductController {
  constructor(
    private readonly products: ProductService,
    private readonly config: ShopConfig,
  ) {}

  list = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const page = parsePage(req.query, this.config);
    return this.products.list({ categorySlug: queryString(req.query.category), q: queryString(req.query.q) }, page);
  };

  get = async (req: IdRequest) => this.products.get(parseId(req.params.id));

  create = async (req: FastifyRequest, reply: FastifyReply) => {
    const body = asBody(req.body);
    const product = await this.products.create({
      sku: requireString(body, 'sku', { max: 64 }),
      name: requireString(body, 'name', { max: 200 }),
      description: optionalString(body, 'description', { max: 4000 }) ?? null,
      priceCents: requireInt(body, 'priceCents', 0, 100_000_000),
      categoryId: requireInt(body, 'categoryId', 1),
    });
    return reply.code(201).send(product);
  };

  update = async (req: IdRequest) => {
    const id = parseId(req.params.id);
    const body = asBody(req.body);
    const changes: ProductChanges = {};
    if (body.name !== undefined) changes.name = requireString(body, 'name', { max: 200 });
    if (body.description !== undefined) changes.description = optionalString(body, 'description', { max: 4000 }) ?? null;
    if (body.priceCents !== undefined) changes.priceCents = optionalInt(body, 'priceCents', 0, 100_000_000);
    if (body.categoryId !== undefined) changes.categoryId = optionalInt(body, 'categoryId', 1);
    if (body.active !== undefined) changes.active = optionalBoolean(body, 'active');
    if (body.sku !== undefined) throw new ValidationError('sku cannot be changed; create a new product instead');
    return this.products.update(id, changes);
  };

  remove = async (req: IdRequest, reply: FastifyReply) => {
    await this.products.remove(parseId(req.params.id));
    return reply.code(204).send();
  };
}
