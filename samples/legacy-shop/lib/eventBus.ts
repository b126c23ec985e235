// In-process domain event bus; handlers run in order and are awaited before publish() returns.
import type { Logger } from './logger.js';

export type ShopEvent =
  | { type: 'order.placed'; orderId: number; customerId: number; totalCents: number }
  | { type: 'order.cancelled'; orderId: number; customerId: number }
  | { type: 'payment.captured'; paymentId: number; orderId: number; customerId: number; amountCents: number }
  | { type: 'payment.refunded'; refundId: number; paymentId: number; orderId: number; customerId: number; amountCents: number }
  | { type: 'shipment.updated'; shipmentId: number; orderId: number; status: string }
  | { type: 'customer.registered'; customerId: number; email: string };

type Handler<E> = (event: E) => Promise<void> | void;

export class EventBus {
  private readonly handlers = new Map<string, Handler<any>[]>();

  constructor(private readonly logger?: Logger) {}

  on<K extends ShopEvent['type']>(type: K, handler: Handler<Extract<ShopEvent, { type: K }>>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler);
    this.handlers.set(type, list);
  }

  /** Runs every handler; a failing handler is logged and does not stop the others. */
  async publish(event: ShopEvent): Promise<void> {
    for (const handler of this.handlers.get(event.type) ?? []) {
      try {
        await handler(event);
      } catch (err) {
        // TODO: dead-letter these instead of logging and moving on
        this.logger?.error('event handler failed', { type: event.type, err: String(err) });
      }
    }
  }
}
