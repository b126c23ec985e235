/**
 * ORM calls that use a table, read from one flattened call chain (chain.ts):
 *
 * - Prisma: `prisma.order.findMany()`, `this.prisma.orderLine.create()`, `tx.order.update()`
 *   → table = the model accessor in snake_case (`order_line`; a `@@map` in schema.prisma is not
 *   read). create / update / upsert / delete and their *Many forms write; find* / count /
 *   aggregate / groupBy read. Prisma-only method names are accepted on any receiver; the
 *   generic ones (create, update, delete, count, upsert) only on a receiver named like
 *   prisma / tx / trx / db / client. Drizzle's `db.query.orders.findMany()` is caught the same way.
 * - Entity managers (TypeORM, MikroORM): `em.find(Order, …)`, `manager.save(Order, …)`,
 *   `em.nativeDelete(Order, …)` on a receiver named em / manager / *Manager.
 * - Repositories: `getRepository(Order)`, `@InjectRepository(Order)` (a read), chained writes
 *   (`getRepository(Order).save(…)`), and calls on variables bound to a repository
 *   (`this.repo.save(…)`, resolved against orm.ts bindings when the file is done).
 * - Model statics (Sequelize, TypeORM active record): `Order.findAll()`, `Order.bulkCreate()`,
 *   `Order.destroy()` on any PascalCase name; generic ones (`Order.create()`, `Order.find()`)
 *   only when `Order` is declared in the file or imported from a schema/model/entity module.
 * An entity's table is its declared name when declared in the same file, else its name in
 * snake_case (TypeORM's default) — a heuristic that misses custom names declared elsewhere.
 */
import { ts } from 'ts-morph';
import type { TableAccess } from '../../model.js';
import type { Chain } from './chain.js';
import type { FileTables } from './context.js';
import { snakeCase } from './names.js';
import { REPO_GETTERS } from './orm.js';

const PRISMA: Readonly<Record<string, TableAccess>> = {
  findMany: 'read', findUnique: 'read', findUniqueOrThrow: 'read', findFirst: 'read', findFirstOrThrow: 'read',
  count: 'read', aggregate: 'read', groupBy: 'read',
  create: 'write', createMany: 'write', createManyAndReturn: 'write', update: 'write', updateMany: 'write',
  updateManyAndReturn: 'write', upsert: 'write', delete: 'write', deleteMany: 'write',
};
const PRISMA_GENERIC = new Set(['create', 'update', 'delete', 'count', 'upsert']);
const PRISMA_RECEIVER = /prisma|^(tx|trx|db|client|query)$/i;

const REPO: Readonly<Record<string, TableAccess>> = {
  find: 'read', findOne: 'read', findOneBy: 'read', findBy: 'read', findAndCount: 'read', findAndCountBy: 'read',
  findOneOrFail: 'read', findOneByOrFail: 'read', findByIds: 'read', findAll: 'read', count: 'read', countBy: 'read',
  exist: 'read', exists: 'read', existsBy: 'read', sum: 'read', average: 'read', minimum: 'read', maximum: 'read',
  createQueryBuilder: 'read', getReference: 'read',
  save: 'write', insert: 'write', update: 'write', upsert: 'write', delete: 'write', remove: 'write',
  softDelete: 'write', softRemove: 'write', restore: 'write', recover: 'write', increment: 'write',
  decrement: 'write', clear: 'write', nativeInsert: 'write', nativeUpdate: 'write', nativeDelete: 'write',
  insertMany: 'write', upsertMany: 'write', persist: 'write', persistAndFlush: 'write',
};
const MANAGER = /^(em|manager|entityManager)$|Manager$/;

const MODEL_DISTINCT: Readonly<Record<string, TableAccess>> = {
  findAll: 'read', findByPk: 'read', findAndCountAll: 'read', findOrCreate: 'write', bulkCreate: 'write', destroy: 'write',
};
const MODEL_GENERIC: Readonly<Record<string, TableAccess>> = {
  findOne: 'read', find: 'read', findBy: 'read', findOneBy: 'read', count: 'read', max: 'read', min: 'read', sum: 'read',
  create: 'write', update: 'write', upsert: 'write', increment: 'write', decrement: 'write', save: 'write',
  insert: 'write', delete: 'write', remove: 'write',
};

function get<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

function entityArg(e: ts.Expression | undefined): string | null {
  return e && ts.isIdentifier(e) && /^[A-Z]/.test(e.text) ? e.text : null;
}

export function ormUsage(chain: Chain, ctx: FileTables): void {
  const links = chain.links;
  links.forEach((link, i) => {
    if (link.args === null) return;
    const prev = links[i - 1];
    const before = links[i - 2];

    // Prisma: <receiver>.<model>.<method>(…)
    const prisma = get(PRISMA, link.name);
    if (prisma && prev && prev.args === null && before && !prev.name.startsWith('$') && /^[a-z]/.test(prev.name)) {
      if (!PRISMA_GENERIC.has(link.name) || PRISMA_RECEIVER.test(before.name)) {
        ctx.use(snakeCase(prev.name), prisma, 'orm');
        return;
      }
    }

    // Repository getters: getRepository(Order), @InjectRepository(Order), then chained calls.
    if (REPO_GETTERS.has(link.name)) {
      const entity = entityArg(link.args[0]);
      if (entity === null) return;
      ctx.useEntity(entity, 'read', 'orm');
      const next = links[i + 1];
      const access = next?.args ? get(REPO, next.name) : undefined;
      if (access === 'write') ctx.useEntity(entity, 'write', 'orm');
      return;
    }

    const repo = get(REPO, link.name);
    // Entity managers: em.find(Order, …), manager.save(Order, …).
    if (repo && prev && MANAGER.test(prev.name)) {
      const entity = entityArg(link.args[0]);
      if (entity !== null) ctx.useEntity(entity, repo, 'orm');
      return;
    }

    // Model statics: Order.findAll(), Order.create() — the model is the chain's first link.
    if (i === 1 && prev && prev.args === null && chain.base === null && /^[A-Z]/.test(prev.name)) {
      const distinct = get(MODEL_DISTINCT, link.name);
      const generic = get(MODEL_GENERIC, link.name);
      if (distinct) ctx.useEntity(prev.name, distinct, 'orm');
      else if (generic && ctx.schemaNames.has(prev.name)) ctx.useEntity(prev.name, generic, 'orm');
      if (distinct || generic) return;
    }

    // Calls on variables that may be bound to a repository: this.repo.save(…), repo.find(…).
    if (repo && prev && prev.args === null) ctx.useBinding(prev.name, repo);
  });
}
