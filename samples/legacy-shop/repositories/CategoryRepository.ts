// Data access for categories (raw SQL; this one predates the query builder).
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { CategoryRow } from '../models/Category.js';

export class CategoryRepository {
  constructor(private readonly db: Queryable) {}

  async findAll(): Promise<CategoryRow[]> {
    const res = await this.db.query<CategoryRow>('SELECT id, name, slug, parent_id, created_at FROM categories ORDER BY id');
    return res.rows;
  }

  findBySlug(slug: string): Promise<CategoryRow | undefined> {
    return queryOne<CategoryRow>(this.db, 'SELECT id, name, slug, parent_id, created_at FROM categories WHERE slug = $1', [slug]);
  }

  findById(id: number): Promise<CategoryRow | undefined> {
    return queryOne<CategoryRow>(this.db, 'SELECT id, name, slug, parent_id, created_at FROM categories WHERE id = $1', [id]);
  }

  async exists(id: number): Promise<boolean> {
    const row = await queryOne<{ n: number }>(this.db, 'SELECT count(*)::int AS n FROM categories WHERE id = $1', [id]);
    return (row?.n ?? 0) > 0;
  }

  /** Product counts per category (active products only), for the category menu. */
  async productCounts(): Promise<Map<number, number>> {
    const res = await this.db.query<{ category_id: number; n: number }>(
      `SELECT c.id AS category_id, count(p.id)::int AS n
       FROM categories c LEFT JOIN products p ON p.category_id = c.id AND p.active
       GROUP BY c.id ORDER BY c.id`,
    );
    return new Map(res.rows.map((r) => [r.category_id, r.n]));
  }
}
