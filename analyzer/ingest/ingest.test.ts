import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFicusError } from '../../core/index.js';
import type { EndpointDecl, FileFacts, IngestResult, RefKind, Reference } from '../model.js';
import { ingest } from './index.js';

// Ingest end to end on small real source trees written to a temp directory.

const temps: string[] = [];

/** Writes `files` (posix path → content) under a fresh temp directory and returns its real path. */
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await realpath(await mkdtemp(join(tmpdir(), 'ficus-ingest-')));
  temps.push(root);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

afterAll(async () => {
  await Promise.all(temps.map((d) => rm(d, { recursive: true, force: true })));
});

const json = (value: unknown): string => JSON.stringify(value, null, 2);

function factsOf(r: IngestResult, path: string): FileFacts {
  const f = r.files.find((x) => x.path === path);
  if (f === undefined) throw new Error(`${path} not among the analysed files: ${r.files.map((x) => x.path).join(', ')}`);
  return f;
}

function refOf(r: IngestResult, from: string, to: string, kind: RefKind): Reference | undefined {
  return factsOf(r, from).references.find((x) => x.to === to && x.kind === kind);
}

/** `kind → symbols` of the references from `from` to `to`. */
function kindsTo(r: IngestResult, from: string, to: string): Record<string, readonly string[]> {
  return Object.fromEntries(
    factsOf(r, from)
      .references.filter((x) => x.to === to)
      .map((x) => [x.kind, x.symbols]),
  );
}

const routes = (f: FileFacts): string[] => f.endpoints.map((e: EndpointDecl) => `${e.method} ${e.path}`).sort();

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(isFicusError(err)).toBe(true);
    return (err as { code: string }).code;
  }
  throw new Error('expected ingest to reject');
}

