/**
 * A circuit breaker per upstream (Nygard, "Release It!", 2nd ed., ch. 5): after `threshold`
 * consecutive failures (connection errors, timeouts, 5xx) it opens for `cooldownMs`, during
 * which requests are not sent; then one probe is let through (half-open) and its outcome
 * closes or re-opens the circuit. The clock is injected for tests.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  readonly threshold?: number;
  readonly cooldownMs?: number;
  readonly now?: () => number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private opened = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  /** Times the circuit opened. */
  trips = 0;

  constructor(options: BreakerOptions = {}) {
    this.threshold = options.threshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /** Whether a request may go to the upstream now (claims the probe when half-open). */
  allow(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.probing) return false;
    this.probing = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.opened = false;
    this.probing = false;
  }

  failure(): void {
    this.probing = false;
    this.failures++;
    if (this.opened || this.failures >= this.threshold) {
      if (!this.opened) this.trips++;
      this.opened = true;
      this.openedAt = this.now();
    }
  }
}
