import { it } from 'vitest';

import type { EdgeLayer, FileFacts, RefKind, Reference } from '../model.js';
import { foldersLayer } from './folders.js';
import { detectHubs, type Hub } from './hubs.js';
import { staticLayer } from './static.js';

const ref = (to: string, kind: RefKind = 'call'): Reference => ({ to, kind, symbols: [], count: 1 });

/**
 * A small feature-organised monolith: four domains of five files (routes → controller → service
 * → repository → model) that reach each other only through the kernel files: a logger, a db
 * client, config, a money utility, an event bus, the composition root app.ts and server.ts.
 * orders has three more files that all use OrderService.
 */
function monolith(): FileFacts[] {
  const refs = new Map<string, Reference[]>();
  const add = (from: string, ...to: (string | Reference)[]): void => {
    refs.set(from, [...(refs.get(from) ?? []), ...to.map((t) => (typeof t === 'string' ? ref(t) : t))]);
  };
  const domains = { orders: 'Order', billing: 'Invoice', catalog: 'Product', shipping: 'Shipment' } as const;
  const paths: string[] = [];
  for (const [dir, C] of Object.entries(domains)) {
    const p = (name: string): string => `src/${dir}/${name}.ts`;
    const [routes, ctrl, svc, repo, model] = [p(`${C.toLowerCase()}Routes`), p(`${C}Controller`), p(`${C}Service`), p(`${C}Repository`), p(C)];
    paths.push(routes, ctrl, svc, repo, model);
    add(routes, ctrl);
    add(ctrl, svc, ref(model, 'type'));
    add(svc, repo, ref(model, 'new'), 'src/logger.ts');
    add(repo, ref(model, 'type'), 'src/db.ts');
  }
  // orders: a domain service used heavily inside its own domain.
  for (const extra of ['src/orders/orderValidator.ts', 'src/orders/orderMapper.ts', 'src/orders/orderJobs.ts']) {
    paths.push(extra);
    add(extra, 'src/orders/OrderService.ts', ref('src/orders/Order.ts', 'type'));
  }
  add('src/orders/orderRoutes.ts', 'src/orders/OrderService.ts');
  // A leaf utility with a name no other file shares, used in three domains.
  for (const svc of ['src/orders/OrderService.ts', 'src/billing/InvoiceService.ts', 'src/catalog/ProductService.ts']) add(svc, 'src/lib/money.ts');
  // The kernel.
  add('src/logger.ts', ref('src/config.ts', 'import'), 'src/kernel/logSink.ts');
  add('src/db.ts', ref('src/config.ts', 'import'), 'src/logger.ts');
  add('src/app.ts', ...Object.entries(domains).map(([dir, C]) => `src/${dir}/${C.toLowerCase()}Routes.ts`), 'src/config.ts', 'src/logger.ts', 'src/kernel/eventBus.ts');
  add('src/kernel/eventBus.ts', 'src/logger.ts');
  // The entry point wires the kernel: app, config, db, logger.
  add('src/server.ts', 'src/app.ts', 'src/config.ts', 'src/db.ts', 'src/logger.ts');
  paths.push('src/logger.ts', 'src/db.ts', 'src/config.ts', 'src/lib/money.ts', 'src/app.ts', 'src/server.ts', 'src/kernel/eventBus.ts', 'src/kernel/logSink.ts');
  return paths.sort().map((path) => ({ path, lines: 30, references: refs.get(path) ?? [], tables: [], endpoints: [], terms: {} }));
}

const layersOf = (files: readonly FileFacts[]): EdgeLayer[] => [staticLayer(files), foldersLayer(files)];
it('dump', () => {
  const files = monolith();
  console.log(files.length);
  for (const h of detectHubs(files, layersOf(files), { seed: 1 })) console.log(h.path, h.reason, h.fanIn, h.spread.toFixed(2), h.detail);
});
import { combineLayers } from './combine.js';
import { runLouvain } from '../cluster/louvain.js';
import { DEFAULT_SIGNAL_WEIGHTS } from './weights.js';
it('communities', () => {
  const files = monolith();
  const cands = new Set(['src/app.ts','src/config.ts','src/db.ts','src/logger.ts','src/lib/money.ts']);
  const g = combineLayers(layersOf(files), DEFAULT_SIGNAL_WEIGHTS, cands, files.map(f=>f.path));
  const { communities } = runLouvain(g, { seed: 1 });
  console.log([...communities].map(([p,c])=>`${c} ${p}`).sort().join('\n'));
});