describe('ingest: imports and uses', () => {
  let r: IngestResult;
  beforeAll(async () => {
    const root = await tree({
      'src/models/Order.ts': 'export interface Order { id: string }\nexport type OrderId = string;\n',
      'src/models/Money.ts': 'export class Money { constructor(readonly cents: number) {} }\n',
      'src/types/Currency.ts': "export type Currency = 'EUR' | 'USD';\n",
      'src/values/rounding.ts': 'export function round(n: number): number { return Math.round(n); }\n',
      'src/values/index.ts': "export * from '../types/Currency';\nexport * from './rounding';\n",
      'src/typeOnly.ts': [
        "import type { Order } from './models/Order';",
        "import { type OrderId } from './models/Order';",
        'export const ids = (o: Order): OrderId => o.id;',
      ].join('\n'),
      'src/valueImport.ts': "import { Money } from './models/Money';\nexport const zero = new Money(0);\n",
      'src/mixed.ts': ["import { type Currency, round } from './values';", 'export const fmt = (n: number, c: Currency): string => `${round(n)} ${c}`;'].join(
        '\n',
      ),
      'src/services/OrderService.ts': 'export class OrderService { static create(): OrderService { return new OrderService(); } place(): void {} }\n',
      'src/base/BaseController.ts': 'export abstract class BaseController { protected ok(): number { return 200; } }\n',
      'src/base/Handler.ts': 'export interface Handler { handle(): void }\n',
      'src/lib/format.ts': 'export function formatId(id: string): string { return id.trim(); }\n',
      'src/controllers/OrderController.ts': [
        "import { OrderService } from '../services/OrderService';",
        "import { BaseController } from '../base/BaseController';",
        "import type { Handler } from '../base/Handler';",
        "import { formatId } from '../lib/format';",
        "import type { Order } from '../models/Order';",
        'export class OrderController extends BaseController implements Handler {',
        '  private readonly svc = new OrderService();',
        '  handle(): void {',
        '    const created = OrderService.create();',
        '    created.place();',
        "    formatId(' 1 ');",
        "    formatId(' 2 ');",
        '  }',
        '  show(o: Order): Order { return o; }',
        '}',
      ].join('\n'),
    });
    r = await ingest(root);
  });

  it('gives `import type` and all-type `import { type X }` an import-type reference, a value import an import reference', () => {
    expect(refOf(r, 'src/typeOnly.ts', 'src/models/Order.ts', 'import-type')?.symbols).toEqual(['Order', 'OrderId']);
    expect(refOf(r, 'src/typeOnly.ts', 'src/models/Order.ts', 'import')).toBeUndefined();
    expect(refOf(r, 'src/valueImport.ts', 'src/models/Money.ts', 'import')?.symbols).toEqual(['Money']);
    expect(refOf(r, 'src/valueImport.ts', 'src/models/Money.ts', 'import-type')).toBeUndefined();
  });

  it('keeps a `type` element of a mixed import type-only while its value siblings are value imports', () => {
    // `import { type Currency, round } from './values'`: Currency (declared in types/Currency.ts) is
    // type-only; round (values/rounding.ts) is a value import.
    expect(refOf(r, 'src/mixed.ts', 'src/values/rounding.ts', 'import')?.symbols).toEqual(['round']);
    expect(refOf(r, 'src/mixed.ts', 'src/types/Currency.ts', 'import')).toBeUndefined();
    expect(refOf(r, 'src/mixed.ts', 'src/types/Currency.ts', 'import-type')?.symbols).toEqual(['Currency']);
  });

  it('records type annotations of type-only imports as type uses', () => {
    const typeRef = refOf(r, 'src/typeOnly.ts', 'src/models/Order.ts', 'type');
    expect(typeRef?.symbols).toEqual(['Order', 'OrderId']);
    expect(typeRef?.count).toBe(2);
  });

  it('classifies new, static calls, function calls, extends, implements and type uses with their symbols', () => {
    const from = 'src/controllers/OrderController.ts';
    expect(kindsTo(r, from, 'src/services/OrderService.ts')).toEqual({
      import: ['OrderService'],
      new: ['OrderService'],
      call: ['OrderService.create'],
    });
    expect(kindsTo(r, from, 'src/base/BaseController.ts')).toEqual({ import: ['BaseController'], extends: ['BaseController'] });
    expect(kindsTo(r, from, 'src/base/Handler.ts')).toEqual({ 'import-type': ['Handler'], implements: ['Handler'] });
    expect(kindsTo(r, from, 'src/models/Order.ts')).toEqual({ 'import-type': ['Order'], type: ['Order'] });
    const calls = refOf(r, from, 'src/lib/format.ts', 'call');
    expect(calls?.symbols).toEqual(['formatId']);
    expect(calls?.count).toBe(2);
  });

  it('drops references of a file to itself', () => {
    const svc = factsOf(r, 'src/services/OrderService.ts');
    expect(svc.references).toEqual([]);
  });

  it('counts lines and collects identifier terms', () => {
    const ctrl = factsOf(r, 'src/controllers/OrderController.ts');
    expect(ctrl.lines).toBe(15);
    expect(r.totalLines).toBe(r.files.reduce((n, f) => n + f.lines, 0));
    expect(Object.keys(ctrl.terms).length).toBeGreaterThan(0);
  });
});

describe('ingest: barrels', () => {
  let r: IngestResult;
  beforeAll(async () => {
    r = await ingest(
      await tree({
        'src/services/OrderService.ts': 'export class OrderService { create(): void {} }\n',
        'src/services/Pay.ts': 'export function Pay(): void {}\nexport function Refund(): void {}\n',
        'src/services/Cart.ts': 'export class Cart { add(): void {} }\n',
        'src/services/index.ts': [
          "export * from './OrderService';",
          "export { Pay, Refund as GiveBack } from './Pay';",
          "import { Cart } from './Cart';",
          'export { Cart };',
        ].join('\n'),
        'src/app.ts': [
          "import { OrderService, Pay, GiveBack, Cart } from './services';",
          'new OrderService().create();',
          'Pay();',
          'GiveBack();',
          'new Cart();',
        ].join('\n'),
        'src/ns.ts': "import * as services from './services/index';\nservices.Pay();\nnew services.OrderService();\n",
      }),
    );
  });

  it('sends imports and uses through the barrel to the declaring files', () => {
    const app = 'src/app.ts';
    expect(factsOf(r, app).references.filter((x) => x.to === 'src/services/index.ts')).toEqual([]);
    expect(kindsTo(r, app, 'src/services/OrderService.ts')).toEqual({ import: ['OrderService'], new: ['OrderService'] });
    expect(refOf(r, app, 'src/services/Pay.ts', 'call')?.symbols).toContain('Pay');
    expect(refOf(r, app, 'src/services/Pay.ts', 'call')?.count).toBe(2);
    expect(kindsTo(r, app, 'src/services/Cart.ts')).toEqual({ import: ['Cart'], new: ['Cart'] });
  });

  it('names a symbol re-exported under another name by its declared name', () => {
    // `export { Refund as GiveBack } from './Pay'`: Reference.symbols are names declared in `to`.
    expect(kindsTo(r, 'src/app.ts', 'src/services/Pay.ts')).toEqual({ import: ['Pay', 'Refund'], call: ['Pay', 'Refund'] });
  });

  it('sends member uses of a namespace import of the barrel to the declaring files', () => {
    expect(refOf(r, 'src/ns.ts', 'src/services/Pay.ts', 'call')?.symbols).toEqual(['Pay']);
    expect(refOf(r, 'src/ns.ts', 'src/services/OrderService.ts', 'new')?.symbols).toEqual(['OrderService']);
  });

  it('keeps the barrel’s own references to the files it re-exports', () => {
    const targets = new Set(factsOf(r, 'src/services/index.ts').references.map((x) => x.to));
    expect(targets).toEqual(new Set(['src/services/OrderService.ts', 'src/services/Pay.ts', 'src/services/Cart.ts']));
  });
});

