// Routes for product reviews (kept off /products so the catalog API stays as it was).
import type { FastifyInstance } from 'fastify';
import type { ReviewController } from '../controllers/ReviewController.js';

const reviewSchema = {
  body: {
    type: 'object',
    required: ['productId', 'customerId', 'rating', 'title'],
    properties: {
      productId: { type: 'integer', minimum: 1 },
      customerId: { type: 'integer', minimum: 1 },
      rating: { type: 'integer', minimum: 1, maximum: 5 },
      title: { type: 'string', minLength: 1, maxLength: 120 },
      body: { type: 'string', maxLength: 5000 },
    },
  },
};

export function reviewRoutes(app: FastifyInstance, reviews: ReviewController): void {
  app.get('/reviews', reviews.list);
  app.post('/reviews', { schema: reviewSchema }, reviews.create);
}
