// Category: the catalog's product tree (a parent may have children, one level deep in practice).

export interface CategoryRow {
  id: number;
  name: string;
  slug: string;
  parent_id: number | null;
  created_at: Date;
}

export interface Category {
  id: number;
  name: string;
  slug: string;
  parentId: number | null;
}

/** How a product embeds its category. */
export interface CategoryRef {
  id: number;
  slug: string;
  name: string;
}

export function toCategory(row: CategoryRow): Category {
  return { id: row.id, name: row.name, slug: row.slug, parentId: row.parent_id };
}

export function childrenOf(categories: Category[], parentId: number): Category[] {
  return categories.filter((c) => c.parentId === parentId);
}

/** Breadcrumb from the root to the category, e.g. Kitchen › Cookware. */
export function categoryPath(categories: Category[], id: number): Category[] {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const path: Category[] = [];
  let current = byId.get(id);
  while (current && path.length < 10) {
    path.unshift(current);
    current = current.parentId === null ? undefined : byId.get(current.parentId);
  }
  return path;
}
