/**
 * What the admin API shows of the gateway: the small slice of a Gateway it reads (so it can be
 * built on any object with those parts — buildGateway's result, or a runtime in a test), and
 * the JSON views of routes with their live settings and stats. Views are plain data: the CLI
 * and dashboards read these shapes.
 */
import type { RouteConfig } from '../config/schema.js';
import type { DiffStore, RouteSettings } from '../model.js';
import type { RolloutController } from '../rollout/controller.js';
import { UNMATCHED } from '../proxy/handler.js';
import type { GatewayRuntime } from '../runtime.js';
import type { DiffWriterStats } from '../store/writer.js';

/** The parts of a Gateway (gateway/app.ts) the admin API reads; a Gateway is one. */
export interface AdminGateway {
  readonly runtime: GatewayRuntime;
  /** The data plane; ready only while it listens. */
  readonly server: { readonly listening: boolean };
  readonly store: Pick<DiffStore, 'list'>;
  /** The noise paths learnt per route (from the judge, which may run in a thread of its own). */
  readonly dispatcher: { noise(): Promise<Readonly<Record<string, readonly unknown[]>>> };
  readonly writer?: { stats(): DiffWriterStats };
  /** Rollouts, when the gateway runs them. */
  readonly rollouts?: Pick<RolloutController, 'view' | 'views' | 'act'>;
}

/** The rollout as a route row shows it. */
export interface RouteRolloutView {
  readonly phase: string;
  readonly step: number;
  readonly steps: readonly number[];
  readonly weight: number;
  readonly migrated: boolean;
  readonly reason?: string;
}

export interface RouteStatsView {
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly byTarget: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly fallbacks: number;
  /** Shadow comparisons made, of which different / noise. */
  readonly compared: number;
  readonly different: number;
  readonly noise: number;
  /** different / compared (0 when nothing was compared). */
  readonly diffRate: number;
  /** Shadow calls dropped (queue full, body too large) and skipped (unsafe method, not sampled). */
  readonly drops: number;
  readonly skipped: number;
}

export interface RouteView extends RouteSettings {
  readonly id: string;
  readonly match: RouteConfig['match'];
  readonly service: string;
  readonly stats: RouteStatsView;
  readonly rollout?: RouteRolloutView;
}

export interface RoutesView {
  readonly routes: readonly RouteView[];
  /** Requests no route matched, sent to the monolith. */
  readonly unmatched: { readonly id: string; readonly upstream: string; readonly stats: RouteStatsView };
  /** Route ids, most specific first: the order the router tries them. */
  readonly precedence: readonly string[];
  readonly loadedAt: string;
}

export function statsView(runtime: GatewayRuntime, route: string): RouteStatsView {
  const s = runtime.stats.snapshot(route);
  return {
    requests: s.requests,
    errors: s.errors,
    errorRate: s.errorRate,
    byTarget: s.byTarget,
    p50Ms: s.p50Ms,
    p99Ms: s.p99Ms,
    fallbacks: s.fallbacks,
    compared: s.shadow.compared,
    different: s.shadow.different,
    noise: s.shadow.noise,
    diffRate: s.shadow.diffRate,
    drops: s.shadow.dropped,
    skipped: s.shadow.skipped,
  };
}

export function routeView(runtime: GatewayRuntime, route: RouteConfig, rollouts?: AdminGateway['rollouts']): RouteView {
  const { mode, weight } = runtime.settings(route);
  const r = rollouts?.view(route.id);
  const rollout: RouteRolloutView | undefined = r && {
    phase: r.phase,
    step: r.step,
    steps: r.steps,
    weight: r.weight,
    migrated: r.migrated,
    ...(r.reason !== undefined && { reason: r.reason }),
  };
  return { id: route.id, match: route.match, service: route.service, mode, weight, stats: statsView(runtime, route.id), ...(rollout && { rollout }) };
}

export function routesView(runtime: GatewayRuntime, rollouts?: AdminGateway['rollouts']): RoutesView {
  const snap = runtime.snapshot;
  return {
    routes: snap.config.routes.map((r) => routeView(runtime, r, rollouts)),
    unmatched: { id: UNMATCHED, upstream: snap.config.monolith, stats: statsView(runtime, UNMATCHED) },
    precedence: snap.router.precedence(),
    loadedAt: snap.loadedAt,
  };
}

/** `no route "x"; routes: a, b` — the sentence for an unknown id. */
export function unknownRoute(runtime: GatewayRuntime, id: string): string {
  const ids = runtime.snapshot.config.routes.map((r) => r.id);
  return `no route "${id}"; valid route ids: ${ids.join(', ') || '(none configured)'}`;
}