describe('ingest: typed receivers', () => {
  let r: IngestResult;
  beforeAll(async () => {
    r = await ingest(
      await tree({
        'src/repo/OrderRepository.ts': 'export class OrderRepository { findById(id: string): string { return id; } }\n',
        'src/service/OrderService.ts': [
          "import { OrderRepository } from '../repo/OrderRepository';",
          'export class OrderService {',
          '  constructor(private orders: OrderRepository) {}',
          '  get(id: string): string { return this.orders.findById(id); }',
          '}',
        ].join('\n'),
        'src/cart/CartService.ts': 'export class CartService { get(id: string): string { return id; } }\n',
        'src/checkout/CheckoutService.ts': [
          "import { CartService } from '../cart/CartService';",
          'interface Collab { carts: CartService }',
          'export class CheckoutService {',
          '  constructor(private deps: Collab) {}',
          "  run(): string { const { carts } = this.deps; return carts.get('1'); }",
          '}',
        ].join('\n'),
        'src/mail/mailer.ts': 'export class Mailer { send(to: string): string { return to; } }\n',
        'src/context.ts': "import { Mailer } from './mail/mailer';\nexport interface AppContext { mailer: Mailer }\n",
        'src/signup.ts': ["import type { AppContext } from './context';", "export function signup(ctx: AppContext): void { ctx.mailer.send('a@b.c'); }"].join(
          '\n',
        ),
        'src/products/ProductController.ts': 'export class ProductController { list(): string[] { return []; } }\n',
        'src/products/routes.ts': [
          "import type { FastifyInstance } from 'fastify';",
          "import { ProductController } from './ProductController';",
          'export function productRoutes(app: FastifyInstance, products: ProductController): void {',
          "  app.get('/p', products.list);",
          '}',
        ].join('\n'),
        'src/untyped.ts': 'export function f(x: any): void { x.orders.findById(1); }\n',
      }),
    );
  });

  it('types a constructor parameter property: this.orders.findById() → OrderRepository.findById', () => {
    expect(refOf(r, 'src/service/OrderService.ts', 'src/repo/OrderRepository.ts', 'call')?.symbols).toEqual(['OrderRepository.findById']);
  });

  it('follows a destructured alias through a local interface: carts.get() → CartService.get', () => {
    expect(refOf(r, 'src/checkout/CheckoutService.ts', 'src/cart/CartService.ts', 'call')?.symbols).toEqual(['CartService.get']);
  });

  it('follows a receiver shape declared in another file: ctx.mailer.send() → Mailer.send in mailer.ts', () => {
    const call = refOf(r, 'src/signup.ts', 'src/mail/mailer.ts', 'call');
    expect(call?.symbols).toEqual(['Mailer.send']);
    expect(call?.count).toBe(1);
    // The context file is used as a type only; the call does not land there.
    expect(refOf(r, 'src/signup.ts', 'src/context.ts', 'call')).toBeUndefined();
  });

  it('counts a method passed as a handler as a call: app.get(path, products.list) → ProductController.list', () => {
    expect(refOf(r, 'src/products/routes.ts', 'src/products/ProductController.ts', 'call')?.symbols).toEqual(['ProductController.list']);
  });

  it('does not invent references for untyped receivers', () => {
    expect(factsOf(r, 'src/untyped.ts').references).toEqual([]);
  });
});

