// HTTP handlers for shipments, tracking events and carriers.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../lib/validation.js';
import type { ShipmentStatus } from '../lib/trackingNumbers.js';
import type { ShippingService } from '../services/ShippingService.js';

export class ShipmentController {
  constructor(private readonly shipping: ShippingService) {}

  get = async (req: FastifyRequest<{ Params: { id: string } }>) => this.shipping.get(parseId(req.params.id));

  addEvent = async (
    req: FastifyRequest<{ Params: { id: string }; Body: { status: ShipmentStatus; location?: string; note?: string } }>,
    reply: FastifyReply,
  ) => {
    const { status, location, note } = req.body;
    const event = await this.shipping.addEvent(parseId(req.params.id), status, location ?? null, note ?? null);
    return reply.code(201).send(event);
  };

  track = async (req: FastifyRequest<{ Params: { trackingNumber: string } }>) => this.shipping.track(req.params.trackingNumber);

  carriers = async () => ({ items: await this.shipping.listCarriers() });
}
