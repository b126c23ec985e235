/**
 * The rollout controller: for each route with a `rollout` policy it steps the canary weight up
 * one step per interval while every gate holds over that interval with enough traffic, rolls
 * the route back to the monolith at once when a gate fails (judged on every tick, not only at
 * the interval's end), and reports a route whose last step held for an interval as migrated —
 * progressive delivery after Flagger and Argo Rollouts, with "the service answers the same"
 * (the shadow diff rate) as a gate of its own.
 *
 * Operators pause, resume, promote (jump to the last step) and abort through the admin API and
 * `ficus routes rollout`; a route changed by hand is paused (or aborted when sent back to the
 * monolith), so the controller never fights an operator. State is saved on every transition
 * and read back at start, so a restarted gateway resumes where it was. Time comes from the
 * injected `now`; `tickMs: 0` leaves ticking to the caller (tests drive the clock).
 */
import type { Logger } from '../../core/index.js';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ChangeLogEntry, GatewayRuntime } from '../runtime.js';
import { describeFailures, judge, type GateReport } from './gates.js';
import { compilePolicy, type RolloutPolicy } from './policy.js';
import type { RolloutEvent, RolloutEventKind, RolloutPhase, RolloutState, RolloutStateStore } from './state.js';

export interface RolloutControllerOptions {
  readonly runtime: GatewayRuntime;
  readonly store: RolloutStateStore;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** How often gates are judged, in ms (default 1000); 0: only when `tick()` is called. */
  readonly tickMs?: number;
  /** Sends a webhook; default: POST JSON with a 5 s timeout. */
  readonly post?: (url: string, body: unknown) => Promise<void>;
}

export type RolloutAction = 'pause' | 'resume' | 'promote' | 'abort';
export const ROLLOUT_ACTIONS: readonly RolloutAction[] = ['pause', 'resume', 'promote', 'abort'];

/** What the admin API, the CLI and the dashboard show of a rollout. */
export interface RolloutView extends RolloutState {
  readonly steps: readonly number[];
  readonly intervalMs: number;
  readonly minRequests: number;
  readonly gates: RolloutPolicy['gates'];
  /** When the current step's interval ends (progressing only). */
  readonly nextStepAt?: string;
  readonly migrated: boolean;
}

const HISTORY = 50;

async function postJson(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5_000) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** The route settings a state asks for; null: leave the route as its config says. */
function wanted(state: RolloutState): { mode: 'canary' | 'monolith'; weight: number } | null {
  switch (state.phase) {
    case 'waiting':
      return null;
    case 'rolled-back':
    case 'aborted':
      return { mode: 'monolith', weight: 0 };
    default:
      return { mode: 'canary', weight: state.weight };
  }
}

export class RolloutController {
  private states = new Map<string, RolloutState>();
  private policies = new Map<string, RolloutPolicy>();
  /** Per route, the file's mode/weight/rollout last seen, so a reload that changes them restarts the rollout. */
  private fileKeys = new Map<string, string>();
  private saving: Promise<void> = Promise.resolve();
  /** No file is written while no route ever had a rollout. */
  private touched = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly runtime: GatewayRuntime;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly post: (url: string, body: unknown) => Promise<void>;

  constructor(private readonly o: RolloutControllerOptions) {
    this.runtime = o.runtime;
    this.log = o.logger;
    this.now = o.now ?? (() => new Date());
    this.post = o.post ?? postJson;
  }

