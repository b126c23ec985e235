/**
 * Drafts for the next steps of a migration, derived from a decomposition: a gateway config
 * that routes each context's endpoints to a placeholder service in `shadow` mode (traffic
 * still served by the monolith, the service only compared), and a CDC mapping that copies each
 * context's owned tables into its future store. Both are starting points to edit; they are
 * written in the shapes the gateway and CDC config schemas accept.
 */
import type { DecompositionContext, TableOwnership } from '../decomposition.js';

export interface GatewayDraft {
  listen: { host: string; port: number };
  admin: { host: string; port: number; token: string };
  upstreams: Record<string, { url: string; timeoutMs?: number }>;
  routes: {
    id: string;
    match: { path: string; methods: string[]; exact?: boolean };
    service: string;
    mode: 'shadow';
    weight: number;
    shadow: { sample: number; unsafeMethods: 'never' };
  }[];
  diffs: { store: 'ndjson'; path: string };
}

const SAFE_ORDER = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];

function firstSegment(path: string): string {
  return path.split('/').filter(Boolean)[0] ?? '';
}

/** Gateway routes: a prefix route per top path segment a context owns, exact routes for strays. */
export function gatewayDraft(contexts: readonly DecompositionContext[], monolithUrl = 'http://127.0.0.1:3000'): GatewayDraft {
  const domains = contexts.filter((c) => c.kind === 'domain' && c.endpoints.length > 0);
  const prefixOwner = new Map<string, { ctx: string; n: number }>();
  const counts = new Map<string, number>();
  for (const c of domains) {
    for (const e of c.endpoints) {
      const seg = firstSegment(e.path);
      const k = `${seg}\u0000${c.id}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of [...counts.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const [seg, ctx] = k.split('\u0000') as [string, string];
    const cur = prefixOwner.get(seg);
    if (!cur || n > cur.n) prefixOwner.set(seg, { ctx, n });
  }
  const exact: GatewayDraft['routes'] = [];
  const prefix = new Map<string, GatewayDraft['routes'][number]>();
  for (const c of domains) {
    // Paths under a segment this context owns become one prefix route; the others (strays
    // under another context's segment) exact routes, so they never capture that segment.
    const byPath = new Map<string, { methods: Set<string>; owned: boolean }>();
    for (const e of c.endpoints) {
      const seg = firstSegment(e.path);
      const owned = seg !== '' && prefixOwner.get(seg)?.ctx === c.id;
      const key = owned ? `/${seg}` : e.path;
      const entry = byPath.get(key) ?? { methods: new Set<string>(), owned };
      entry.methods.add(e.method.toUpperCase());
      byPath.set(key, entry);
    }
    for (const [path, { methods, owned }] of byPath) {
      const route = {
        id: `${c.id}${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/-+$/, '')}${owned ? '' : '-exact'}`,
        match: { path, methods: [...methods].sort((a, b) => SAFE_ORDER.indexOf(a) - SAFE_ORDER.indexOf(b)), ...(!owned && { exact: true }) },
        service: c.id,
        mode: 'shadow' as const,
        weight: 0,
        shadow: { sample: 100, unsafeMethods: 'never' as const },
      };
      if (owned) prefix.set(path, route);
      else exact.push(route);
    }
  }
  const services = [...new Set(domains.map((c) => c.id))];
  return {
    listen: { host: '127.0.0.1', port: 8080 },
    admin: { host: '127.0.0.1', port: 9901, token: '${FICUS_ADMIN_TOKEN}' },
    upstreams: {
      monolith: { url: monolithUrl },
      ...Object.fromEntries(services.map((id, i) => [id, { url: `http://127.0.0.1:${3001 + i}`, timeoutMs: 2000 }])),
    },
    // Exact paths first: they are more specific than the prefixes they sit under.
    routes: [...exact.sort((a, b) => a.match.path.localeCompare(b.match.path)), ...[...prefix.values()].sort((a, b) => a.match.path.localeCompare(b.match.path))],
    diffs: { store: 'ndjson', path: './ficus-diffs' },
  };
}

/** One `ficus.cdc.yaml` (cdc/config/schema.ts): Debezium topics of the owned tables → the context's store. */
export interface CdcDraft {
  source: { kafka: { brokers: string[]; groupId: string; topics: string[] } };
  sink: { postgres: { url: string; schema: string } };
  tables: { from: string; to: string; key: string[] }[];
}

/** One CDC draft per context: its owned tables, Debezium topic names `<prefix>.<schema>.<table>`. */
export function cdcDrafts(
  contexts: readonly DecompositionContext[],
  tables: readonly TableOwnership[],
  topicPrefix = 'monolith',
): Record<string, CdcDraft> {
  const out: Record<string, CdcDraft> = {};
  for (const c of contexts) {
    if (c.kind !== 'domain') continue;
    const owned = tables.filter((t) => t.owner === c.id).map((t) => t.name);
    if (owned.length === 0) continue;
    out[c.id] = {
      source: {
        kafka: { brokers: ['${KAFKA_BROKERS:-127.0.0.1:9092}'], groupId: `ficus-cdc-${c.id}`, topics: owned.map((t) => `${topicPrefix}.public.${t}`) },
      },
      sink: { postgres: { url: `\${${c.id.toUpperCase().replace(/-/g, '_')}_DATABASE_URL}`, schema: 'public' } },
      tables: owned.map((t) => ({ from: `public.${t}`, to: t, key: ['id'] })),
    };
  }
  return out;
}
