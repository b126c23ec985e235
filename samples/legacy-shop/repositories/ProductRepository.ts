// Data access for products (+ their category and images); list queries use the knex builder.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { Page } from '../lib/pagination.js';
import type { NewProduct, ProductChanges, ProductFilter, ProductRow } from '../models/Product.js';

const BASE_SELECT = `
  SELECT p.id, p.sku, p.name, p.description, p.price_cents, p.category_id, p.active,
         p.created_at, p.updated_at, c.slug AS category_slug, c.name AS category_name
  FROM products p
  JOIN categories c ON c.id = p.category_id`;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

export class ProductRepository {
  constructor(private readonly db: Queryable) {}

  /** Active products only, ordered by id, with the total before paging. */
  async list(filter: ProductFilter, page: Page): Promise<{ rows: ProductRow[]; total: number }> {
    const base = qb('products as p').join('categories as c', 'c.id', 'p.category_id').where('p.active', true);
    if (filter.categoryId !== undefined) base.andWhere('p.category_id', filter.categoryId);
    if (filter.q) base.andWhereILike('p.name', `%${escapeLike(filter.q)}%`);
    const countRow = await runFirst<{ total: number }>(this.db, base.clone().select(qb.raw('count(*)::int AS total')));
    const rows = await runQuery<ProductRow>(
      this.db,
      base
        .clone()
        .select('p.id', 'p.sku', 'p.name', 'p.description', 'p.price_cents', 'p.category_id', 'p.active')
        .select('p.created_at', 'p.updated_at', 'c.slug as category_slug', 'c.name as category_name')
        .orderBy('p.id', 'asc')
        .limit(page.limit)
        .offset(page.offset),
    );
    return { rows, total: countRow?.total ?? 0 };
  }

  findById(id: number): Promise<ProductRow | undefined> {
    return queryOne<ProductRow>(this.db, `${BASE_SELECT} WHERE p.id = $1`, [id]);
  }

  findBySku(sku: string): Promise<ProductRow | undefined> {
    return queryOne<ProductRow>(this.db, `${BASE_SELECT} WHERE p.sku = $1`, [sku]);
  }

  findByIds(ids: number[]): Promise<ProductRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    const query = qb('products as p')
      .join('categories as c', 'c.id', 'p.category_id')
      .select('p.*', 'c.slug as category_slug', 'c.name as category_name')
      .whereIn('p.id', ids)
      .orderBy('p.id');
    return runQuery<ProductRow>(this.db, query);
  }

  async create(input: NewProduct): Promise<ProductRow> {
    const inserted = await queryOne<{ id: number }>(
      this.db,
      `INSERT INTO products (sku, name, description, price_cents, category_id, active)
       VALUES ($1, $2, $3, $4, $5, true) RETURNING id`,
      [input.sku, input.name, input.description, input.priceCents, input.categoryId],
    );
    return (await this.findById(inserted!.id))!;
  }

  async update(id: number, changes: ProductChanges): Promise<ProductRow | undefined> {
    const patch: Record<string, unknown> = {};
    if (changes.name !== undefined) patch.name = changes.name;
    if (changes.description !== undefined) patch.description = changes.description;
    if (changes.priceCents !== undefined) patch.price_cents = changes.priceCents;
    if (changes.categoryId !== undefined) patch.category_id = changes.categoryId;
    if (changes.active !== undefined) patch.active = changes.active;
    if (Object.keys(patch).length > 0) {
      await runQuery(this.db, qb('products').where({ id }).update({ ...patch, updated_at: qb.fn.now() }));
    }
    return this.findById(id);
  }

  /** Soft delete: the row stays for order history, it just stops being listed. */
  async deactivate(id: number): Promise<boolean> {
    const res = await this.db.query('UPDATE products SET active = false, updated_at = now() WHERE id = $1', [id]);
    return res.rowCount > 0;
  }

  /** First image per product, used by the cart page. */
  async primaryImages(productIds: number[]): Promise<Map<number, string>> {
    if (productIds.length === 0) return new Map();
    const rows = await runQuery<{ product_id: number; url: string }>(
      this.db,
      qb('product_images').distinctOn('product_id').select('product_id', 'url').whereIn('product_id', productIds).orderBy(['product_id', 'position']),
    );
    return new Map(rows.map((r) => [r.product_id, r.url]));
  }
}
