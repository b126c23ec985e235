// HTTP handlers for product reviews.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { queryString } from '../lib/http.js';
import { ValidationError } from '../lib/errors.js';
import { parseId } from '../lib/validation.js';
import type { NewReview } from '../models/Review.js';
import type { ReviewService } from '../services/ReviewService.js';

export class ReviewController {
  constructor(private readonly reviews: ReviewService) {}

  list = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const productId = queryString(req.query.productId);
    if (productId === undefined) throw new ValidationError('productId query parameter is required');
    return this.reviews.forProduct(parseId(productId, 'productId'));
  };

  create = async (req: FastifyRequest<{ Body: Omit<NewReview, 'body'> & { body?: string } }>, reply: FastifyReply) => {
    const { productId, customerId, rating, title, body } = req.body;
    const review = await this.reviews.create({ productId, customerId, rating, title, body: body ?? null });
    return reply.code(201).send(review);
  };
}
