// Routes for shipments, tracking and carriers.
import type { FastifyInstance } from 'fastify';
import type { ShipmentController } from '../controllers/ShipmentController.js';
import { SHIPMENT_STATUSES } from '../lib/trackingNumbers.js';

const eventSchema = {
  body: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', enum: SHIPMENT_STATUSES.filter((s) => s !== 'label_created' && s !== 'cancelled') },
      location: { type: 'string', maxLength: 200 },
      note: { type: 'string', maxLength: 500 },
    },
  },
};

export function shippingRoutes(app: FastifyInstance, shipments: ShipmentController): void {
  app.get('/shipments/:id', shipments.get);
  app.post('/shipments/:id/events', { schema: eventSchema }, shipments.addEvent);
  app.get('/tracking/:trackingNumber', shipments.track);
  app.get('/carriers', shipments.carriers);
}
