// Data access for customers (knex builder); the only place that sees password hashes.
import type { Queryable } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { CustomerChanges, CustomerRow } from '../models/Customer.js';

export class CustomerRepository {
  constructor(private readonly db: Queryable) {}

  findById(id: number): Promise<CustomerRow | undefined> {
    return runFirst<CustomerRow>(this.db, qb('customers').where({ id }).first());
  }

  findByEmail(email: string): Promise<CustomerRow | undefined> {
    return runFirst<CustomerRow>(this.db, qb('customers').whereRaw('lower(email) = lower(?)', [email]).first());
  }

  async create(input: { email: string; firstName: string; lastName: string; phone: string | null; passwordHash: string }): Promise<CustomerRow> {
    const rows = await runQuery<CustomerRow>(
      this.db,
      qb('customers')
        .insert({
          email: input.email.toLowerCase(),
          first_name: input.firstName,
          last_name: input.lastName,
          phone: input.phone,
          password_hash: input.passwordHash,
        })
        .returning('*'),
    );
    return rows[0]!;
  }

  async update(id: number, changes: CustomerChanges): Promise<CustomerRow | undefined> {
    const patch: Record<string, unknown> = {};
    if (changes.email !== undefined) patch.email = changes.email.toLowerCase();
    if (changes.firstName !== undefined) patch.first_name = changes.firstName;
    if (changes.lastName !== undefined) patch.last_name = changes.lastName;
    if (changes.phone !== undefined) patch.phone = changes.phone;
    if (Object.keys(patch).length === 0) return this.findById(id);
    const rows = await runQuery<CustomerRow>(this.db, qb('customers').where({ id }).update({ ...patch, updated_at: qb.fn.now() }).returning('*'));
    return rows[0];
  }

  async count(): Promise<number> {
    const row = await runFirst<{ n: number }>(this.db, qb('customers').select(qb.raw('count(*)::int AS n')));
    return row?.n ?? 0;
  }
}
