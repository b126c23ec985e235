// Data access for customer addresses (raw SQL); keeps at most one default per customer.
import type { Queryable } from '../lib/db.js';
import { queryOne } from '../lib/db.js';
import type { AddressRow, NewAddress } from '../models/Address.js';

const COLUMNS = 'id, customer_id, line1, line2, city, region, postal_code, country, is_default';

export class AddressRepository {
  constructor(private readonly db: Queryable) {}

  async listForCustomer(customerId: number): Promise<AddressRow[]> {
    const res = await this.db.query<AddressRow>(`SELECT ${COLUMNS} FROM addresses WHERE customer_id = $1 ORDER BY id`, [customerId]);
    return res.rows;
  }

  findById(id: number): Promise<AddressRow | undefined> {
    return queryOne<AddressRow>(this.db, `SELECT ${COLUMNS} FROM addresses WHERE id = $1`, [id]);
  }

  /** The default address, or the oldest one when none is flagged. */
  findDefault(customerId: number): Promise<AddressRow | undefined> {
    return queryOne<AddressRow>(
      this.db,
      `SELECT ${COLUMNS} FROM addresses WHERE customer_id = $1 ORDER BY is_default DESC, id LIMIT 1`,
      [customerId],
    );
  }

  async create(tx: Queryable, customerId: number, a: NewAddress): Promise<AddressRow> {
    if (a.isDefault) {
      await tx.query('UPDATE addresses SET is_default = false WHERE customer_id = $1 AND is_default', [customerId]);
    }
    const res = await tx.query<AddressRow>(
      `INSERT INTO addresses (customer_id, line1, line2, city, region, postal_code, country, is_default)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [customerId, a.line1, a.line2, a.city, a.region, a.postalCode, a.country, a.isDefault],
    );
    return res.rows[0]!;
  }
}
