// Invoices: issued automatically when a payment is captured; one per order.
import type { AppContext } from '../lib/context.js';
import { NotFoundError } from '../lib/errors.js';
import { yearOf } from '../lib/dates.js';
import { InvoiceRepository } from '../repositories/InvoiceRepository.js';
import { OrderRepository } from '../repositories/OrderRepository.js';
import { invoiceNumber, toInvoice, type Invoice } from '../models/Invoice.js';

export class InvoiceService {
  private readonly invoices: InvoiceRepository;
  private readonly orders: OrderRepository;

  constructor(private readonly ctx: AppContext) {
    this.invoices = new InvoiceRepository(ctx.db);
    this.orders = new OrderRepository(ctx.db);
    ctx.events.on('payment.captured', (e) => this.issueFor(e.orderId));
  }

  async issueFor(orderId: number): Promise<void> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new NotFoundError('order', orderId);
    await this.invoices.create({
      number: invoiceNumber(yearOf(order.created_at), orderId),
      orderId,
      customerId: order.customer_id,
      subtotalCents: order.subtotal_cents - order.discount_cents + order.shipping_cents,
      taxCents: order.tax_cents,
      totalCents: order.total_cents,
    });
    this.ctx.logger.debug('invoice issued', { orderId });
  }

  async getForOrder(orderId: number): Promise<Invoice> {
    const row = await this.invoices.findByOrder(orderId);
    if (!row) throw new NotFoundError('invoice for order', orderId);
    return toInvoice(row, await this.invoices.linesFor(orderId));
  }
}