describe('ingest: CommonJS', () => {
  let r: IngestResult;
  beforeAll(async () => {
    r = await ingest(
      await tree({
        'lib/x.js': 'module.exports = function x() { return 1; };\n',
        'lib/a.js': 'exports.a = function a() { return 2; };\nexports.b = 3;\n',
        'lib/y.js': 'exports.run = function run() {};\n',
        'main.js': "const x = require('./lib/x');\nconst { a } = require('./lib/a');\nx();\na();\n",
        'legacy.ts': "import y = require('./lib/y');\nimport fs = require('fs');\ny.run();\nfs.existsSync('.');\n",
      }),
    );
  });

  it('resolves `const x = require()` and `const { a } = require()` in .js files', () => {
    expect(refOf(r, 'main.js', 'lib/x.js', 'import')).toBeDefined();
    expect(refOf(r, 'main.js', 'lib/x.js', 'call')).toBeDefined();
    expect(kindsTo(r, 'main.js', 'lib/a.js')).toEqual({ import: ['a'], call: ['a'] });
  });

  it('resolves `import y = require()` and its member calls; packages are not references', () => {
    expect(refOf(r, 'legacy.ts', 'lib/y.js', 'import')).toBeDefined();
    expect(refOf(r, 'legacy.ts', 'lib/y.js', 'call')?.symbols).toEqual(['run']);
    expect(factsOf(r, 'legacy.ts').references.every((x) => x.to === 'lib/y.js')).toBe(true);
    expect(r.unresolvedImports).toBe(0);
  });
});

