/**
 * Seeds the catalog tables from the shared sample data (samples/data/catalog.json, the same
 * file the legacy shop seeds from), so both sides start with identical rows. Runs only when the
 * tables are empty and inserts with ON CONFLICT DO NOTHING, so repeated or concurrent starts
 * are harmless. The file is found by walking up from this module (source or dist/) and then
 * from the working directory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './pool.js';

export interface SeedCategory {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
}

export interface SeedProduct {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  categoryId: number;
  active: boolean;
  createdAt: string;
}

export interface CatalogSeed {
  categories: SeedCategory[];
  products: SeedProduct[];
}

const DATA_FILE = join('samples', 'data', 'catalog.json');

function findUp(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, DATA_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Absolute path of samples/data/catalog.json, searched from this module, then from the cwd. */
export function locateCatalogData(): string {
  const found = findUp(dirname(fileURLToPath(import.meta.url))) ?? findUp(process.cwd());
  if (found === undefined) {
    throw new Error(`cannot find ${DATA_FILE} above ${fileURLToPath(import.meta.url)} or ${process.cwd()}`);
  }
  return found;
}

/** Reads and shape-checks the seed file; names the file and the first bad entry on error. */
export function loadCatalogSeed(file = locateCatalogData()): CatalogSeed {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CatalogSeed>;
  if (!Array.isArray(data.categories) || !Array.isArray(data.products)) {
    throw new Error(`${file}: expected { "categories": [...], "products": [...] }`);
  }
  const badProduct = data.products.findIndex(
    (p) =>
      !Number.isInteger(p.id) ||
      typeof p.sku !== 'string' ||
      !Number.isInteger(p.priceCents) ||
      !Number.isInteger(p.categoryId),
  );
  if (badProduct >= 0)
    throw new Error(`${file}: products[${badProduct}] needs integer id, priceCents, categoryId and a string sku`);
  return data as CatalogSeed;
}

/** Inserts the seed when the catalog is empty; returns how many products it inserted. */
export async function seedCatalog(db: Database, seed: CatalogSeed = loadCatalogSeed()): Promise<number> {
  const existing = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM catalog_items');
  if ((existing.rows[0]?.n ?? 0) > 0) return 0;

  // One statement each: foreign keys (also parent_id → category_id) are checked at its end.
  await db.query(
    `INSERT INTO catalog_categories (category_id, label, slug, parent_id)
     SELECT c.id, c.name, c.slug, c."parentId"
       FROM jsonb_to_recordset($1::jsonb) AS c(id int, name text, slug text, "parentId" int)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(seed.categories)],
  );
  const inserted = await db.query(
    `INSERT INTO catalog_items (item_id, sku, title, summary, unit_price, category_id, is_active, created_at, updated_at)
     SELECT p.id, p.sku, p.name, p.description, p."priceCents" / 100.0, p."categoryId", p.active,
            p."createdAt", p."createdAt"
       FROM jsonb_to_recordset($1::jsonb)
            AS p(id int, sku text, name text, description text, "priceCents" bigint, "categoryId" int,
                 active boolean, "createdAt" timestamptz)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(seed.products)],
  );
  // Explicit ids bypassed the identity sequence; move it past them so new items don't collide.
  await db.query(
    `SELECT setval(pg_get_serial_sequence('catalog_items', 'item_id'),
                   (SELECT coalesce(max(item_id), 0) + 1 FROM catalog_items), false)`,
  );
  return inserted.rowCount;
}
