// Warehouse: a physical stock location that fulfils orders.
import { toIso } from '../lib/dates.js';

export interface WarehouseRow {
  id: number;
  code: string;
  name: string;
  city: string;
  created_at: Date;
  total_on_hand?: number;
  sku_count?: number;
}

export interface Warehouse {
  id: number;
  code: string;
  name: string;
  city: string;
  totalOnHand: number;
  skuCount: number;
  createdAt: string | null;
}

export function toWarehouse(row: WarehouseRow): Warehouse {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    city: row.city,
    totalOnHand: row.total_on_hand ?? 0,
    skuCount: row.sku_count ?? 0,
    createdAt: toIso(row.created_at),
  };
}

export const WAREHOUSE_CODE_PATTERN = /^[A-Z]{3,8}$/;
