// HTTP handlers for customer accounts, their addresses and their order history.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { parseId } from '../lib/validation.js';
import type { CustomerChanges, NewCustomer } from '../models/Customer.js';
import type { NewAddress } from '../models/Address.js';
import type { CustomerService } from '../services/CustomerService.js';

type IdParams = { Params: { id: string } };

export class CustomerController {
  constructor(private readonly customers: CustomerService) {}

  register = async (req: FastifyRequest<{ Body: NewCustomer }>, reply: FastifyReply) => {
    const { email, firstName, lastName, phone, password } = req.body;
    const customer = await this.customers.register({ email, firstName, lastName, phone: phone ?? null, password });
    return reply.code(201).send(customer);
  };

  get = async (req: FastifyRequest<IdParams>) => this.customers.get(parseId(req.params.id));

  update = async (req: FastifyRequest<IdParams & { Body: CustomerChanges }>) => this.customers.update(parseId(req.params.id), req.body);

  addresses = async (req: FastifyRequest<IdParams>) => ({ items: await this.customers.listAddresses(parseId(req.params.id)) });

  addAddress = async (req: FastifyRequest<IdParams & { Body: Partial<NewAddress> & { line1: string; city: string; region: string; postalCode: string } }>, reply: FastifyReply) => {
    const b = req.body;
    const address = await this.customers.addAddress(parseId(req.params.id), {
      line1: b.line1,
      line2: b.line2 ?? null,
      city: b.city,
      region: b.region,
      postalCode: b.postalCode,
      country: b.country ?? 'US',
      isDefault: b.isDefault ?? false,
    });
    return reply.code(201).send(address);
  };

  orders = async (req: FastifyRequest<IdParams>) => ({ items: await this.customers.getOrderHistory(parseId(req.params.id)) });
}
