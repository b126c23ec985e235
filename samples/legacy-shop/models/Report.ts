// Report shapes for the back-office dashboard and the sales report.

export interface DashboardTotals {
  customers: number;
  activeProducts: number;
  orders: number;
  revenueCents: number;
  refundedCents: number;
  averageOrderCents: number;
  openCarts: number;
  queuedNotifications: number;
  shipmentsInTransit: number;
  averageRating: number | null;
}

export interface TopProduct {
  productId: number;
  sku: string;
  name: string;
  category: string;
  unitsSold: number;
  revenueCents: number;
}

export interface LowStockItem {
  productId: number;
  sku: string;
  warehouse: string;
  available: number;
}

export interface Dashboard {
  totals: DashboardTotals;
  ordersByStatus: Record<string, number>;
  topProducts: TopProduct[];
  lowStock: LowStockItem[];
  revenueByCarrier: { carrier: string; shipments: number; revenueCents: number }[];
}

export interface SalesDay {
  day: string;
  orders: number;
  units: number;
  grossCents: number;
  refundedCents: number;
}
