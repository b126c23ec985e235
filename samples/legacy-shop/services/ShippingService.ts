// Shipping: carrier rates, booking shipments with tracking numbers, and tracking events.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.js';
import { trackingNumberFor, type ShipmentStatus } from '../lib/trackingNumbers.js';
import { CarrierRepository } from '../repositories/CarrierRepository.js';
import { ShipmentRepository } from '../repositories/ShipmentRepository.js';
import { shippingCostFor, toCarrier, type Carrier } from '../models/Carrier.js';
import { SHIPMENT_TRANSITIONS, toShipment, toShipmentEvent, type Shipment, type ShipmentEvent } from '../models/Shipment.js';

export class ShippingService {
  private readonly carriers: CarrierRepository;
  private readonly shipments: ShipmentRepository;

  constructor(private readonly ctx: AppContext) {
    this.carriers = new CarrierRepository(ctx.db);
    this.shipments = new ShipmentRepository(ctx.db);
  }

  async listCarriers(): Promise<Carrier[]> {
    return (await this.carriers.listActive()).map(toCarrier);
  }

  /** Shipping cost in cents for a carrier and the discounted subtotal. */
  async quote(carrierCode: string, subtotalCents: number): Promise<number> {
    const carrier = await this.carriers.findByCode(carrierCode);
    if (!carrier || !carrier.active) throw new ValidationError(`carrierCode ${carrierCode} is not an active carrier`);
    return shippingCostFor(toCarrier(carrier), subtotalCents);
  }

  async createShipment(orderId: number, addressId: number, carrierCode: string): Promise<Shipment> {
    const carrier = await this.carriers.findByCode(carrierCode);
    if (!carrier) throw new ValidationError(`carrierCode ${carrierCode} is not an active carrier`);
    const id = await this.shipments.create(orderId, carrier.id, addressId);
    await this.shipments.setTrackingNumber(id, trackingNumberFor(carrier.code, id));
    await this.shipments.addEvent(id, 'label_created', 'Warehouse', `label printed for order ${orderId}`);
    return this.get(id);
  }

  async get(id: number): Promise<Shipment> {
    const row = await this.shipments.findById(id);
    if (!row) throw new NotFoundError('shipment', id);
    return toShipment(row, await this.shipments.events(id));
  }

  async track(trackingNumber: string): Promise<Shipment> {
    const row = await this.shipments.findByTrackingNumber(trackingNumber);
    if (!row) throw new NotFoundError('tracking number', trackingNumber);
    return toShipment(row, await this.shipments.events(row.id));
  }

  /** Records a carrier scan; moves the shipment (and, via the event bus, the order) along. */
  async addEvent(id: number, status: ShipmentStatus, location: string | null, note: string | null): Promise<ShipmentEvent> {
    const shipment = await this.shipments.findById(id);
    if (!shipment) throw new NotFoundError('shipment', id);
    if (!SHIPMENT_TRANSITIONS[shipment.status].includes(status)) {
      throw new ConflictError(`shipment ${id} cannot go from ${shipment.status} to ${status}`);
    }
    if ((await this.shipments.orderStatusFor(id)) === 'cancelled') throw new ConflictError(`order of shipment ${id} is cancelled`);
    const event = await this.shipments.addEvent(id, status, location, note);
    await this.shipments.updateStatus(id, status);
    await this.ctx.events.publish({ type: 'shipment.updated', shipmentId: id, orderId: shipment.order_id, status });
    return toShipmentEvent(event);
  }

  /** Voids the label of an order that is being cancelled (only before it left the warehouse). */
  async cancelForOrder(orderId: number): Promise<void> {
    const shipment = await this.shipments.findByOrder(orderId);
    if (!shipment || shipment.status === 'cancelled') return;
    if (shipment.status !== 'label_created') throw new ConflictError(`shipment ${shipment.id} has already left the warehouse`);
    await this.shipments.updateStatus(shipment.id, 'cancelled');
    await this.shipments.addEvent(shipment.id, 'cancelled', null, `order ${orderId} cancelled`);
  }
}
