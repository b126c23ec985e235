// StockLevel: units of one product in one warehouse; available = on hand minus reserved.

export interface StockLevelRow {
  product_id: number;
  warehouse_id: number;
  warehouse_code: string;
  warehouse_name: string;
  on_hand: number;
  reserved: number;
  updated_at: Date;
}

export interface WarehouseStock {
  warehouseId: number;
  warehouseCode: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface StockSummary {
  productId: number;
  onHand: number;
  reserved: number;
  available: number;
  warehouses: WarehouseStock[];
}

export interface StockMovement {
  productId: number;
  warehouseId: number;
  delta: number;
  reason: string;
  reference: string | null;
}

export function toWarehouseStock(row: StockLevelRow): WarehouseStock {
  return {
    warehouseId: row.warehouse_id,
    warehouseCode: row.warehouse_code,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
  };
}

export function summarizeStock(productId: number, rows: StockLevelRow[]): StockSummary {
  const warehouses = rows.map(toWarehouseStock);
  const onHand = warehouses.reduce((n, w) => n + w.onHand, 0);
  const reserved = warehouses.reduce((n, w) => n + w.reserved, 0);
  return { productId, onHand, reserved, available: onHand - reserved, warehouses };
}
