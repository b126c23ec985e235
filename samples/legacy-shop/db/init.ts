// Applies db/schema.sql and loads the seed data when the database is empty (idempotent).
import { readFile } from 'node:fs/promises';
import type { Db } from '../lib/db.js';
import { locateResource } from '../lib/resources.js';
import { seedIfEmpty } from './seed.js';

export const SCHEMA_PATH = 'samples/legacy-shop/db/schema.sql';

export async function applySchema(db: Db): Promise<void> {
  const sql = await readFile(locateResource(SCHEMA_PATH), 'utf8');
  await db.exec(sql);
}

/**
 * Makes a database ready for the shop: schema first, then seed data unless already present.
 * @example await initDatabase(await openDatabase(process.env.DATABASE_URL));
 */
export async function initDatabase(db: Db, opts: { seed?: boolean } = {}): Promise<{ seeded: boolean }> {
  await applySchema(db);
  const seeded = opts.seed === false ? false : await seedIfEmpty(db);
  return { seeded };
}
