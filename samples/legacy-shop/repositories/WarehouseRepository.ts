// Data access for warehouses, with stock totals per warehouse (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { WarehouseRow } from '../models/Warehouse.js';

export class WarehouseRepository {
  constructor(private readonly db: Queryable) {}

  listWithTotals(): Promise<WarehouseRow[]> {
    const query = qb('warehouses as w')
      .leftJoin('stock_levels as s', 's.warehouse_id', 'w.id')
      .select('w.id', 'w.code', 'w.name', 'w.city', 'w.created_at')
      .select(qb.raw('COALESCE(SUM(s.on_hand), 0)::int AS total_on_hand'))
      .select(qb.raw('count(s.product_id)::int AS sku_count'))
      .groupBy('w.id')
      .orderBy('w.id');
    return runQuery<WarehouseRow>(this.db, query);
  }

  findById(id: number): Promise<WarehouseRow | undefined> {
    return runFirst<WarehouseRow>(this.db, qb('warehouses').where({ id }).first());
  }

  findByCode(code: string): Promise<WarehouseRow | undefined> {
    return runFirst<WarehouseRow>(this.db, qb('warehouses').where({ code }).first());
  }

  async defaultWarehouseId(): Promise<number | undefined> {
    const row = await runFirst<{ id: number }>(this.db, qb('warehouses').select('id').orderBy('id').limit(1));
    return row?.id;
  }
}
