// Orders: the checkout flow across inventory, payments, shipping and notifications; cancellation.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError } from '../lib/errors.js';
import { formatMoney } from '../lib/money.js';
import { pageOf, type Page, type PageOf } from '../lib/pagination.js';
import { OrderRepository, type OrderFilter } from '../repositories/OrderRepository.js';
import { PaymentRepository } from '../repositories/PaymentRepository.js';
import { ShipmentRepository } from '../repositories/ShipmentRepository.js';
import { isCancellable, toOrderLine, toOrderSummary, type OrderDetail, type OrderSummary } from '../models/Order.js';
import type { CartService } from './CartService.js';
import type { CheckoutService } from './CheckoutService.js';
import type { CustomerService } from './CustomerService.js';
import type { InventoryService } from './InventoryService.js';
import type { PaymentService } from './PaymentService.js';
import type { ShippingService } from './ShippingService.js';
import type { NotificationService } from './NotificationService.js';
import type { PromotionService } from './PromotionService.js';

export interface CheckoutOptions {
  addressId?: number;
  carrierCode?: string;
  cardNumber?: string;
  promoCode?: string;
}

export interface OrderCollaborators {
  carts: CartService;
  checkout: CheckoutService;
  customers: CustomerService;
  inventory: InventoryService;
  payments: PaymentService;
  shipping: ShippingService;
  notifications: NotificationService;
  promotions: PromotionService;
}

export class OrderService {
  private readonly orders: OrderRepository;
  private readonly paymentRows: PaymentRepository;
  private readonly shipmentRows: ShipmentRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly deps: OrderCollaborators,
  ) {
    this.orders = new OrderRepository(ctx.db);
    this.paymentRows = new PaymentRepository(ctx.db);
    this.shipmentRows = new ShipmentRepository(ctx.db);
    ctx.events.on('shipment.updated', (e) => this.onShipmentUpdated(e.orderId, e.status));
  }

  async list(filter: OrderFilter, page: Page): Promise<PageOf<OrderSummary>> {
    const { rows, total } = await this.orders.list(filter, page);
    return pageOf(rows.map(toOrderSummary), total, page);
  }

  async get(id: number): Promise<OrderDetail> {
    const row = await this.orders.findById(id);
    if (!row) throw new NotFoundError('order', id);
    const [lines, payment, shipment] = await Promise.all([
      this.orders.lines(id),
      this.paymentRows.findLatestForOrder(id),
      this.shipmentRows.findByOrder(id),
    ]);
    return {
      ...toOrderSummary(row),
      lines: lines.map(toOrderLine),
      payment: payment ? { id: payment.id, status: payment.status, amountCents: payment.amount_cents } : null,
      shipment: shipment ? { id: shipment.id, status: shipment.status, trackingNumber: shipment.tracking_number, carrier: shipment.carrier_code } : null,
    };
  }

  /** Cart → order: reserve stock, charge the card, book the shipment, email the customer. */
  async placeOrder(customerId: number, opts: CheckoutOptions): Promise<OrderDetail> {
    const { carts, checkout, customers, inventory, payments, shipping, notifications, promotions } = this.deps;
    const cart = await carts.getCart(customerId);
    const address = await customers.shippingAddress(customerId, opts.addressId);
    const quote = await checkout.quote(cart, opts);
    const lines = cart.items.map((i) => ({ productId: i.productId, quantity: i.quantity }));
    await inventory.assertAvailable(lines);

    const orderId = await this.ctx.db.transaction(async (tx) => {
      const id = await this.orders.create(tx, {
        customerId,
        currency: this.ctx.config.currency,
        shippingAddressId: address.id,
        promotionCode: quote.promotionCode,
        subtotalCents: quote.subtotalCents,
        discountCents: quote.discountCents,
        shippingCents: quote.shippingCents,
        taxCents: quote.taxCents,
        totalCents: quote.totalCents,
        lines: cart.items.map((i) => ({ productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
      });
      await inventory.reserve(tx, id, lines);
      if (quote.promotionCode) await promotions.redeem(tx, quote.promotionCode, id, customerId, quote.discountCents);
      return id;
    });

    try {
      await payments.charge(orderId, opts.cardNumber);
    } catch (err) {
      await inventory.release(orderId); // the order stays as payment_failed; the cart stays open
      throw err;
    }
    await inventory.commit(orderId);
    await shipping.createShipment(orderId, address.id, quote.carrierCode);
    await carts.markConverted(cart.id);
    await notifications.send(customerId, 'order_confirmation', {
      orderId,
      itemCount: cart.itemCount,
      total: formatMoney(quote.totalCents, this.ctx.config.currency),
    });
    await this.ctx.events.publish({ type: 'order.placed', orderId, customerId, totalCents: quote.totalCents });
    this.ctx.logger.info('order placed', { orderId, customerId, totalCents: quote.totalCents });
    return this.get(orderId);
  }

  /** Cancels an order that has not shipped: stock back, money back, label voided. */
  async cancel(id: number, reason = 'customer_request'): Promise<OrderDetail> {
    const order = await this.orders.findById(id);
    if (!order) throw new NotFoundError('order', id);
    if (order.status === 'cancelled') throw new ConflictError(`order ${id} is already cancelled`);
    if (!isCancellable(order.status)) throw new ConflictError(`order ${id} cannot be cancelled in status ${order.status}`);
    await this.deps.inventory.release(id);
    await this.deps.payments.refundOrder(id, 'order_cancelled');
    await this.deps.shipping.cancelForOrder(id);
    await this.orders.updateStatus(id, 'cancelled');
    await this.deps.notifications.send(order.customer_id, 'order_cancelled', { orderId: id, reason });
    await this.ctx.events.publish({ type: 'order.cancelled', orderId: id, customerId: order.customer_id });
    return this.get(id);
  }

  private async onShipmentUpdated(orderId: number, shipmentStatus: string): Promise<void> {
    const order = await this.orders.findById(orderId);
    if (!order) return;
    const next = shipmentStatus === 'delivered' ? 'delivered' : shipmentStatus === 'in_transit' ? 'shipped' : undefined;
    if (next && order.status !== next && order.status !== 'cancelled') await this.orders.updateStatus(orderId, next);
    await this.deps.notifications.send(order.customer_id, 'shipment_update', { orderId, status: shipmentStatus.replace(/_/g, ' ') });
  }
}
