/**
 * Live per-route numbers for the admin API, the dashboard and rollout gates: requests and
 * errors per target, latency quantiles over the most recent requests (a ring of the last
 * `window` durations, so p50/p99 follow current traffic), shadow comparisons, differences,
 * noise and drops. Counters are cumulative since start; `snapshot()` is cheap enough to call
 * on every admin request. Beside them, a resettable window per route (the service's answers and
 * the comparisons since the window began) is what rollout gates judge: `window()` reads it,
 * `resetWindow()` starts a new one when the rollout steps.
 */

/** What happened on a route since its window began: the service's answers and the shadow comparisons. */
export interface RouteWindow {
  /** Every request on the route, whichever side answered. */
  readonly requests: number;
  readonly serviceRequests: number;
  /** Service answers that were 5xx or no answer at all. */
  readonly serviceErrors: number;
  readonly serviceErrorRate: number;
  /** 99th percentile of the service's answer times (over the last 4096 in the window). */
  readonly serviceP99Ms: number;
  readonly compared: number;
  /** Comparisons that differed, noise excluded. */
  readonly different: number;
  readonly diffRate: number;
}
export interface RouteSnapshot {
  readonly route: string;
  readonly requests: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly byTarget: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly shadow: { readonly compared: number; readonly different: number; readonly noise: number; readonly dropped: number; readonly skipped: number; readonly diffRate: number };
  readonly fallbacks: number;
}

class Ring {
  private readonly values: Float64Array;
  private n = 0;
  constructor(size: number) {
    this.values = new Float64Array(size);
  }
  push(v: number): void {
    this.values[this.n % this.values.length] = v;
    this.n++;
  }
  quantile(q: number): number {
    const len = Math.min(this.n, this.values.length);
    if (len === 0) return 0;
    const sorted = Array.from(this.values.subarray(0, len)).sort((a, b) => a - b);
    return sorted[Math.min(len - 1, Math.max(0, Math.ceil(q * len) - 1))]!;
  }
}

/** A route's window as it was when a request was decided; counting into it after a reset counts nowhere. */
export class Window {
  requests = 0;
  serviceRequests = 0;
  serviceErrors = 0;
  compared = 0;
  different = 0;
  readonly latency = new Ring(4096);
}

class One {
  window = new Window();
  requests = 0;
  errors = 0;
  fallbacks = 0;
  readonly byTarget = new Map<string, number>();
  readonly latency: Ring;
  compared = 0;
  different = 0;
  noise = 0;
  dropped = 0;
  skipped = 0;
  constructor(window: number) {
    this.latency = new Ring(window);
  }
}

export class RouteStats {
  private readonly routes = new Map<string, One>();
  constructor(private readonly ring = 2048) {}

  private of(route: string): One {
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = new One(this.ring)));
    return r;
  }

  /**
   * The route's current window: the handler takes it when it decides a request and hands it back
   * with the answer and the comparison, so a request decided before a rollout step (and its
   * window reset) never counts in the next step's window.
   */
  currentWindow(route: string): Window {
    return this.of(route).window;
  }

  request(route: string, target: string, status: number, ms: number, window?: Window): void {
    const r = this.of(route);
    r.requests++;
    if (status >= 500 || status === 0) r.errors++;
    r.byTarget.set(target, (r.byTarget.get(target) ?? 0) + 1);
    r.latency.push(ms);
    const w = window ?? r.window;
    w.requests++;
    if (target === 'service') {
      w.serviceRequests++;
      if (status >= 500 || status === 0) w.serviceErrors++;
      w.latency.push(ms);
    }
  }

  fallback(route: string): void {
    this.of(route).fallbacks++;
  }

  shadow(route: string, outcome: 'same' | 'different' | 'noise' | 'dropped' | 'skipped', window?: Window): void {
    const r = this.of(route);
    const w = window ?? r.window;
    if (outcome === 'dropped') r.dropped++;
    else if (outcome === 'skipped') r.skipped++;
    else {
      r.compared++;
      w.compared++;
      if (outcome === 'different') {
        r.different++;
        w.different++;
      }
      if (outcome === 'noise') r.noise++;
    }
  }

  window(route: string): RouteWindow {
    const w = this.of(route).window;
    return {
      requests: w.requests,
      serviceRequests: w.serviceRequests,
      serviceErrors: w.serviceErrors,
      serviceErrorRate: w.serviceRequests ? w.serviceErrors / w.serviceRequests : 0,
      serviceP99Ms: w.latency.quantile(0.99),
      compared: w.compared,
      different: w.different,
      diffRate: w.compared ? w.different / w.compared : 0,
    };
  }

  resetWindow(route: string): void {
    this.of(route).window = new Window();
  }

  snapshot(route: string): RouteSnapshot {
    const r = this.of(route);
    return {
      route,
      requests: r.requests,
      errors: r.errors,
      errorRate: r.requests ? r.errors / r.requests : 0,
      byTarget: Object.fromEntries(r.byTarget),
      p50Ms: r.latency.quantile(0.5),
      p99Ms: r.latency.quantile(0.99),
      shadow: { compared: r.compared, different: r.different, noise: r.noise, dropped: r.dropped, skipped: r.skipped, diffRate: r.compared ? r.different / r.compared : 0 },
      fallbacks: r.fallbacks,
    };
  }

  routesSeen(): string[] {
    return [...this.routes.keys()].sort();
  }
}