describe('ingest: module resolution', () => {
  it('resolves tsconfig `paths` aliases and `baseUrl` imports, and reports the tsconfig used', async () => {
    const root = await tree({
      'tsconfig.json': json({
        compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', baseUrl: '.', paths: { '@app/*': ['src/*'] } },
      }),
      'src/lib/money.ts': 'export function cents(n: number): number { return n * 100; }\n',
      'src/lib/clock.ts': 'export const now = (): number => 0;\n',
      'src/feature/price.ts': [
        "import { cents } from '@app/lib/money';",
        "import { now } from 'src/lib/clock';",
        "import { gone } from '@app/lib/missing';",
        'export const p = cents(now()) + gone;',
      ].join('\n'),
    });
    const r = await ingest(root);
    expect(r.tsconfig).toBe('tsconfig.json');
    expect(refOf(r, 'src/feature/price.ts', 'src/lib/money.ts', 'call')?.symbols).toEqual(['cents']);
    expect(refOf(r, 'src/feature/price.ts', 'src/lib/clock.ts', 'call')?.symbols).toEqual(['now']);
    // An alias that matches `paths` but names no file is unresolved, not a package.
    expect(r.unresolvedImports).toBe(1);
  });

  it('uses an explicit tsconfig given relative to the root', async () => {
    const root = await tree({
      'config/tsconfig.app.json': json({ compilerOptions: { baseUrl: '..', paths: { '~/*': ['src/*'] }, moduleResolution: 'bundler', module: 'ESNext' } }),
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from '~/a';\nexport const b = a;\n",
    });
    const r = await ingest(root, { tsconfig: 'config/tsconfig.app.json' });
    expect(r.tsconfig).toBe('config/tsconfig.app.json');
    expect(refOf(r, 'src/b.ts', 'src/a.ts', 'import')?.symbols).toEqual(['a']);
  });

  it('analyses a project without a tsconfig: extensionless, `.js`-suffixed and index imports resolve', async () => {
    const root = await tree({
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': 'export const b = 2;\n',
      'src/dir/index.ts': 'export const c = 3;\n',
      'src/main.ts': "import { a } from './a';\nimport { b } from './b.js';\nimport { c } from './dir';\nexport const sum = a + b + c;\n",
    });
    const r = await ingest(root);
    expect(r.tsconfig).toBeNull();
    const targets = factsOf(r, 'src/main.ts').references.map((x) => x.to);
    expect(new Set(targets)).toEqual(new Set(['src/a.ts', 'src/b.ts', 'src/dir/index.ts']));
    expect(r.unresolvedImports).toBe(0);
  });

  it('resolves a workspace package imported by name to its source file, not its build output', async () => {
    const root = await tree({
      'package.json': json({ name: 'shop', private: true, workspaces: ['packages/*'] }),
      'packages/a/package.json': json({ name: '@shop/a', main: 'dist/index.js', types: 'dist/index.d.ts' }),
      'packages/a/src/index.ts': 'export function priceOf(sku: string): number { return sku.length; }\n',
      'packages/a/src/money.ts': 'export const EUR = "EUR";\n',
      'packages/a/dist/index.js': 'exports.priceOf = () => 0;\n',
      'packages/b/package.json': json({ name: '@shop/b', main: 'src/cart.ts' }),
      'packages/b/src/cart.ts': [
        "import { priceOf } from '@shop/a';",
        "import { EUR } from '@shop/a/money';",
        'export const total = (s: string): string => priceOf(s) + EUR;',
      ].join('\n'),
    });
    const r = await ingest(root);
    expect(r.files.map((f) => f.path)).not.toContain('packages/a/dist/index.js');
    expect(refOf(r, 'packages/b/src/cart.ts', 'packages/a/src/index.ts', 'call')?.symbols).toEqual(['priceOf']);
    expect(refOf(r, 'packages/b/src/cart.ts', 'packages/a/src/money.ts', 'import')?.symbols).toEqual(['EUR']);
    expect(r.unresolvedImports).toBe(0);
  });
});

describe('ingest: discovery and failures', () => {
  let r: IngestResult;
  beforeAll(async () => {
    const root = await tree({
      'src/ok.ts': "import { gone } from './missing';\nimport './styles.css';\nimport 'lodash';\nexport const ok = gone;\n",
      'src/other.ts': "import { ok } from './ok';\nexport const other = ok;\n",
      'src/broken.ts': 'export const x = ;\n',
      'src/blob.ts': Buffer.from([0x65, 0x78, 0x00, 0x01, 0x02, 0x0a]),
      'src/sub/leaf.ts': 'export const leaf = 1;\n',
      'node_modules/pkg/index.ts': 'export const dep = 1;\n',
      'dist/out.js': 'exports.out = 1;\n',
      'src/ok.test.ts': 'export const t = 1;\n',
      'src/ok.spec.ts': 'export const s = 1;\n',
      'src/__tests__/helper.ts': 'export const h = 1;\n',
      'src/fixtures/sample.ts': 'export const f = 1;\n',
      'src/types.d.ts': 'declare const g: number;\n',
    });
    // A directory link back to its parent: src/sub/up → src.
    await symlink(join(root, 'src'), join(root, 'src', 'sub', 'up'), 'dir');
    r = await ingest(root);
  });

  it('lists an unparsable file in `failed` with a line:col reason and analyses the others', () => {
    const broken = r.failed.find((f) => f.path === 'src/broken.ts');
    expect(broken?.reason).toMatch(/\b1:\d+\b/);
    expect(refOf(r, 'src/other.ts', 'src/ok.ts', 'import')?.symbols).toEqual(['ok']);
  });

  it('lists a binary file with a source extension in `failed`', () => {
    expect(r.failed.map((f) => f.path)).toContain('src/blob.ts');
    expect(r.files.map((f) => f.path)).not.toContain('src/blob.ts');
  });

  it('terminates on a directory link loop and lists each file once', () => {
    const paths = r.files.map((f) => f.path);
    expect(paths).toEqual(['src/ok.ts', 'src/other.ts', 'src/sub/leaf.ts']);
    expect(r.failed.map((f) => f.path).sort()).toEqual(['src/blob.ts', 'src/broken.ts']);
  });

  it('counts only unresolvable code imports as unresolved (not assets or packages)', () => {
    expect(r.unresolvedImports).toBe(1);
  });
});

describe('ingest: errors', () => {
  it('rejects a missing root with ANL_ROOT_NOT_FOUND', async () => {
    const root = await tree({});
    expect(await codeOf(ingest(join(root, 'nope')))).toBe('ANL_ROOT_NOT_FOUND');
  });

  it('rejects a file as root with ANL_ROOT_NOT_DIR', async () => {
    const root = await tree({ 'a.ts': 'export const a = 1;\n' });
    expect(await codeOf(ingest(join(root, 'a.ts')))).toBe('ANL_ROOT_NOT_DIR');
  });

  it('rejects a tree with no analysable source with ANL_NO_SOURCES', async () => {
    const root = await tree({ 'README.md': '# hi\n', 'node_modules/x/index.ts': 'export {};\n', 'src/a.test.ts': 'export {};\n' });
    expect(await codeOf(ingest(root))).toBe('ANL_NO_SOURCES');
  });

  it('rejects a tree whose sources are all excluded with ANL_NO_SOURCES', async () => {
    const root = await tree({ 'legacy/a.ts': 'export const a = 1;\n' });
    expect(await codeOf(ingest(root, { exclude: ['legacy/**'] }))).toBe('ANL_NO_SOURCES');
  });

  it('rejects an explicit tsconfig that does not exist with ANL_TSCONFIG', async () => {
    const root = await tree({ 'a.ts': 'export const a = 1;\n' });
    expect(await codeOf(ingest(root, { tsconfig: 'tsconfig.missing.json' }))).toBe('ANL_TSCONFIG');
  });

  it('rejects an explicit tsconfig with invalid options with ANL_TSCONFIG', async () => {
    const root = await tree({ 'a.ts': 'export const a = 1;\n', 'tsconfig.bad.json': json({ compilerOptions: { module: 'not-a-module-kind' } }) });
    expect(await codeOf(ingest(root, { tsconfig: 'tsconfig.bad.json' }))).toBe('ANL_TSCONFIG');
  });

  it('rejects an empty include glob with ANL_BAD_GLOB', async () => {
    const root = await tree({ 'a.ts': 'export const a = 1;\n' });
    expect(await codeOf(ingest(root, { include: [''] }))).toBe('ANL_BAD_GLOB');
  });
});

describe('ingest: tables', () => {
  let r: IngestResult;
  beforeAll(async () => {
    r = await ingest(
      await tree({
        'src/sqlRepo.ts': [
          'export async function load(db: { query(s: string): Promise<unknown> }, schema: string, id: string, name: string): Promise<void> {',
          '  await db.query(`SELECT o.id FROM ${schema}.orders o JOIN order_lines l ON l.order_id = o.id WHERE o.id = ${id}`);',
          '  await db.query(`UPDATE customers SET name = ${name} WHERE id = ${id}`);',
          '}',
        ].join('\n'),
        'src/knexRepo.ts': [
          "import knex from 'knex';",
          "const db = knex({ client: 'pg' });",
          'export async function pay(id: string): Promise<void> {',
          "  await db('orders').where({ id }).update({ status: 'paid' });",
          "  await db('customers').where('id', id).first();",
          '}',
        ].join('\n'),
        'src/prismaRepo.ts': [
          'declare const prisma: any;',
          'export async function lines(orderId: string): Promise<unknown> {',
          '  return prisma.orderLine.findMany({ where: { orderId } });',
          '}',
        ].join('\n'),
        'src/entities/Order.entity.ts': [
          "import { Entity, getRepository } from 'typeorm';",
          "@Entity('orders')",
          'export class Order { id!: string }',
          'export async function persist(o: Order): Promise<void> { await getRepository(Order).save(o); }',
        ].join('\n'),
        'src/entities/OrderLine.entity.ts': "import { Entity } from 'typeorm';\n@Entity()\nexport class OrderLine { id!: string }\n",
        'src/lineRepo.ts': [
          "import { getRepository } from 'typeorm';",
          "import { OrderLine } from './entities/OrderLine.entity';",
          'export async function add(l: OrderLine): Promise<void> { await getRepository(OrderLine).save(l); }',
        ].join('\n'),
        'src/crypto.ts': [
          "import { createHash, randomBytes } from 'node:crypto';",
          "export const digest = (x: string): string => createHash('sha256').update(x).digest('hex');",
          "export const token = (): string => randomBytes(8).toString('hex');",
          "export const hint = 'Select an item from the list.';",
        ].join('\n'),
      }),
    );
  });

  const tables = (path: string): string[] => factsOf(r, path).tables.map((t) => `${t.table}:${t.access}:${t.via}`);

  it('reads tables from SQL in templates with ${} holes, schema-qualified names included', () => {
    expect(tables('src/sqlRepo.ts')).toEqual(['customers:write:sql', 'order_lines:read:sql', 'orders:read:sql']);
  });

  it('reads knex chains: a write chain writes its table, a where/first chain reads it', () => {
    expect(tables('src/knexRepo.ts')).toEqual(['customers:read:query-builder', 'orders:write:query-builder']);
  });

  it('reads Prisma model accessors in snake_case', () => {
    expect(tables('src/prismaRepo.ts')).toEqual(['order_line:read:orm']);
  });

  it('reads TypeORM entities and repository calls', () => {
    expect(tables('src/entities/Order.entity.ts')).toEqual(['orders:read:orm', 'orders:write:orm']);
    expect(tables('src/entities/OrderLine.entity.ts')).toEqual(['order_line:write:orm']);
    expect(tables('src/lineRepo.ts')).toEqual(['order_line:read:orm', 'order_line:write:orm']);
  });

  it('finds no tables in hashing, random bytes or prose', () => {
    expect(factsOf(r, 'src/crypto.ts').tables).toEqual([]);
  });
});

describe('ingest: endpoints', () => {
  let r: IngestResult;
  beforeAll(async () => {
    r = await ingest(
      await tree({
        'src/server.ts': [
          "import Fastify from 'fastify';",
          "import { orderRoutes } from './orders/routes';",
          'const app = Fastify();',
          "app.get('/health', async () => 'ok');",
          "app.register(orderRoutes, { prefix: '/api' });",
          "app.register(async (r) => { r.get('/status', async () => 'up'); }, { prefix: '/v2' });",
          'export default app;',
        ].join('\n'),
        'src/orders/routes.ts': [
          "import type { FastifyInstance } from 'fastify';",
          'const pay = async (): Promise<string> => "paid";',
          'export async function orderRoutes(app: FastifyInstance): Promise<void> {',
          "  app.get('/orders', async () => []);",
          "  app.post('/orders/:id/pay', pay);",
          '}',
        ].join('\n'),
        'web/app.ts': [
          "import express from 'express';",
          "import { router } from './cartRouter';",
          'const app = express();',
          'const admin = express.Router();',
          "admin.get('/stats', (_req, res) => res.send());",
          "app.use('/v1', router);",
          "app.use('/admin', admin);",
        ].join('\n'),
        'web/cartRouter.ts': [
          "import { Router } from 'express';",
          'export const router = Router();',
          "router.post('/carts', (_req, res) => res.send());",
          "router.route('/carts/:id').get((_req, res) => res.send());",
        ].join('\n'),
        'nest/orders.controller.ts': [
          "import { Controller, Get, Post } from '@nestjs/common';",
          "@Controller('orders')",
          'export class OrdersController {',
          "  @Get(':id') find(): string { return ''; }",
          "  @Post() create(): string { return ''; }",
          '}',
        ].join('\n'),
        'client/api.ts': "import axios from 'axios';\nexport const load = () => axios.get('/api/orders', {});\n",
      }),
    );
  });

  it('reads fastify routes and in-file plugin prefixes', () => {
    const server = factsOf(r, 'src/server.ts');
    expect(routes(server)).toEqual(['GET /health', 'GET /v2/status']);
    expect(server.endpoints.every((e) => e.framework === 'fastify')).toBe(true);
    expect(server.endpoints.find((e) => e.path === '/health')?.line).toBe(4);
  });

  it('prefixes the routes of a plugin registered from another file', () => {
    expect(routes(factsOf(r, 'src/orders/routes.ts'))).toEqual(['GET /api/orders', 'POST /api/orders/:id/pay']);
  });

  it('reads express routers and applies `app.use(prefix, router)` from another file and in-file', () => {
    const cart = factsOf(r, 'web/cartRouter.ts');
    expect(routes(cart)).toEqual(['GET /v1/carts/:id', 'POST /v1/carts']);
    expect(cart.endpoints.every((e) => e.framework === 'express')).toBe(true);
    expect(routes(factsOf(r, 'web/app.ts'))).toEqual(['GET /admin/stats']);
  });

  it('joins NestJS controller and method decorator paths', () => {
    const nest = factsOf(r, 'nest/orders.controller.ts');
    expect(routes(nest)).toEqual(['GET /orders/:id', 'POST /orders']);
    expect(nest.endpoints.every((e) => e.framework === 'nestjs')).toBe(true);
  });

  it('does not take HTTP client calls for routes', () => {
    expect(factsOf(r, 'client/api.ts').endpoints).toEqual([]);
  });
});
