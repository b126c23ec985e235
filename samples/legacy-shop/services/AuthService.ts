// Login, logout and token lookup for customer sessions.
import type { AppContext } from '../lib/context.js';
import { UnauthorizedError } from '../lib/errors.js';
import { addHours } from '../lib/dates.js';
import { newSessionToken, verifyPassword } from '../lib/passwords.js';
import { CustomerRepository } from '../repositories/CustomerRepository.js';
import { SessionRepository } from '../repositories/SessionRepository.js';
import { toCustomer, type Customer } from '../models/Customer.js';
import { isSessionActive, toSession, type Session } from '../models/Session.js';

export class AuthService {
  private readonly customers: CustomerRepository;
  private readonly sessions: SessionRepository;

  constructor(private readonly ctx: AppContext) {
    this.customers = new CustomerRepository(ctx.db);
    this.sessions = new SessionRepository(ctx.db);
  }

  async login(email: string, password: string): Promise<Session> {
    const customer = await this.customers.findByEmail(email);
    if (!customer || !verifyPassword(password, customer.password_hash)) {
      this.ctx.logger.warn('failed login', { email });
      throw new UnauthorizedError('invalid email or password');
    }
    const expiresAt = addHours(new Date(), this.ctx.config.sessionTtlHours);
    return toSession(await this.sessions.create(customer.id, newSessionToken(), expiresAt));
  }

  async logout(token: string): Promise<void> {
    if (!(await this.sessions.revoke(token))) throw new UnauthorizedError('session is not active');
  }

  /** The customer behind a bearer token; 401 if unknown, expired or revoked. */
  async authenticate(token: string | undefined): Promise<Customer> {
    if (!token) throw new UnauthorizedError();
    const session = await this.sessions.findByToken(token);
    if (!session || !isSessionActive(session)) throw new UnauthorizedError('session is not active');
    const customer = await this.customers.findById(session.customer_id);
    if (!customer) throw new UnauthorizedError('session is not active');
    return toCustomer(customer);
  }
}
