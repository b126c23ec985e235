// Registers every route module with its controller.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../lib/context.js';
import type { Services } from '../container.js';
import { ProductController } from '../controllers/ProductController.js';
import { CategoryController } from '../controllers/CategoryController.js';
import { InventoryController } from '../controllers/InventoryController.js';
import { CustomerController } from '../controllers/CustomerController.js';
import { AuthController } from '../controllers/AuthController.js';
import { CartController } from '../controllers/CartController.js';
import { OrderController } from '../controllers/OrderController.js';
import { PaymentController } from '../controllers/PaymentController.js';
import { ShipmentController } from '../controllers/ShipmentController.js';
import { NotificationController } from '../controllers/NotificationController.js';
import { ReviewController } from '../controllers/ReviewController.js';
import { PromotionController } from '../controllers/PromotionController.js';
import { AdminController } from '../controllers/AdminController.js';
import { productRoutes } from './productRoutes.js';
import { categoryRoutes } from './categoryRoutes.js';
import { inventoryRoutes } from './inventoryRoutes.js';
import { customerRoutes } from './customerRoutes.js';
import { authRoutes } from './authRoutes.js';
import { cartRoutes } from './cartRoutes.js';
import { orderRoutes } from './orderRoutes.js';
import { paymentRoutes } from './paymentRoutes.js';
import { shippingRoutes } from './shippingRoutes.js';
import { notificationRoutes } from './notificationRoutes.js';
import { reviewRoutes } from './reviewRoutes.js';
import { promotionRoutes } from './promotionRoutes.js';
import { adminRoutes } from './adminRoutes.js';
import { healthRoutes } from './healthRoutes.js';

export function registerRoutes(app: FastifyInstance, s: Services, ctx: AppContext): void {
  productRoutes(app, new ProductController(s.products, ctx.config));
  categoryRoutes(app, new CategoryController(s.categories, ctx.config));
  inventoryRoutes(app, new InventoryController(s.inventory));
  customerRoutes(app, new CustomerController(s.customers));
  authRoutes(app, new AuthController(s.auth));
  cartRoutes(app, new CartController(s.carts, s.orders));
  orderRoutes(app, new OrderController(s.orders, ctx.config));
  paymentRoutes(app, new PaymentController(s.payments, s.invoices));
  shippingRoutes(app, new ShipmentController(s.shipping));
  notificationRoutes(app, new NotificationController(s.notifications));
  reviewRoutes(app, new ReviewController(s.reviews));
  promotionRoutes(app, new PromotionController(s.promotions));
  adminRoutes(app, new AdminController(s.reports));
  healthRoutes(app, ctx.db);
}
