import { describe, expect, it } from 'vitest';
import type { EdgeLayer, FileFacts, RefKind, Reference } from '../model.js';
import { foldersLayer } from './folders.js';
import { detectHubs, type Hub } from './hubs.js';
import { staticLayer } from './static.js';

const ref = (to: string, kind: RefKind = 'call'): Reference => ({ to, kind, symbols: [], count: 1 });

/**
 * A small feature-organised monolith: four domains (routes → controller → service → repository
 * → model, plus helpers using the model) that reach each other only through the kernel: a
 * logger, a db client, config, a money utility, an event bus, the composition root app.ts and
 * the entry point server.ts. In orders six files use OrderService.
 */
function monolith(): FileFacts[] {
  const refs = new Map<string, Reference[]>();
  const paths: string[] = [];
  const add = (from: string, ...to: (string | Reference)[]): void => {
    if (!paths.includes(from)) paths.push(from);
    refs.set(from, [...(refs.get(from) ?? []), ...to.map((t) => (typeof t === 'string' ? ref(t) : t))]);
  };
  const domains = { orders: 'Order', billing: 'Invoice', catalog: 'Product', shipping: 'Shipment' } as const;
  for (const [dir, C] of Object.entries(domains)) {
    const p = (name: string): string => `src/${dir}/${name}.ts`;
    const c = C.toLowerCase();
    const [svc, model] = [p(`${C}Service`), p(C)];
    add(p(`${c}Routes`), p(`${C}Controller`));
    add(p(`${C}Controller`), svc, ref(model, 'type'));
    add(svc, p(`${C}Repository`), ref(model, 'new'), 'src/logger.ts');
    add(p(`${C}Repository`), ref(model, 'type'), 'src/db.ts');
    add(model);
    for (const helper of dir === 'orders' ? ['Validator', 'Mapper', 'Jobs', 'Events'] : ['Mapper', 'Formatter']) {
      add(p(`${c}${helper}`), ref(model, 'type'), ...(dir === 'orders' ? [svc] : []));
    }
  }
  add('src/orders/orderRoutes.ts', 'src/orders/OrderService.ts');
  // A leaf utility with a name no other file shares, used in three domains.
  for (const svc of ['src/billing/InvoiceService.ts', 'src/catalog/ProductService.ts', 'src/shipping/ShipmentService.ts']) add(svc, 'src/lib/money.ts');
  add('src/lib/money.ts');
  // The kernel.
  add('src/config.ts');
  add('src/logger.ts', ref('src/config.ts', 'import'), 'src/kernel/logSink.ts');
  add('src/kernel/logSink.ts');
  add('src/db.ts', ref('src/config.ts', 'import'));
  add('src/app.ts', ...Object.entries(domains).map(([dir, C]) => `src/${dir}/${C.toLowerCase()}Routes.ts`), 'src/config.ts', 'src/kernel/eventBus.ts');
  add('src/kernel/eventBus.ts', ref('src/config.ts', 'type'));
  // The entry point starts app, config, db and logger (the example of the hubs.ts header).
  add('src/server.ts', 'src/app.ts', 'src/config.ts', 'src/db.ts', 'src/logger.ts');
  return paths.sort().map((path) => ({ path, lines: 30, references: refs.get(path) ?? [], tables: [], endpoints: [], terms: {} }));
}

const layersOf = (files: readonly FileFacts[]): EdgeLayer[] => [staticLayer(files), foldersLayer(files)];
const byPath = (hubs: readonly Hub[]): Map<string, Hub> => new Map(hubs.map((h) => [h.path, h]));

describe('detectHubs', () => {
  const files = monolith();
  const hubs = byPath(detectHubs(files, layersOf(files), { seed: 1 }));

  it('takes a logger used across provisional contexts as infrastructure', () => {
    expect(hubs.get('src/logger.ts')?.reason).toBe('infrastructure-name');
    expect(hubs.get('src/logger.ts')!.spread).toBeGreaterThanOrEqual(2);
    expect(hubs.get('src/db.ts')?.reason).toBe('infrastructure-name');
  });

  it('takes infrastructure used mostly by hubs as infrastructure too', () => {
    expect(hubs.get('src/config.ts')?.reason).toBe('infrastructure-name');
  });

  it('takes app.ts, which uses every domain’s routes and is used only by server.ts, as a composition root', () => {
    const app = hubs.get('src/app.ts');
    expect(app?.reason).toBe('composition-root');
    expect(app!.spread).toBeGreaterThanOrEqual(3);
  });

  it('takes the entry point that wires the kernel as a composition root', () => {
    expect(hubs.get('src/server.ts')?.reason).toBe('composition-root');
  });

  it('takes a leaf with a unique name used across three contexts as a utility', () => {
    const money = hubs.get('src/lib/money.ts');
    expect(money?.reason).toBe('utility');
    expect(money!.fanIn).toBe(3);
    expect(money!.spread).toBeGreaterThanOrEqual(2.5);
  });

  it('takes a file used only by hubs and using only hubs as kernel-internal, whatever its name', () => {
    expect(hubs.get('src/kernel/eventBus.ts')?.reason).toBe('kernel-internal');
    expect(hubs.get('src/kernel/logSink.ts')?.reason).toBe('kernel-internal');
  });

  it('does not take a domain service used heavily within its own domain for a hub', () => {
    const users = files.filter((f) => f.references.some((r) => r.to === 'src/orders/OrderService.ts')).length;
    expect(users / files.length).toBeGreaterThanOrEqual(0.15); // widely used, so a fan-in candidate
    expect(hubs.has('src/orders/OrderService.ts')).toBe(false);
  });

  it('keeps every domain file out of the kernel', () => {
    const domain = files.map((f) => f.path).filter((p) => /^src\/(orders|billing|catalog|shipping)\//.test(p));
    expect(domain.filter((p) => hubs.has(p))).toEqual([]);
  });

  it('reports fan-in and its share of all files', () => {
    const logger = hubs.get('src/logger.ts')!;
    expect(logger.fanIn).toBe(5); // four services and server.ts
    expect(logger.fanInShare).toBeCloseTo(logger.fanIn / files.length, 10);
  });

  it('leaves composition roots alone when told to', () => {
    const noRoots = byPath(detectHubs(files, layersOf(files), { seed: 1, compositionRoots: false }));
    expect(noRoots.has('src/app.ts')).toBe(false);
    expect(noRoots.get('src/logger.ts')?.reason).toBe('infrastructure-name');
  });

  it('is deterministic for a seed', () => {
    expect(detectHubs(files, layersOf(files), { seed: 1 })).toEqual(detectHubs(files, layersOf(files), { seed: 1 }));
  });
});
