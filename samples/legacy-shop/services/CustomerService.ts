// Customer accounts: registration, profile, addresses and (via orders) order history.
import type { AppContext } from '../lib/context.js';
import { ConflictError, NotFoundError, ValidationError, isUniqueViolation } from '../lib/errors.js';
import { hashPassword, newSalt } from '../lib/passwords.js';
import { CustomerRepository } from '../repositories/CustomerRepository.js';
import { AddressRepository } from '../repositories/AddressRepository.js';
import { OrderRepository } from '../repositories/OrderRepository.js';
import { toCustomer, type Customer, type CustomerChanges, type NewCustomer } from '../models/Customer.js';
import { toAddress, type Address, type NewAddress } from '../models/Address.js';
import { toOrderSummary, type OrderSummary } from '../models/Order.js';

export class CustomerService {
  private readonly customers: CustomerRepository;
  private readonly addresses: AddressRepository;
  private readonly orders: OrderRepository;

  constructor(private readonly ctx: AppContext) {
    this.customers = new CustomerRepository(ctx.db);
    this.addresses = new AddressRepository(ctx.db);
    this.orders = new OrderRepository(ctx.db); // order history screen, see getOrderHistory
  }

  async register(input: NewCustomer): Promise<Customer> {
    if (await this.customers.findByEmail(input.email)) throw new ConflictError(`email ${input.email} is already registered`);
    try {
      const row = await this.customers.create({ ...input, passwordHash: hashPassword(input.password, newSalt()) });
      await this.ctx.events.publish({ type: 'customer.registered', customerId: row.id, email: row.email });
      return toCustomer(row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`email ${input.email} is already registered`);
      throw err;
    }
  }

  async get(id: number): Promise<Customer> {
    const row = await this.customers.findById(id);
    if (!row) throw new NotFoundError('customer', id);
    return toCustomer(row);
  }

  async update(id: number, changes: CustomerChanges): Promise<Customer> {
    await this.get(id);
    if (changes.email) {
      const other = await this.customers.findByEmail(changes.email);
      if (other && other.id !== id) throw new ConflictError(`email ${changes.email} is already registered`);
    }
    const row = await this.customers.update(id, changes);
    if (!row) throw new NotFoundError('customer', id);
    return toCustomer(row);
  }

  async listAddresses(customerId: number): Promise<Address[]> {
    await this.get(customerId);
    return (await this.addresses.listForCustomer(customerId)).map(toAddress);
  }

  async addAddress(customerId: number, address: NewAddress): Promise<Address> {
    await this.get(customerId);
    const existing = await this.addresses.listForCustomer(customerId);
    const isDefault = address.isDefault || existing.length === 0;
    const row = await this.ctx.db.transaction((tx) => this.addresses.create(tx, customerId, { ...address, isDefault }));
    return toAddress(row);
  }

  /** The address to ship to: the one asked for (must be the customer's) or the default. */
  async shippingAddress(customerId: number, addressId?: number): Promise<Address> {
    if (addressId !== undefined) {
      const row = await this.addresses.findById(addressId);
      if (!row || row.customer_id !== customerId) throw new ValidationError(`addressId ${addressId} is not an address of customer ${customerId}`);
      return toAddress(row);
    }
    const row = await this.addresses.findDefault(customerId);
    if (!row) throw new ValidationError(`customer ${customerId} has no address; add one with POST /customers/${customerId}/addresses`);
    return toAddress(row);
  }

  async getOrderHistory(customerId: number): Promise<OrderSummary[]> {
    await this.get(customerId);
    return (await this.orders.findByCustomer(customerId)).map(toOrderSummary);
  }
}
