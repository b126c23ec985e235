/**
 * ORM declarations: which entity classes, models and table objects a file declares, and which
 * variables it binds to repositories. A declaration is an ownership signal, reported as a
 * 'write' use via 'orm' (the declaring file is where the table's shape lives).
 *
 * - TypeORM / MikroORM `@Entity('orders')`, `@Entity({ name | tableName: 'orders' })`; a bare
 *   `@Entity()` on `class OrderLine` → `order_line` (TypeORM's default naming strategy is the
 *   class name in snake_case). sequelize-typescript `@Table({ tableName: 'orders' })`; a bare
 *   `@Table` → the class name in snake_case (Sequelize itself would pluralise; we never do).
 * - Sequelize `sequelize.define('order', attrs, { tableName: 'orders' })` (no tableName → the
 *   model name in snake_case) and `Order.init(attrs, { sequelize, tableName | modelName })`.
 * - Drizzle `const orders = pgTable('orders', …)` (also mysqlTable / sqliteTable) is recorded
 *   as a table object for builder calls in the same file, not as a use: a schema file declares
 *   every table and would otherwise couple to all of them.
 * - Repository bindings, resolved when the file is done (orm-usage.ts records the calls):
 *   `constructor(@InjectRepository(Order) private repo: Repository<Order>)`,
 *   `repo: EntityRepository<Order>`, `const repo = dataSource.getRepository(Order)`,
 *   `this.repo = em.getRepository(Order)`. Bindings are per file and by name, not by scope.
 */
import { ts } from 'ts-morph';
import { flattenChain, stringArg, type Chain } from './chain.js';
import { isSchemaModule, type FileTables } from './context.js';
import { snakeCase } from './names.js';

const ENTITY_DECORATORS = new Set(['Entity', 'Table']);
const TABLE_FACTORIES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'table']);
const REPO_TYPES = /^(Repository|EntityRepository|MongoRepository|TreeRepository|SqlEntityRepository|ModelCtor|ModelStatic)$/;
export const REPO_GETTERS = new Set(['getRepository', 'getMongoRepository', 'getTreeRepository', 'getCustomRepository', 'InjectRepository', 'InjectModel']);

function calleeName(e: ts.Expression): string | null {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

/** A string-valued property of an object literal (`{ tableName: 'orders' }`). */
export function stringProp(obj: ts.Expression | undefined, ...names: string[]): string | null {
  if (!obj || !ts.isObjectLiteralExpression(obj)) return null;
  for (const p of obj.properties) {
    if (!ts.isPropertyAssignment(p)) continue;
    const key = ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) ? p.name.text : null;
    if (key !== null && names.includes(key)) {
      const v = stringArg(p.initializer);
      if (v !== null) return v;
    }
  }
  return null;
}

function hasProp(obj: ts.Expression | undefined, name: string): boolean {
  return (
    !!obj &&
    ts.isObjectLiteralExpression(obj) &&
    obj.properties.some((p) => p.name !== undefined && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name)
  );
}

function decoratorsOf(node: ts.Node): readonly ts.Decorator[] {
  return ts.canHaveDecorators(node) ? (ts.getDecorators(node) ?? []) : [];
}

/** `@Entity(…)` / `@Table(…)` on a class → its table; records the entity and a write use. */
export function entityClass(node: ts.ClassDeclaration, ctx: FileTables): void {
  const className = node.name?.text;
  if (!className) return;
  for (const d of decoratorsOf(node)) {
    const call = ts.isCallExpression(d.expression) ? d.expression : null;
    const name = calleeName(call ? call.expression : d.expression);
    if (name === null || !ENTITY_DECORATORS.has(name)) continue;
    const arg = call?.arguments[0];
    if (arg && ts.isObjectLiteralExpression(arg) && hasProp(arg, 'abstract')) continue;
    const table = (stringArg(arg) ?? stringProp(arg, 'name', 'tableName') ?? snakeCase(className)).toLowerCase();
    ctx.entities.set(className, table);
    ctx.schemaNames.add(className);
    ctx.use(table, 'write', 'orm');
    return;
  }
}

/** Imports from schema-like modules become names the builders accept as table objects. */
export function schemaImports(node: ts.ImportDeclaration, ctx: FileTables): void {
  if (!ts.isStringLiteral(node.moduleSpecifier) || !isSchemaModule(node.moduleSpecifier.text)) return;
  const clause = node.importClause;
  if (!clause) return;
  if (clause.name) ctx.schemaNames.add(clause.name.text);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) ctx.schemaNamespaces.add(bindings.name.text);
  if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) ctx.schemaNames.add(el.name.text);
}

