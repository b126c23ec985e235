/**
 * Request mixes: what a realistic stream of calls to the shop looks like, as a deterministic
 * plan for a seed. `catalog` is browsing and merchandising (list/filter/search/page products,
 * product pages with some 404s, categories, and occasional create/update/delete of products the
 * run itself created); `browse` is the same reads without the writes (a read-only mix, for
 * comparing two sides whose data are not synced); `shop` adds customers, carts, checkouts, orders and health checks of the
 * legacy-shop API. Every request names a customer in `x-user-id` (skewed toward low ids, as real
 * traffic is) so gateway cohorts have something to hash.
 *
 * The catalog constants mirror samples/data/catalog.json (ids 1–120, its category slugs).
 *
 * @example
 *   planRequests(1, 3).map((r) => `${r.method} ${r.path}`);
 *   // the same three lines for seed 1, every time
 */
import { chance, mulberry32, pick, randomInt, weighted, type Random } from './random.js';

export const MIX_NAMES = ['catalog', 'browse', 'shop'] as const;
export type MixName = (typeof MIX_NAMES)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Placeholder in a path for the id the server gave the product created with `createdSku`. */
export const CREATED_ID = ':created';

export interface PlannedRequest {
  /** Position in the plan, from 0; sent as `x-traffic-seq`. */
  seq: number;
  kind: string;
  method: HttpMethod;
  path: string;
  /** The customer this request acts for; sent as `x-user-id`. */
  userId: number;
  body?: Record<string, unknown>;
  /** For update/delete of a product this run created: its sku; `path` contains CREATED_ID. */
  createdSku?: string;
}

export interface MixOptions {
  mix?: MixName;
  /** Customers 1..customers appear in x-user-id and the shop calls. Default 50. */
  customers?: number;
  /** Makes created skus unique per run (TRF-<runTag>-<n>). Default: derived from the seed. */
  runTag?: string;
}

export const CATALOG = {
  maxProductId: 120,
  categorySlugs: [
    'kitchen',
    'cookware',
    'coffee-and-tea',
    'home-and-living',
    'lighting',
    'bedding',
    'garden',
    'outdoor-and-camping',
    'office',
    'stationery',
    'electronics',
    'toys-and-games',
  ],
  searchTerms: [
    'lamp',
    'set',
    'steel',
    'wood',
    'coffee',
    'Cast Iron',
    'LED',
    'kettle',
    'mat',
    'pack',
    'pillow',
    'xyzzy',
  ],
  pageSizes: [10, 20, 20, 20, 50, 100],
} as const;

const CATALOG_WEIGHTS = {
  listProducts: 22,
  listByCategory: 12,
  searchProducts: 12,
  getProduct: 30,
  listCategories: 7,
  categoryProducts: 8,
  createProduct: 4,
  updateProduct: 3,
  deleteProduct: 2,
};

const BROWSE_WEIGHTS = { ...CATALOG_WEIGHTS, createProduct: 0, updateProduct: 0, deleteProduct: 0 };

const SHOP_WEIGHTS = {
  catalog: 60,
  health: 3,
  getCustomer: 8,
  addToCart: 14,
  checkout: 6,
  getOrder: 9,
};

const NAME_WORDS = {
  adjective: ['Compact', 'Classic', 'Deluxe', 'Everyday', 'Heritage', 'Nordic', 'Rustic', 'Travel'],
  noun: ['Serving Tray', 'Bread Bin', 'Table Runner', 'Desk Lamp', 'Plant Pot', 'Notebook', 'Lunch Box', 'Tea Caddy'],
};
const PRICE_SHAPES = [1250, 2000, 999, 4550, 1475, 3000, 12900, 650];

interface PlannerState {
  rng: Random;
  customers: number;
  runTag: string;
  seq: number;
  created: number;
  /** Skus created and not yet deleted: targets for update/delete. */
  createdSkus: string[];
  cartItems: Map<number, number>;
  checkouts: number;
}

type Draft = Omit<PlannedRequest, 'seq' | 'userId'> & { userId?: number };

/** Skewed toward low ids: a few customers are much busier than most. */
function customer(s: PlannerState): number {
  return 1 + Math.floor(s.customers * s.rng() ** 2);
}

function pageQuery(s: PlannerState): string {
  const limit = pick(s.rng, CATALOG.pageSizes);
  const offset = chance(s.rng, 0.7) ? 0 : limit * randomInt(s.rng, 1, Math.ceil(CATALOG.maxProductId / limit));
  const parts = limit === 20 && chance(s.rng, 0.5) ? [] : [`limit=${limit}`];
  if (offset > 0) parts.push(`offset=${offset}`);
  return parts.join('&');
}

function withQuery(path: string, ...parts: string[]): string {
  const q = parts.filter((p) => p !== '').join('&');
  return q === '' ? path : `${path}?${q}`;
}

