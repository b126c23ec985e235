// Data access for email_templates (knex builder).
import type { Queryable } from '../lib/db.js';
import { qb, runFirst, runQuery } from '../lib/queryBuilder.js';
import type { EmailTemplateRow } from '../models/EmailTemplate.js';

export class EmailTemplateRepository {
  constructor(private readonly db: Queryable) {}

  findByKey(key: string): Promise<EmailTemplateRow | undefined> {
    return runFirst<EmailTemplateRow>(this.db, qb('email_templates').where({ key }).first());
  }

  list(): Promise<EmailTemplateRow[]> {
    return runQuery<EmailTemplateRow>(this.db, qb('email_templates').orderBy('key'));
  }
}
