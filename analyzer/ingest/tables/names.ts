/**
 * Table-name normalisation shared by the SQL, query-builder and ORM detectors: everything
 * reported as a `TableUse.table` goes through here, so `"public"."Orders"`, `shop.orders`,
 * `'orders as o'` and the ORM entity `Orders` all meet as `orders`.
 */

/**
 * `OrderLine` → `order_line`, `orderLine` → `order_line`, `HTTPLog` → `http_log`. This is
 * TypeORM's default naming (DefaultNamingStrategy) and what Prisma/Sequelize users usually map
 * to; no pluralisation is applied.
 */
export function snakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[\s-]+/g, '_')
    .toLowerCase();
}

const TABLE_REF = /^\s*(?:([A-Za-z_][\w$]*)\.)?([A-Za-z_][\w$]*)(?:\s+as\s+[A-Za-z_][\w$]*)?\s*$/i;

/**
 * A query-builder table argument (`'orders'`, `'shop.orders'`, `'orders as o'`) → `orders`;
 * null for anything that is not a plain table reference (`'*'`, `'count(*)'`, prose).
 */
export function tableFromBuilderArg(text: string): string | null {
  const m = TABLE_REF.exec(text);
  return m?.[2] ? m[2].toLowerCase() : null;
}
