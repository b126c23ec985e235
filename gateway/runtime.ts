/**
 * The gateway's live state, shared by the proxy handler, the admin API and rollouts:
 * the active config snapshot (router, upstreams, per-route config), per-route mode/weight
 * overrides made through the admin API, the log of changes, stats and metrics.
 *
 * A request reads `snapshot` once and keeps it, so a reload never changes a decision in
 * flight. `reload()` builds the whole next snapshot first (a bad config throws and nothing
 * changes), reuses the pools of upstreams whose config did not change and closes the others
 * gracefully. Overrides survive a reload unless the reloaded file changes that route's mode
 * or weight itself (then the file wins, and the change log says so).
 */
import type { Logger } from '../core/index.js';
import type { GatewayConfig } from './config/load.js';
import type { Mode, RouteConfig, UpstreamConfig } from './config/schema.js';
import { FicusError } from '../core/index.js';
import { GatewayErrorCode } from './errors.js';
import type { RouteChange, RouteSettings } from './model.js';
import { closeUpstreams, createUpstream, type Upstream } from './proxy/upstreams.js';
import { createRouter, type Router } from './routing/router.js';
import { GatewayMetrics } from './stats/metrics.js';
import { RouteStats } from './stats/route-stats.js';

export interface Snapshot {
  readonly config: GatewayConfig;
  readonly router: Router<RouteConfig>;
  readonly upstreams: ReadonlyMap<string, Upstream>;
  readonly monolith: Upstream;
  readonly loadedAt: string;
}

export interface ChangeLogEntry extends RouteChange {
  readonly at: string;
  readonly from: RouteSettings;
  readonly to: RouteSettings;
}

export interface RuntimeOptions {
  readonly logger: Logger;
  readonly now?: () => Date;
  readonly metrics?: GatewayMetrics;
}

function fileSettings(r: RouteConfig): RouteSettings {
  return { mode: r.mode ?? 'monolith', weight: r.weight ?? (r.mode === 'service' ? 100 : 0) };
}

export class GatewayRuntime {
  snapshot: Snapshot;
  readonly stats = new RouteStats();
  readonly metrics: GatewayMetrics;
  readonly changes: ChangeLogEntry[] = [];
  /** The last refused reload, shown on /readyz. */
  lastReloadError: string | null = null;
  private readonly overrides = new Map<string, RouteSettings>();
  private readonly fromFile = new WeakMap<RouteConfig, RouteSettings>();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly listeners: ((e: ChangeLogEntry) => void)[] = [];
  private readonly reloadListeners: (() => void)[] = [];

  constructor(config: GatewayConfig, options: RuntimeOptions) {
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.metrics = options.metrics ?? new GatewayMetrics();
    this.snapshot = this.build(config, new Map());
  }

  private build(config: GatewayConfig, reuse: ReadonlyMap<string, { cfg: UpstreamConfig; up: Upstream }>): Snapshot {
    const upstreams = new Map<string, Upstream>();
    for (const [name, cfg] of Object.entries(config.upstreams)) {
      const old = reuse.get(name);
      upstreams.set(name, old && JSON.stringify(old.cfg) === JSON.stringify(cfg) ? old.up : createUpstream(name, cfg));
    }
    const router = createRouter<RouteConfig>();
    for (const r of config.routes) {
      router.add({ id: r.id, path: r.match.path, exact: r.match.exact, methods: r.match.methods, headers: r.match.headers }, r);
      // Computed at the swap, so `settings()` on the request path always finds them (a miss there ran
      // code the optimised request path had never seen, and deoptimised it at the first reload).
      this.fromFile.set(r, fileSettings(r));
    }
    return { config, router, upstreams, monolith: upstreams.get(config.monolith)!, loadedAt: this.now().toISOString() };
  }

  /** Current mode and weight of a route (asked on every request: the file's settings are computed once per config). */
  settings(route: RouteConfig): RouteSettings {
    const override = this.overrides.get(route.id);
    if (override) return override;
    let s = this.fromFile.get(route);
    if (!s) this.fromFile.set(route, (s = fileSettings(route)));
    return s;
  }

  route(id: string): RouteConfig | undefined {
    return this.snapshot.config.routes.find((r) => r.id === id);
  }

  onChange(listener: (e: ChangeLogEntry) => void): void {
    this.listeners.push(listener);
  }

  /** Called after a reloaded config is swapped in (rollouts re-read their policies). */
  onReload(listener: () => void): void {
    this.reloadListeners.push(listener);
  }

  /** Changes a route's mode and/or weight. @throws FicusError GW_ADMIN_CHANGE */
  change(c: RouteChange): ChangeLogEntry {
    const route = this.route(c.route);
    if (!route) {
      throw new FicusError(GatewayErrorCode.ADMIN_CHANGE, `no route "${c.route}"; routes: ${this.snapshot.config.routes.map((r) => r.id).join(', ') || '(none)'}`, { exitCode: 2 });
    }
    if (c.weight !== undefined && !(c.weight >= 0 && c.weight <= 100)) {
      throw new FicusError(GatewayErrorCode.ADMIN_CHANGE, `weight ${c.weight} is out of range; give a percentage from 0 to 100`, { exitCode: 2 });
    }
    const from = this.settings(route);
    const mode: Mode = c.mode ?? from.mode;
    const weight = c.weight ?? (c.mode === 'service' ? 100 : c.mode === 'monolith' || c.mode === 'shadow' ? 0 : from.weight);
    const to = { mode, weight };
    this.overrides.set(route.id, to);
    const entry: ChangeLogEntry = { ...c, at: this.now().toISOString(), from, to };
    this.changes.push(entry);
    if (this.changes.length > 1000) this.changes.splice(0, this.changes.length - 1000);
    this.logger.info({ route: route.id, from, to, by: c.by, reason: c.reason }, 'route changed');
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Puts every route (or one) back to the monolith at once. */
  rollback(by: string, reason: string, route?: string): ChangeLogEntry[] {
    const ids = route === undefined ? this.snapshot.config.routes.map((r) => r.id) : [route];
    return ids.map((id) => this.change({ route: id, mode: 'monolith', weight: 0, by, reason }));
  }

  /** Swaps in a validated config; the old snapshot keeps serving requests already started. */
  reload(config: GatewayConfig): void {
    const old = this.snapshot;
    const reuse = new Map([...old.upstreams].map(([name, up]) => [name, { cfg: old.config.upstreams[name]!, up }]));
    const next = this.build(config, reuse);
    for (const r of config.routes) {
      const before = old.config.routes.find((x) => x.id === r.id);
      const override = this.overrides.get(r.id);
      if (override && before && (before.mode !== r.mode || before.weight !== r.weight)) {
        this.overrides.delete(r.id);
        const entry: ChangeLogEntry = { route: r.id, by: 'config', reason: 'the reloaded config changed this route', at: this.now().toISOString(), from: override, to: fileSettings(r), mode: fileSettings(r).mode, weight: fileSettings(r).weight };
        this.changes.push(entry);
        for (const l of this.listeners) l(entry);
      }
    }
    for (const id of [...this.overrides.keys()]) if (!config.routes.some((r) => r.id === id)) this.overrides.delete(id);
    this.snapshot = next;
    this.lastReloadError = null;
    const kept = new Set(next.upstreams.values());
    void closeUpstreams([...old.upstreams.values()].filter((u) => !kept.has(u)));
    this.logger.info({ routes: config.routes.length, upstreams: next.upstreams.size }, 'config reloaded');
    for (const l of this.reloadListeners) l();
  }

  async close(): Promise<void> {
    await closeUpstreams(this.snapshot.upstreams.values());
  }
}
