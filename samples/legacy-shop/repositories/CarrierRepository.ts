// Data access for carriers (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { CarrierRow } from '../models/Carrier.js';

export class CarrierRepository {
  constructor(private readonly db: Queryable) {}

  listActive(): Promise<CarrierRow[]> {
    return runQuery<CarrierRow>(this.db, qb('carriers').where({ active: true }).orderBy('id'));
  }

  findByCode(code: string): Promise<CarrierRow | undefined> {
    return runFirst<CarrierRow>(this.db, qb('carriers').where({ code: code.toUpperCase() }).first());
  }

  findById(id: number): Promise<CarrierRow | undefined> {
    return runFirst<CarrierRow>(this.db, qb('carriers').where({ id }).first());
  }
}
