// Routes for customer accounts and addresses, validated by JSON schema.
import type { FastifyInstance } from 'fastify';
import type { CustomerController } from '../controllers/CustomerController.js';

const email = { type: 'string', format: 'email', maxLength: 200 } as const;
const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
const phone = { type: ['string', 'null'], maxLength: 30 } as const;

const registerSchema = {
  body: {
    type: 'object',
    required: ['email', 'firstName', 'lastName', 'password'],
    additionalProperties: false,
    properties: { email, firstName: name, lastName: name, phone, password: { type: 'string', minLength: 8, maxLength: 200 } },
  },
};

const updateSchema = {
  body: { type: 'object', additionalProperties: false, properties: { email, firstName: name, lastName: name, phone } },
};

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

const addressSchema = {
  body: {
    type: 'object',
    required: ['line1', 'city', 'region', 'postalCode'],
    additionalProperties: false,
    properties: {
      line1: text(200),
      line2: { type: ['string', 'null'], maxLength: 200 },
      city: text(100),
      region: text(100),
      postalCode: text(20),
      country: { type: 'string', pattern: '^[A-Z]{2}$' },
      isDefault: { type: 'boolean' },
    },
  },
};

export function customerRoutes(app: FastifyInstance, customers: CustomerController): void {
  app.post('/customers', { schema: registerSchema }, customers.register);
  app.get('/customers/:id', customers.get);
  app.put('/customers/:id', { schema: updateSchema }, customers.update);
  app.get('/customers/:id/addresses', customers.addresses);
  app.post('/customers/:id/addresses', { schema: addressSchema }, customers.addAddress);
  app.get('/customers/:id/orders', customers.orders);
}