  /** Loads the saved states, applies them to the routes and starts ticking. */
  async start(): Promise<void> {
    const saved = await this.o.store.load();
    this.touched = Object.keys(saved).length > 0;
    this.reconcile(saved, true);
    this.runtime.onChange((e) => this.onRouteChange(e));
    this.runtime.onReload(() => this.reconcile(Object.fromEntries(this.states), false));
    const tickMs = this.o.tickMs ?? 1_000;
    if (tickMs > 0) {
      this.timer = setInterval(() => {
        try {
          this.tick();
        } catch (err) {
          this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'rollout tick failed');
        }
      }, tickMs);
      this.timer.unref();
    }
    this.persist();
    await this.saving;
  }

  /** Stops ticking and waits for the last state to be saved. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.saving;
  }

  /** Resolves once every state change so far is saved. */
  flushed(): Promise<void> {
    return this.saving;
  }

  private reconcile(saved: Readonly<Record<string, RolloutState>>, starting: boolean): void {
    const policies = new Map<string, RolloutPolicy>();
    const next = new Map<string, RolloutState>();
    const fileKeys = new Map<string, string>();
    for (const route of this.runtime.snapshot.config.routes) {
      if (!route.rollout) continue;
      const policy = compilePolicy(route.rollout);
      policies.set(route.id, policy);
      const fileKey = JSON.stringify([route.mode, route.weight, route.rollout.steps]);
      fileKeys.set(route.id, fileKey);
      const prev = saved[route.id];
      const fileChanged = !starting && this.fileKeys.get(route.id) !== fileKey;
      let state: RolloutState;
      if (prev && prev.policy === policy.key && !fileChanged) {
        state = { ...prev, step: Math.min(prev.step, policy.steps.length - 1) };
        if (starting) this.log.info({ route: route.id, phase: state.phase, weight: state.weight }, 'rollout resumed from saved state');
      } else if (route.mode === 'canary') {
        state = this.initial(route.id, policy, 'progressing', 'start', 'config', prev ? 'the rollout policy or the route changed; starting again' : 'rollout started');
      } else {
        state = this.initial(route.id, policy, 'waiting', 'start', 'config', 'waiting for resume (the route is in shadow mode)');
      }
      next.set(route.id, state);
    }
    this.policies = policies;
    this.states = next;
    this.fileKeys = fileKeys;
    for (const state of next.values()) this.apply(state);
    if (!starting) this.persist();
  }

  private initial(route: string, policy: RolloutPolicy, phase: RolloutPhase, kind: RolloutEventKind, by: string, reason: string): RolloutState {
    const at = this.now().toISOString();
    const weight = phase === 'progressing' ? policy.steps[0]! : 0;
    if (phase === 'progressing') this.runtime.stats.resetWindow(route);
    return { route, phase, step: 0, weight, since: at, policy: policy.key, reason, history: [{ at, kind, weight, by, reason }] };
  }

  /** Puts the route's live settings where the state says, if they are not there already. */
  private apply(state: RolloutState): void {
    const want = wanted(state);
    const route = this.runtime.route(state.route);
    if (!want || !route) return;
    const have = this.runtime.settings(route);
    if (have.mode === want.mode && have.weight === want.weight) return;
    this.runtime.change({ route: state.route, mode: want.mode, weight: want.weight, by: 'rollout', ...(state.reason !== undefined && { reason: state.reason }) });
    this.runtime.metrics.rolloutWeight.set({ route: state.route }, want.weight);
  }

  private onRouteChange(e: ChangeLogEntry): void {
    if (e.by === 'rollout' || e.by === 'config') return;
    const state = this.states.get(e.route);
    if (!state || !['progressing', 'paused', 'migrated'].includes(state.phase)) return;
    if (e.to.mode === 'monolith') {
      this.transition(state, { phase: 'aborted', weight: 0 }, 'abort', e.by, `sent back to the monolith by ${e.by}${e.reason ? ` (${e.reason})` : ''}`, false);
    } else if (state.phase !== 'paused') {
      this.transition(state, { phase: 'paused', weight: e.to.weight }, 'pause', e.by, `changed by hand (${e.to.mode} ${e.to.weight} %); resume to continue the rollout`, false);
    }
  }

  /** Judges every progressing rollout once. */
  tick(): void {
    const now = this.now();
    for (const state of [...this.states.values()]) {
      if (state.phase !== 'progressing') continue;
      const policy = this.policies.get(state.route)!;
      const report = judge(this.runtime.stats.window(state.route), policy);
      const withReport: RolloutState = { ...state, last: report };
      this.states.set(state.route, withReport);
      if (report.verdict === 'fail') {
        this.transition(withReport, { phase: 'rolled-back', weight: 0 }, 'rollback', 'rollout', `gate failed at ${state.weight} %: ${describeFailures(report)}`, true, report);
      } else if (report.verdict === 'hold' && now.getTime() - Date.parse(state.since) >= policy.intervalMs) {
        if (state.step >= policy.steps.length - 1) {
          this.transition(withReport, { phase: 'migrated' }, 'migrated', 'rollout', `gates held at ${state.weight} % for ${policy.intervalMs / 1000} s: migrated`, true, report);
        } else {
          const step = state.step + 1;
          const weight = policy.steps[step]!;
          this.transition(withReport, { step, weight, since: now.toISOString() }, 'step', 'rollout', `gates held at ${state.weight} %: stepping to ${weight} %`, true, report);
          this.runtime.stats.resetWindow(state.route);
        }
      }
    }
  }

  /** An operator's action. @throws FicusError GW_ROLLOUT_ACTION */
  act(route: string, action: RolloutAction, by: string, reason?: string): RolloutView {
    const state = this.states.get(route);
    const policy = this.policies.get(route);
    if (!state || !policy) {
      const ids = [...this.states.keys()];
      throw new FicusError(GatewayErrorCode.ROLLOUT_ACTION, `route "${route}" has no rollout; routes with one: ${ids.join(', ') || '(none)'}`, { exitCode: 2 });
    }
    const refuse = (why: string): never => {
      throw new FicusError(GatewayErrorCode.ROLLOUT_ACTION, `cannot ${action} the rollout of "${route}": it is ${state.phase}${why ? `; ${why}` : ''}`, { exitCode: 2 });
    };
    const now = this.now().toISOString();
    const note = (fallback: string): string => reason ?? fallback;
    switch (action) {
      case 'pause':
        if (state.phase !== 'progressing') refuse('only a progressing rollout can be paused');
        this.transition(state, { phase: 'paused' }, 'pause', by, note(`paused by ${by}`), true);
        break;
      case 'resume':
        if (state.phase === 'progressing' || state.phase === 'migrated') refuse('');
        this.runtime.stats.resetWindow(route);
        if (state.phase === 'paused') {
          this.transition(state, { phase: 'progressing', weight: policy.steps[state.step]!, since: now }, 'resume', by, note(`resumed by ${by}`), true);
        } else {
          this.transition(state, { phase: 'progressing', step: 0, weight: policy.steps[0]!, since: now }, 'resume', by, note(`started again by ${by}`), true);
        }
        break;
      case 'promote': {
        if (state.phase === 'migrated') refuse('');
        const last = policy.steps.length - 1;
        this.runtime.stats.resetWindow(route);
        this.transition(state, { phase: 'progressing', step: last, weight: policy.steps[last]!, since: now }, 'promote', by, note(`promoted to ${policy.steps[last]} % by ${by}; migrated once the gates hold for an interval`), true);
        break;
      }
      case 'abort':
        if (state.phase === 'aborted') refuse('');
        this.transition(state, { phase: 'aborted', weight: 0 }, 'abort', by, note(`aborted by ${by}`), true);
        break;
    }
    return this.view(route)!;
  }

  private transition(
    state: RolloutState,
    patch: Partial<Pick<RolloutState, 'phase' | 'step' | 'weight' | 'since'>>,
    kind: RolloutEventKind,
    by: string,
    reason: string,
    applyToRoute: boolean,
    report?: GateReport,
  ): void {
    const at = this.now().toISOString();
    const weight = patch.weight ?? state.weight;
    const event: RolloutEvent = { at, kind, weight, by, reason };
    const next: RolloutState = { ...state, ...patch, reason, ...(report && { last: report }), history: [...state.history, event].slice(-HISTORY) };
    this.states.set(state.route, next);
    if (applyToRoute) this.apply(next);
    this.runtime.metrics.rolloutEvents.inc({ route: state.route, kind });
    this.runtime.metrics.rolloutWeight.set({ route: state.route }, wanted(next)?.weight ?? 0);
    const level = kind === 'rollback' ? 'warn' : 'info';
    this.log[level]({ route: state.route, kind, phase: next.phase, from: state.weight, to: weight, by, reason }, `rollout ${kind}`);
    this.persist();
    const webhook = this.policies.get(state.route)?.webhook;
    if (webhook) {
      const body = { route: state.route, kind, phase: next.phase, from: state.weight, to: weight, at, by, reason, ...(report && { gates: report }) };
      this.post(webhook, body).catch((err: unknown) => {
        this.runtime.metrics.rolloutWebhookFailures.inc({ route: state.route });
        this.log.warn({ route: state.route, webhook, err: err instanceof Error ? err.message : String(err) }, 'rollout webhook failed');
      });
    }
  }

  private persist(): void {
    if (this.states.size > 0) this.touched = true;
    if (!this.touched) return;
    const snapshot = Object.fromEntries(this.states);
    this.saving = this.saving
      .then(() => this.o.store.save(snapshot))
      .catch((err: unknown) => this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'cannot save the rollout state'));
  }

  view(route: string): RolloutView | undefined {
    const state = this.states.get(route);
    const policy = this.policies.get(route);
    if (!state || !policy) return undefined;
    return {
      ...state,
      steps: policy.steps,
      intervalMs: policy.intervalMs,
      minRequests: policy.minRequests,
      gates: policy.gates,
      ...(state.phase === 'progressing' && { nextStepAt: new Date(Date.parse(state.since) + policy.intervalMs).toISOString() }),
      migrated: state.phase === 'migrated',
    };
  }

  views(): RolloutView[] {
    return [...this.states.keys()].map((id) => this.view(id)!);
  }
}