function catalogDraft(s: PlannerState, weights: typeof CATALOG_WEIGHTS = CATALOG_WEIGHTS): Draft {
  const { rng } = s;
  switch (weighted(rng, weights)) {
    case 'listProducts':
      return {
        kind: 'listProducts',
        method: 'GET',
        path: withQuery('/products', pageQuery(s)),
      };
    case 'listByCategory':
      return {
        kind: 'listByCategory',
        method: 'GET',
        path: withQuery(
          '/products',
          `category=${pick(rng, CATALOG.categorySlugs)}`,
          chance(rng, 0.3) ? pageQuery(s) : '',
        ),
      };
    case 'searchProducts': {
      const term = encodeURIComponent(pick(rng, CATALOG.searchTerms));
      const category = chance(rng, 0.2) ? `category=${pick(rng, CATALOG.categorySlugs)}` : '';
      return {
        kind: 'searchProducts',
        method: 'GET',
        path: withQuery('/products', `q=${term}`, category, chance(rng, 0.3) ? pageQuery(s) : ''),
      };
    }
    case 'getProduct': {
      const id = chance(rng, 0.08) ? randomInt(rng, 900, 999) : randomInt(rng, 1, CATALOG.maxProductId);
      return { kind: 'getProduct', method: 'GET', path: `/products/${id}` };
    }
    case 'listCategories':
      return { kind: 'listCategories', method: 'GET', path: '/categories' };
    case 'categoryProducts': {
      const slug = chance(rng, 0.05) ? 'clearance' : pick(rng, CATALOG.categorySlugs);
      return {
        kind: 'categoryProducts',
        method: 'GET',
        path: withQuery(`/categories/${slug}/products`, chance(rng, 0.4) ? pageQuery(s) : ''),
      };
    }
    case 'createProduct': {
      s.created += 1;
      const n = s.created;
      const sku = `TRF-${s.runTag}-${n}`;
      s.createdSkus.push(sku);
      const name = `${pick(rng, NAME_WORDS.adjective)} ${pick(rng, NAME_WORDS.noun)} ${n}`;
      const body: Record<string, unknown> = {
        sku,
        name,
        priceCents: pick(rng, PRICE_SHAPES),
        categoryId: randomInt(rng, 1, CATALOG.categorySlugs.length),
      };
      if (chance(rng, 0.7)) body.description = `${name}, added by the traffic generator.`;
      return { kind: 'createProduct', method: 'POST', path: '/products', body };
    }
    case 'updateProduct': {
      if (s.createdSkus.length === 0) return { kind: 'listCategories', method: 'GET', path: '/categories' };
      const sku = pick(rng, s.createdSkus);
      const body = chance(rng, 0.5)
        ? { priceCents: pick(rng, PRICE_SHAPES) }
        : { description: `Updated copy ${s.seq}.` };
      return {
        kind: 'updateProduct',
        method: 'PUT',
        path: `/products/${CREATED_ID}`,
        body,
        createdSku: sku,
      };
    }
    case 'deleteProduct': {
      if (s.createdSkus.length === 0) return { kind: 'listCategories', method: 'GET', path: '/categories' };
      const [sku] = s.createdSkus.splice(Math.floor(rng() * s.createdSkus.length), 1);
      return {
        kind: 'deleteProduct',
        method: 'DELETE',
        path: `/products/${CREATED_ID}`,
        createdSku: sku!,
      };
    }
  }
}

function shopDraft(s: PlannerState): Draft {
  const { rng } = s;
  const user = customer(s);
  switch (weighted(rng, SHOP_WEIGHTS)) {
    case 'catalog':
      return catalogDraft(s);
    case 'health':
      return { kind: 'health', method: 'GET', path: '/health' };
    case 'getCustomer': {
      const id = chance(rng, 0.05) ? randomInt(rng, 90_000, 99_999) : user;
      return {
        kind: 'getCustomer',
        method: 'GET',
        path: `/customers/${id}`,
        userId: user,
      };
    }
    case 'checkout': {
      const withCart = [...s.cartItems.keys()];
      if (withCart.length > 0) {
        const buyer = pick(rng, withCart);
        s.cartItems.delete(buyer);
        s.checkouts += 1;
        return {
          kind: 'checkout',
          method: 'POST',
          path: `/cart/${buyer}/checkout`,
          userId: buyer,
        };
      }
      return addToCart(s, user);
    }
    case 'addToCart':
      return addToCart(s, user);
    case 'getOrder': {
      const id = randomInt(rng, 1, s.checkouts + 20);
      return {
        kind: 'getOrder',
        method: 'GET',
        path: `/orders/${id}`,
        userId: user,
      };
    }
  }
}

function addToCart(s: PlannerState, user: number): Draft {
  s.cartItems.set(user, (s.cartItems.get(user) ?? 0) + 1);
  return {
    kind: 'addToCart',
    method: 'POST',
    path: `/cart/${user}/items`,
    userId: user,
    body: {
      productId: randomInt(s.rng, 1, CATALOG.maxProductId),
      quantity: randomInt(s.rng, 1, 3),
    },
  };
}

/** An endless, deterministic stream of planned requests for one seed and mix. */
export function createPlanner(seed: number, options: MixOptions = {}): () => PlannedRequest {
  const mix = options.mix ?? 'catalog';
  const state: PlannerState = {
    rng: mulberry32(seed),
    customers: options.customers ?? 50,
    runTag: options.runTag ?? `s${seed}`,
    seq: 0,
    created: 0,
    createdSkus: [],
    cartItems: new Map(),
    checkouts: 0,
  };
  return () => {
    const draft = mix === 'shop' ? shopDraft(state) : catalogDraft(state, mix === 'browse' ? BROWSE_WEIGHTS : CATALOG_WEIGHTS);
    const planned: PlannedRequest = {
      ...draft,
      seq: state.seq,
      userId: draft.userId ?? customer(state),
    };
    state.seq += 1;
    return planned;
  };
}

/** The first `n` requests the generator would plan for `seed`. */
export function planRequests(seed: number, n: number, options: MixOptions = {}): PlannedRequest[] {
  const next = createPlanner(seed, options);
  return Array.from({ length: n }, next);
}
