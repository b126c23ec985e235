import { describe, expect, it } from 'vitest';
import { isFicusError } from '../../core/index.js';
import { mulberry32 } from '../cluster/random.js';
import type { EdgeLayer, FileFacts } from '../model.js';
import { SEMANTIC_LAYER_OPTION, semanticLayer } from './semantic.js';

const file = (path: string, terms: Record<string, number>): FileFacts => ({ path, lines: 10, references: [], tables: [], endpoints: [], terms });

const VOCAB: Record<string, string[]> = {
  billing: ['invoice', 'payment', 'refund', 'charge', 'tax', 'ledger'],
  catalog: ['product', 'sku', 'category', 'price', 'variant', 'stock'],
  shipping: ['parcel', 'carrier', 'tracking', 'label', 'delivery', 'route'],
};

/** Per domain `perDomain` files, each with 4 of the domain's words, a shared word and one of its own. */
function corpus(perDomain: number): FileFacts[] {
  const out: FileFacts[] = [];
  for (const [domain, words] of Object.entries(VOCAB)) {
    for (let i = 0; i < perDomain; i++) {
      const terms: Record<string, number> = { customer: 1, [`unique${domain}${i}`]: 2 };
      for (let k = 0; k < 4; k++) terms[words[(i + k) % words.length]!] = 1 + ((i + k) % 3);
      out.push(file(`${domain}/file${i}.ts`, terms));
    }
  }
  return out;
}

const domainOf = (path: string): string => path.split('/')[0]!;
const degrees = (layer: EdgeLayer): Map<string, number> => {
  const deg = new Map<string, number>();
  for (const e of layer.edges) for (const p of [e.a, e.b]) deg.set(p, (deg.get(p) ?? 0) + 1);
  return deg;
};

describe('semanticLayer', () => {
  it('links files of one domain to each other, not across domains', () => {
    const files = corpus(4);
    const layer = semanticLayer(files);
    expect(layer.signal).toBe('semantic');
    expect(layer.note).toBeUndefined();
    expect(layer.edges.length).toBeGreaterThan(0);
    for (const e of layer.edges) expect(domainOf(e.a)).toBe(domainOf(e.b));
    for (const f of files) expect(degrees(layer).get(f.path)).toBeGreaterThan(0);
    expect(Math.max(...layer.edges.map((e) => e.w))).toBe(1);
    expect(layer.edges.every((e) => e.a < e.b && e.w > 0 && e.w <= 1)).toBe(true);
  });

  it('links two files with the same vocabulary most strongly', () => {
    const layer = semanticLayer([
      file('a/order.ts', { order: 3, basket: 2, checkout: 1 }),
      file('b/orderView.ts', { order: 3, basket: 2, checkout: 1 }),
      file('c/basket.ts', { basket: 1, wishlist: 4 }),
      file('d/report.ts', { revenue: 2, wishlist: 1 }),
    ]);
    const top = [...layer.edges].sort((p, q) => q.w - p.w)[0];
    expect(top).toEqual({ a: 'a/order.ts', b: 'b/orderView.ts', w: 1 });
  });

  it('keeps at most topK neighbours per file', () => {
    const files = corpus(12);
    for (const topK of [1, 2, 3]) {
      const layer = semanticLayer(files, { topK, minSimilarity: 0 });
      expect(layer.edges.length).toBeLessThanOrEqual(files.length * topK);
      // every file chose topK neighbours; others may have chosen it too
      for (const f of files) expect(degrees(layer).get(f.path)).toBeGreaterThanOrEqual(topK);
    }
    const one = semanticLayer(files, { topK: 1, minSimilarity: 0 });
    expect(one.edges.length).toBeLessThan(semanticLayer(files, { topK: 3, minSimilarity: 0 }).edges.length);
  });

  it('is deterministic and independent of input order', () => {
    const files = corpus(6);
    const shuffled = [...files];
    const rand = mulberry32(7);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const reordered = shuffled.map((f) => file(f.path, Object.fromEntries(Object.entries(f.terms).reverse())));
    expect(semanticLayer(reordered)).toEqual(semanticLayer(files));
  });

  it('ignores terms used by more than maxDocFreq files and terms of one file only', () => {
    const files = [
      file('a.ts', { shared: 5, onlya: 3 }),
      file('b.ts', { shared: 5, onlyb: 3 }),
      file('c.ts', { shared: 5, onlyc: 3 }),
      file('d.ts', { shared: 1, other: 1 }),
      file('e.ts', { other: 1, more: 1 }),
    ];
    expect(semanticLayer(files, { minSimilarity: 0 }).edges.some((e) => e.a === 'a.ts' && e.b === 'b.ts')).toBe(true);
    const capped = semanticLayer(files, { maxDocFreq: 3, minSimilarity: 0 });
    expect(capped.edges).toEqual([{ a: 'd.ts', b: 'e.ts', w: 1 }]);
  });

  it('drops pairs below minSimilarity and says why the layer is empty', () => {
    const files = [file('a.ts', { alpha: 1, beta: 9, gamma: 9 }), file('b.ts', { alpha: 1, delta: 9, omega: 9 }), file('c.ts', { zeta: 1 })];
    expect(semanticLayer(files, { minSimilarity: 0 }).edges).toHaveLength(1);
    const layer = semanticLayer(files, { minSimilarity: 0.5 });
    expect(layer.edges).toEqual([]);
    expect(layer.note).toBeTruthy();
    expect(semanticLayer([file('a.ts', {}), file('b.ts', {})]).note).toBeTruthy();
  });

  it('scales to thousands of files with edges bounded by N · topK', () => {
    const rand = mulberry32(3);
    const files: FileFacts[] = [];
    for (let i = 0; i < 5000; i++) {
      const terms: Record<string, number> = {};
      for (let k = 0; k < 30; k++)
        terms[rand() < 0.5 ? `d${i % 50}w${Math.floor(rand() * 10)}` : `t${Math.floor(1 / (rand() + 1e-4))}`] = 1 + Math.floor(rand() * 3);
      files.push(file(`src/f${String(i).padStart(4, '0')}.ts`, terms));
    }
    const layer = semanticLayer(files);
    expect(layer.edges.length).toBeGreaterThan(files.length);
    expect(layer.edges.length).toBeLessThanOrEqual(files.length * 5);
    const within = layer.edges.filter((e) => Number(e.a.slice(5, 9)) % 50 === Number(e.b.slice(5, 9)) % 50).length;
    expect(within / layer.edges.length).toBeGreaterThan(0.95);
  });

  it.each([{ topK: 0 }, { topK: 1.5 }, { minSimilarity: 2 }, { maxDocFreq: 0 }])('rejects %o with a code', (options) => {
    let err: unknown;
    try {
      semanticLayer(corpus(1), options);
    } catch (e) {
      err = e;
    }
    expect(isFicusError(err) && err.code).toBe(SEMANTIC_LAYER_OPTION);
  });
});
