// Routes for stock levels and warehouses.
import type { FastifyInstance } from 'fastify';
import type { InventoryController } from '../controllers/InventoryController.js';

export function inventoryRoutes(app: FastifyInstance, inventory: InventoryController): void {
  // registered before /inventory/:productId so "low-stock" is not taken for a product id
  app.get('/inventory/low-stock', inventory.lowStock);
  app.get('/inventory/:productId', inventory.stock);
  app.post('/inventory/:productId/adjust', inventory.adjust);
  app.get('/warehouses', inventory.warehouses);
}
