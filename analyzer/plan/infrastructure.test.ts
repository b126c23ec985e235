import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import type { EndpointDecl, FileFacts, TableUse } from '../model.js';
import { dissolveInfrastructure } from './infrastructure.js';

function file(path: string, extra: { tables?: TableUse[]; endpoints?: EndpointDecl[] } = {}): FileFacts {
  return { path, lines: 10, references: [], tables: extra.tables ?? [], endpoints: extra.endpoints ?? [], terms: {} };
}

function graphOf(nodes: readonly string[], edges: readonly [string, string, number][]): UndirectedGraph {
  const g = new UndirectedGraph();
  for (const n of nodes) g.addNode(n);
  for (const [a, b, weight] of edges) g.addUndirectedEdge(a, b, { weight });
  return g;
}

const ORDERS = ['src/orders/OrderService.ts', 'src/orders/OrderRepository.ts'];
const BILLING = ['src/billing/InvoiceService.ts'];
const INFRA = ['src/app.ts', 'src/config.ts', 'src/logger.ts', 'src/orderAudit.ts'];

/** 0 = orders, 1 = billing, 2 = plumbing (three nameless files and one domain-named file). */
function setup(): { graph: UndirectedGraph; assignment: Map<string, number>; facts: Map<string, FileFacts> } {
  const assignment = new Map<string, number>([
    ...ORDERS.map((p) => [p, 0] as const),
    ...BILLING.map((p) => [p, 1] as const),
    ...INFRA.map((p) => [p, 2] as const),
  ]);
  const graph = graphOf(
    [...assignment.keys()],
    [
      [ORDERS[0]!, ORDERS[1]!, 2],
      // orderAudit: 0.5 + 0.5 to orders beats a single 0.9 to billing; its tie to app.ts, in
      // the dissolved group itself, does not count.
      ['src/orderAudit.ts', ORDERS[0]!, 0.5],
      ['src/orderAudit.ts', ORDERS[1]!, 0.5],
      ['src/orderAudit.ts', BILLING[0]!, 0.9],
      ['src/orderAudit.ts', 'src/app.ts', 5],
      ['src/app.ts', 'src/config.ts', 1],
      ['src/app.ts', 'src/logger.ts', 1],
      ['src/app.ts', BILLING[0]!, 3],
    ],
  );
  const facts = new Map([...assignment.keys()].map((p) => [p, file(p)]));
  facts.set(ORDERS[1]!, file(ORDERS[1]!, { tables: [{ table: 'orders', access: 'write', via: 'sql' }] }));
  return { graph, assignment, facts };
}

describe('dissolveInfrastructure', () => {
  it('dissolves a data-less, API-less group of nameless files: nameless files to the kernel, named ones to their strongest context', () => {
    const { graph, assignment, facts } = setup();
    const out = dissolveInfrastructure(graph, assignment, facts);
    expect(out.dissolved).toEqual([2]);
    expect(out.kernel).toEqual(['src/app.ts', 'src/config.ts', 'src/logger.ts']);
    expect(out.assignment.get('src/orderAudit.ts')).toBe(0);
    for (const k of out.kernel) expect(out.assignment.has(k)).toBe(false);
    for (const p of [...ORDERS, ...BILLING]) expect(out.assignment.get(p)).toBe(assignment.get(p));
    // The input is left alone.
    expect(assignment.get('src/app.ts')).toBe(2);
  });

  it('sends a domain-named member with no tie to a kept context to the kernel', () => {
    const { graph, assignment, facts } = setup();
    graph.dropNode('src/orderAudit.ts');
    graph.addNode('src/orderAudit.ts');
    const out = dissolveInfrastructure(graph, assignment, facts);
    expect(out.kernel).toContain('src/orderAudit.ts');
    expect(out.assignment.has('src/orderAudit.ts')).toBe(false);
  });

  it('keeps a group that owns a table', () => {
    const { graph, assignment, facts } = setup();
    facts.set('src/config.ts', file('src/config.ts', { tables: [{ table: 'settings', access: 'read', via: 'sql' }] }));
    const out = dissolveInfrastructure(graph, assignment, facts);
    expect(out.dissolved).toEqual([]);
    expect(out.kernel).toEqual([]);
    expect(out.assignment).toEqual(assignment);
  });

  it('keeps a group that declares a route', () => {
    const { graph, assignment, facts } = setup();
    facts.set('src/app.ts', file('src/app.ts', { endpoints: [{ method: 'GET', path: '/health', line: 3, framework: 'fastify' }] }));
    expect(dissolveInfrastructure(graph, assignment, facts).dissolved).toEqual([]);
  });

  it('keeps pinned groups', () => {
    const { graph, assignment, facts } = setup();
    const out = dissolveInfrastructure(graph, assignment, facts, new Set([2]));
    expect(out.dissolved).toEqual([]);
    expect(out.assignment).toEqual(assignment);
  });

  it('keeps a data-less group whose members mostly have domain names', () => {
    const assignment = new Map([
      ['src/pricing/discountRules.ts', 0],
      ['src/pricing/priceCalculator.ts', 0],
      ['src/pricing/index.ts', 0],
    ]);
    const graph = graphOf([...assignment.keys()], [['src/pricing/discountRules.ts', 'src/pricing/priceCalculator.ts', 1]]);
    const facts = new Map([...assignment.keys()].map((p) => [p, file(p)]));
    expect(dissolveInfrastructure(graph, assignment, facts).dissolved).toEqual([]);
  });
});
