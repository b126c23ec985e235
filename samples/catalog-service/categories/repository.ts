/**
 * Reads catalog_categories and maps its columns (label, parent_id) back to the API's names.
 */
import type { Database } from '../db/pool.js';

export interface Category {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
}

export interface CategoryRepository {
  list(): Promise<Category[]>;
  findBySlug(slug: string): Promise<Category | undefined>;
}

const COLUMNS = 'category_id AS id, label AS name, slug, parent_id AS "parentId"';

export function createCategoryRepository(db: Database): CategoryRepository {
  return {
    async list() {
      const { rows } = await db.query<Category>(`SELECT ${COLUMNS} FROM catalog_categories ORDER BY category_id`);
      return rows;
    },
    async findBySlug(slug) {
      const { rows } = await db.query<Category>(`SELECT ${COLUMNS} FROM catalog_categories WHERE slug = $1`, [slug]);
      return rows[0];
    },
  };
}
