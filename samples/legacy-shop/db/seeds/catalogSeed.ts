// Seeds categories, products and product images from samples/data/catalog.json.
import { readFileSync } from 'node:fs';
import type { Queryable } from '../../lib/db.js';
import { insertMany } from '../../lib/queryBuilder.js';
import { locateResource } from '../../lib/resources.js';

export const CATALOG_PATH = 'samples/data/catalog.json';

export interface CatalogFile {
  categories: { id: number; name: string; slug: string; parentId: number | null }[];
  products: {
    id: number;
    sku: string;
    name: string;
    description: string | null;
    priceCents: number;
    categoryId: number;
    active: boolean;
    createdAt: string;
  }[];
}

export function loadCatalogFile(): CatalogFile {
  const path = locateResource(CATALOG_PATH);
  const data = JSON.parse(readFileSync(path, 'utf8')) as CatalogFile;
  if (!Array.isArray(data.categories) || !Array.isArray(data.products)) {
    throw new Error(`${path} must have "categories" and "products" arrays`);
  }
  return data;
}

export async function seedCatalog(tx: Queryable): Promise<void> {
  const catalog = loadCatalogFile();
  const categories = [...catalog.categories].sort((a, b) => a.id - b.id);
  const openedAt = new Date('2018-01-01T00:00:00.000Z');
  await insertMany(tx, 'categories', categories.map((c) => ({ id: c.id, name: c.name, slug: c.slug, parent_id: c.parentId, created_at: openedAt })));
  await insertMany(
    tx,
    'products',
    catalog.products.map((p) => ({
      id: p.id,
      sku: p.sku,
      name: p.name,
      description: p.description ?? null,
      price_cents: p.priceCents,
      category_id: p.categoryId,
      active: p.active,
      created_at: new Date(p.createdAt),
      updated_at: new Date(p.createdAt),
    })),
  );
  const images = catalog.products.flatMap((p) => {
    const base = `https://img.legacy-shop.example/products/${p.sku.toLowerCase()}`;
    const createdAt = new Date(p.createdAt);
    const first = { product_id: p.id, url: `${base}-1.jpg`, alt_text: p.name, position: 0, created_at: createdAt };
    return p.id % 3 === 0 ? [first, { product_id: p.id, url: `${base}-2.jpg`, alt_text: `${p.name} (detail)`, position: 1, created_at: createdAt }] : [first];
  });
  await insertMany(tx, 'product_images', images);
}
