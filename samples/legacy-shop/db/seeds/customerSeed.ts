// Seeds customers, their addresses and a few login sessions (every demo password is "password123").
import type { Queryable } from '../../lib/db.js';
import { addDays } from '../../lib/dates.js';
import { hashPassword } from '../../lib/passwords.js';
import { createRng } from '../../lib/random.js';
import { insertMany } from '../../lib/queryBuilder.js';

export const CUSTOMER_COUNT = 60;
export const DEMO_PASSWORD = 'password123';
/** Customer whose mailbox always bounces (notifications to it fail). */
export const BOUNCING_CUSTOMER_ID = 13;
/** Bearer token of customer 1's long-lived demo session. */
export const DEMO_SESSION_TOKEN = 'd3m0000000000000000000000000000000000000000000001';

const FIRST_NAMES = [
  'Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Radia', 'Linus', 'Frances', 'Dennis',
  'Katherine', 'John', 'Hedy', 'Tim', 'Shafi', 'Niklaus', 'Sophie', 'Guido', 'Annie', 'Bjarne', 'Joan', 'James',
];
const LAST_NAMES = [
  'Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Perlman', 'Torvalds',
  'Allen', 'Ritchie', 'Johnson', 'McCarthy', 'Lamarr', 'Berners-Lee', 'Goldwasser', 'Wirth', 'Wilson', 'Rossum',
];
const CITIES: [string, string, string][] = [
  ['Springfield', 'IL', '627'], ['Portland', 'OR', '972'], ['Austin', 'TX', '787'], ['Columbus', 'OH', '432'],
  ['Madison', 'WI', '537'], ['Raleigh', 'NC', '276'], ['Boise', 'ID', '837'], ['Albany', 'NY', '122'],
  ['Denver', 'CO', '802'], ['Tucson', 'AZ', '857'], ['Savannah', 'GA', '314'], ['Burlington', 'VT', '054'],
];
const STREETS = ['Maple St', 'Oak Ave', 'Cedar Ln', 'Pine Rd', 'Elm St', 'Birch Way', 'Willow Dr', 'Harbor Blvd'];

const FIRST_SIGNUP = new Date('2023-01-09T09:30:00.000Z');

export function customerEmail(id: number, first: string, last: string): string {
  const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
  return id === BOUNCING_CUSTOMER_ID ? `${local}@bounce.example` : `${local}.${id}@example.com`;
}

export async function seedCustomers(tx: Queryable): Promise<void> {
  const rng = createRng(20_230_109);
  const customers: Record<string, unknown>[] = [];
  const addresses: Record<string, unknown>[] = [];
  let addressId = 0;
  for (let id = 1; id <= CUSTOMER_COUNT; id++) {
    const first = FIRST_NAMES[(id - 1) % FIRST_NAMES.length]!;
    const last = LAST_NAMES[((id - 1) * 7) % LAST_NAMES.length]!;
    const createdAt = addDays(FIRST_SIGNUP, (id - 1) * 6 + rng.int(0, 5));
    customers.push({
      id,
      email: customerEmail(id, first, last),
      first_name: first,
      last_name: last,
      phone: rng.chance(0.7) ? `+1-555-${String(rng.int(100, 999))}-${String(rng.int(1000, 9999))}` : null,
      password_hash: hashPassword(DEMO_PASSWORD, `seed${String(id).padStart(12, '0')}`),
      created_at: createdAt,
      updated_at: createdAt,
    });
    const count = id % 4 === 0 ? 2 : 1;
    for (let n = 0; n < count; n++) {
      const [city, region, zip] = rng.pick(CITIES);
      addressId += 1;
      addresses.push({
        id: addressId,
        customer_id: id,
        line1: `${rng.int(1, 9999)} ${rng.pick(STREETS)}`,
        line2: rng.chance(0.2) ? `Apt ${rng.int(1, 40)}` : null,
        city,
        region,
        postal_code: `${zip}${String(rng.int(0, 99)).padStart(2, '0')}`,
        country: 'US',
        is_default: n === 0,
        created_at: createdAt,
      });
    }
  }
  await insertMany(tx, 'customers', customers);
  await insertMany(tx, 'addresses', addresses);
  await insertMany(tx, 'sessions', [
    { customer_id: 1, token: DEMO_SESSION_TOKEN, expires_at: new Date('2099-01-01T00:00:00.000Z'), revoked_at: null, created_at: new Date('2025-06-01T08:00:00.000Z') },
    { customer_id: 2, token: 'e4p1red00000000000000000000000000000000000000002', expires_at: new Date('2025-05-02T08:00:00.000Z'), revoked_at: null, created_at: new Date('2025-05-01T08:00:00.000Z') },
    { customer_id: 3, token: 'r3v0ked00000000000000000000000000000000000000003', expires_at: new Date('2099-01-01T00:00:00.000Z'), revoked_at: new Date('2025-06-02T10:00:00.000Z'), created_at: new Date('2025-06-02T09:00:00.000Z') },
  ]);
}