/** `sequelize.define('order', attrs, opts)` → table, else null. */
function definedTable(chain: Chain): string | null {
  const last = chain.links[chain.links.length - 1];
  if (!last || last.name !== 'define' || chain.links.length < 2 || !last.args || last.args.length < 2) return null;
  const model = stringArg(last.args[0]);
  if (model === null || !last.args[1] || !ts.isObjectLiteralExpression(last.args[1])) return null;
  return (stringProp(last.args[2], 'tableName') ?? snakeCase(model)).toLowerCase();
}

/** Sequelize `define` / `Model.init` in a chain: a write use; `init` also names the entity. */
export function sequelizeDeclaration(chain: Chain, ctx: FileTables): void {
  const defined = definedTable(chain);
  if (defined !== null) ctx.use(defined, 'write', 'orm');
  const [model, init] = chain.links;
  if (chain.links.length !== 2 || !model || model.args !== null || init?.name !== 'init' || !init.args) return;
  const opts = init.args[1];
  if (!hasProp(opts, 'sequelize') && !hasProp(opts, 'tableName')) return;
  const named = stringProp(opts, 'tableName') ?? stringProp(opts, 'modelName');
  const table = (named ?? snakeCase(model.name)).toLowerCase();
  ctx.entities.set(model.name, table);
  ctx.schemaNames.add(model.name);
  ctx.use(table, 'write', 'orm');
}

/** The entity class a repository-getting expression names (`ds.getRepository(Order)`), or null. */
function repositoryEntity(init: ts.Expression | undefined): string | null {
  let e = init;
  while (e && (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e) || ts.isAsExpression(e))) e = e.expression;
  if (!e || !ts.isCallExpression(e)) return null;
  const last = flattenChain(e).links.at(-1);
  const arg = last?.args?.[0];
  return last && REPO_GETTERS.has(last.name) && arg && ts.isIdentifier(arg) ? arg.text : null;
}

function typeEntity(type: ts.TypeNode | undefined): string | null {
  if (!type || !ts.isTypeReferenceNode(type) || !type.typeArguments?.length) return null;
  const name = ts.isIdentifier(type.typeName) ? type.typeName.text : type.typeName.right.text;
  const arg = type.typeArguments[0];
  if (!REPO_TYPES.test(name) || !arg || !ts.isTypeReferenceNode(arg) || !ts.isIdentifier(arg.typeName)) return null;
  return arg.typeName.text;
}

function injectedEntity(node: ts.ParameterDeclaration | ts.PropertyDeclaration): string | null {
  for (const d of decoratorsOf(node)) {
    const e = d.expression;
    if (ts.isCallExpression(e) && REPO_GETTERS.has(calleeName(e.expression) ?? '')) {
      const arg = e.arguments[0];
      if (arg && ts.isIdentifier(arg)) return arg.text;
    }
  }
  return null;
}

/**
 * Repository bindings and declared tables on a variable, property, parameter or assignment:
 * `repo: Repository<Order>`, `@InjectRepository(Order) repo`, `x = ds.getRepository(Order)`,
 * `const Order = sequelize.define(…)`, `const orders = pgTable('orders', …)`.
 */
export function bindingOf(
  node: ts.VariableDeclaration | ts.PropertyDeclaration | ts.ParameterDeclaration | ts.BinaryExpression,
  ctx: FileTables,
): void {
  let name: string | null = null;
  let init: ts.Expression | undefined;
  let entity: string | null = null;
  if (ts.isBinaryExpression(node)) {
    const left = node.left;
    name = ts.isIdentifier(left) ? left.text : ts.isPropertyAccessExpression(left) ? left.name.text : null;
    init = node.right;
  } else {
    name = ts.isIdentifier(node.name) || ts.isPrivateIdentifier(node.name) ? node.name.text : null;
    init = node.initializer;
    entity = typeEntity(node.type) ?? (ts.isVariableDeclaration(node) ? null : injectedEntity(node));
  }
  if (name === null) return;
  entity ??= repositoryEntity(init);
  if (entity !== null) ctx.bindings.set(name, entity);
  if (!init || !ts.isCallExpression(init) || ts.isBinaryExpression(node)) return;
  const chain = flattenChain(init);
  const defined = definedTable(chain);
  const last = chain.links.at(-1);
  const tableName = last && TABLE_FACTORIES.has(last.name) ? stringArg(last.args?.[0]) : null;
  const table = defined ?? tableName?.toLowerCase() ?? null;
  if (table !== null) {
    ctx.entities.set(name, table);
    ctx.schemaNames.add(name);
  }
}
