// Product reviews: one per customer and product, flagged verified when the customer bought it.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, isUniqueViolation } from '../lib/errors.js';
import { ReviewRepository } from '../repositories/ReviewRepository.js';
import { ProductRepository } from '../repositories/ProductRepository.js';
import { CustomerRepository } from '../repositories/CustomerRepository.js';
import { OrderRepository } from '../repositories/OrderRepository.js';
import { toReview, type NewReview, type Review, type ReviewSummary } from '../models/Review.js';

export class ReviewService {
  private readonly reviews: ReviewRepository;
  private readonly products: ProductRepository;
  private readonly customers: CustomerRepository;
  private readonly orders: OrderRepository;

  constructor(ctx: AppContext) {
    this.reviews = new ReviewRepository(ctx.db);
    this.products = new ProductRepository(ctx.db);
    this.customers = new CustomerRepository(ctx.db);
    this.orders = new OrderRepository(ctx.db);
  }

  async forProduct(productId: number, limit = 20): Promise<ReviewSummary> {
    if (!(await this.products.findById(productId))) throw new NotFoundError('product', productId);
    const [rows, stats] = await Promise.all([this.reviews.listForProduct(productId, limit), this.reviews.stats(productId)]);
    return { productId, count: stats.count, averageRating: stats.average, items: rows.map(toReview) };
  }

  async create(input: NewReview): Promise<Review> {
    const product = await this.products.findById(input.productId);
    if (!product) throw new NotFoundError('product', input.productId);
    if (!(await this.customers.findById(input.customerId))) throw new NotFoundError('customer', input.customerId);
    if (await this.reviews.existsFor(input.productId, input.customerId)) {
      throw new ConflictError(`customer ${input.customerId} already reviewed product ${input.productId}`);
    }
    const verified = await this.orders.hasPurchased(input.customerId, input.productId);
    try {
      return toReview(await this.reviews.create(input, verified));
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`customer ${input.customerId} already reviewed product ${input.productId}`);
      throw err;
    }
  }
}
