/**
 * Reads and writes catalog_items (joined with catalog_categories) and maps the service's column
 * names back to domain fields. Listing is active items only; with a search term the order is
 * by title (a deliberate change from the monolith's id order, see README), otherwise by id;
 * `searchOrder: 'id'` (the compat build) keeps the monolith's id order for searches too.
 */
import { duplicateSku, unknownCategory } from '../errors.js';
import { sqlState, type Database } from '../db/pool.js';

export interface ProductRecord {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  active: boolean;
  createdAt: string;
  category: { id: number; slug: string; name: string };
}

export interface ProductFilter {
  categorySlug?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

export interface NewProduct {
  sku: string;
  name: string;
  description?: string | null | undefined;
  priceCents: number;
  categoryId: number;
}

export interface ProductPatch {
  name?: string;
  /** null clears the description (stored as ''). */
  description?: string | null;
  priceCents?: number;
  categoryId?: number;
  active?: boolean;
}

export interface ProductRepository {
  list(filter: ProductFilter): Promise<{ items: ProductRecord[]; total: number }>;
  get(id: number): Promise<ProductRecord | undefined>;
  create(input: NewProduct): Promise<ProductRecord>;
  update(id: number, patch: ProductPatch): Promise<ProductRecord | undefined>;
  /** Soft delete; false when there is no such item. */
  deactivate(id: number): Promise<boolean>;
}

interface Row {
  id: number;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  active: boolean;
  created_at: string;
  category_id: number;
  category_slug: string;
  category_name: string;
}

const SELECT = `
  SELECT i.item_id AS id, i.sku, i.title AS name, i.summary AS description,
         (i.unit_price * 100)::int AS price_cents, i.is_active AS active,
         to_char(i.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
         c.category_id, c.slug AS category_slug, c.label AS category_name
    FROM catalog_items i
    JOIN catalog_categories c ON c.category_id = i.category_id`;

/** Patch fields → columns; values in cents become numeric dollars in SQL. */
const PATCH_COLUMNS: Record<keyof ProductPatch, string> = {
  name: 'title',
  description: 'summary',
  priceCents: 'unit_price',
  categoryId: 'category_id',
  active: 'is_active',
};

function toRecord(r: Row): ProductRecord {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    priceCents: r.price_cents,
    active: r.active,
    createdAt: r.created_at,
    category: {
      id: r.category_id,
      slug: r.category_slug,
      name: r.category_name,
    },
  };
}

/** ILIKE pattern matching `q` literally anywhere in the title. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function rethrowConstraint(err: unknown, input: { sku?: string; categoryId?: number | undefined }): never {
  const state = sqlState(err);
  if (state === '23505' && input.sku !== undefined) throw duplicateSku(input.sku);
  if (state === '23503' && input.categoryId !== undefined) throw unknownCategory(input.categoryId);
  throw err;
}

export function createProductRepository(db: Database, options: { searchOrder?: 'name' | 'id' } = {}): ProductRepository {
  async function get(id: number): Promise<ProductRecord | undefined> {
    const { rows } = await db.query<Row>(`${SELECT} WHERE i.item_id = $1`, [id]);
    return rows[0] === undefined ? undefined : toRecord(rows[0]);
  }

  return {
    get,

    async list({ categorySlug, q, limit, offset }) {
      const where = `WHERE i.is_active
          AND ($1::text IS NULL OR c.slug = $1)
          AND ($2::text IS NULL OR i.title ILIKE $2)`;
      const params = [categorySlug ?? null, q === undefined ? null : containsPattern(q)];
      const order = q === undefined || options.searchOrder === 'id' ? 'i.item_id' : 'lower(i.title) COLLATE "C", i.item_id';
      const [page, count] = await Promise.all([
        db.query<Row>(`${SELECT} ${where} ORDER BY ${order} LIMIT $3 OFFSET $4`, [...params, limit, offset]),
        db.query<{ total: number }>(
          `SELECT count(*)::int AS total FROM catalog_items i
             JOIN catalog_categories c ON c.category_id = i.category_id ${where}`,
          params,
        ),
      ]);
      return {
        items: page.rows.map(toRecord),
        total: count.rows[0]?.total ?? 0,
      };
    },

    async create(input) {
      try {
        const { rows } = await db.query<{ id: number }>(
          `INSERT INTO catalog_items (sku, title, summary, unit_price, category_id)
           VALUES ($1, $2, $3, $4::numeric / 100, $5) RETURNING item_id AS id`,
          [input.sku, input.name, input.description ?? '', input.priceCents, input.categoryId],
        );
        const created = await get(rows[0]!.id);
        return created!;
      } catch (err) {
        rethrowConstraint(err, input);
      }
    },

    async update(id, patch) {
      const sets: string[] = [];
      const params: unknown[] = [id];
      for (const [field, column] of Object.entries(PATCH_COLUMNS) as [keyof ProductPatch, string][]) {
        const raw = patch[field];
        if (raw === undefined) continue;
        const value = field === 'description' && raw === null ? '' : raw;
        params.push(value);
        sets.push(
          field === 'priceCents' ? `${column} = $${params.length}::numeric / 100` : `${column} = $${params.length}`,
        );
      }
      if (sets.length > 0) {
        try {
          const res = await db.query(
            `UPDATE catalog_items SET ${sets.join(', ')}, updated_at = now() WHERE item_id = $1`,
            params,
          );
          if (res.rowCount === 0) return undefined;
        } catch (err) {
          rethrowConstraint(err, { categoryId: patch.categoryId });
        }
      }
      return get(id);
    },

    async deactivate(id) {
      const res = await db.query('UPDATE catalog_items SET is_active = false, updated_at = now() WHERE item_id = $1', [
        id,
      ]);
      return res.rowCount > 0;
    },
  };
}
