// Data access for product reviews; the reviewer's name comes from customers (raw SQL).
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { NewReview, ReviewRow } from '../models/Review.js';

const REVIEW_SELECT = `
  SELECT r.id, r.product_id, r.customer_id, c.first_name || ' ' || left(c.last_name, 1) || '.' AS reviewer_name,
         r.rating, r.title, r.body, r.verified_purchase, r.created_at
  FROM reviews r
  JOIN customers c ON c.id = r.customer_id`;

export class ReviewRepository {
  constructor(private readonly db: Queryable) {}

  async listForProduct(productId: number, limit: number): Promise<ReviewRow[]> {
    const res = await this.db.query<ReviewRow>(`${REVIEW_SELECT} WHERE r.product_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`, [productId, limit]);
    return res.rows;
  }

  async stats(productId: number): Promise<{ count: number; average: number | null }> {
    const row = await queryOne<{ count: number; average: number | null }>(
      this.db,
      'SELECT count(*)::int AS count, round(avg(rating)::numeric, 2)::float8 AS average FROM reviews WHERE product_id = $1',
      [productId],
    );
    return { count: row?.count ?? 0, average: row?.average ?? null };
  }

  async create(review: NewReview, verifiedPurchase: boolean): Promise<ReviewRow> {
    const inserted = await queryOne<{ id: number }>(
      this.db,
      `INSERT INTO reviews (product_id, customer_id, rating, title, body, verified_purchase)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [review.productId, review.customerId, review.rating, review.title, review.body, verifiedPurchase],
    );
    return (await queryOne<ReviewRow>(this.db, `${REVIEW_SELECT} WHERE r.id = $1`, [inserted!.id]))!;
  }

  async existsFor(productId: number, customerId: number): Promise<boolean> {
    const row = await queryOne<{ n: number }>(this.db, 'SELECT count(*)::int AS n FROM reviews WHERE product_id = $1 AND customer_id = $2', [productId, customerId]);
    return (row?.n ?? 0) > 0;
  }
}
