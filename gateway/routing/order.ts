/** The order routes of a config are matched in, most specific first (for `ficus gateway --check`). */
import type { GatewayConfig } from '../config/load.js';
import type { RouteConfig } from '../config/schema.js';
import { createRouter } from './router.js';

export function routeOrder(config: GatewayConfig): RouteConfig[] {
  const router = createRouter<RouteConfig>();
  for (const r of config.routes) router.add({ id: r.id, path: r.match.path, exact: r.match.exact, methods: r.match.methods, headers: r.match.headers }, r);
  const byId = new Map(config.routes.map((r) => [r.id, r]));
  return router.precedence().map((id) => byId.get(id)!);
}
