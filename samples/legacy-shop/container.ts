// Wires every service of the shop together (the hand-rolled "DI container" everyone imports).
import type { AppContext } from './lib/context.js';
import { ProductService } from './services/ProductService.js';
import { CategoryService } from './services/CategoryService.js';
import { createInventoryService, type InventoryService } from './services/InventoryService.js';
import { CustomerService } from './services/CustomerService.js';
import { AuthService } from './services/AuthService.js';
import { CartService } from './services/CartService.js';
import { CheckoutService } from './services/CheckoutService.js';
import { OrderService } from './services/OrderService.js';
import { PaymentService } from './services/PaymentService.js';
import { InvoiceService } from './services/InvoiceService.js';
import { ShippingService } from './services/ShippingService.js';
import { createNotificationService, type NotificationService } from './services/NotificationService.js';
import { ReviewService } from './services/ReviewService.js';
import { PromotionService } from './services/PromotionService.js';
import { ReportService } from './services/ReportService.js';

export interface Services {
  products: ProductService;
  categories: CategoryService;
  inventory: InventoryService;
  customers: CustomerService;
  auth: AuthService;
  carts: CartService;
  orders: OrderService;
  payments: PaymentService;
  invoices: InvoiceService;
  shipping: ShippingService;
  notifications: NotificationService;
  reviews: ReviewService;
  promotions: PromotionService;
  reports: ReportService;
}

export function createServices(ctx: AppContext): Services {
  const products = new ProductService(ctx);
  const notifications = createNotificationService(ctx);
  const inventory = createInventoryService(ctx);
  const customers = new CustomerService(ctx);
  const carts = new CartService(ctx);
  const payments = new PaymentService(ctx);
  const invoices = new InvoiceService(ctx);
  const shipping = new ShippingService(ctx);
  const promotions = new PromotionService(ctx);
  const checkout = new CheckoutService(ctx, promotions, shipping);
  const orders = new OrderService(ctx, { carts, checkout, customers, inventory, payments, shipping, notifications, promotions });
  return {
    products,
    categories: new CategoryService(ctx, products),
    inventory,
    customers,
    auth: new AuthService(ctx),
    carts,
    orders,
    payments,
    invoices,
    shipping,
    notifications,
    reviews: new ReviewService(ctx),
    promotions,
    reports: new ReportService(ctx),
  };
}
