/**
 * Rollout state per route, and the RolloutStateStore port that keeps it across restarts. The
 * file store writes the whole map to a temporary file and renames it into place (atomic on one
 * file system), so a crash leaves the previous state or the new one, never half of either.
 *
 * Phases:
 *   waiting      the route has a rollout but is not in canary mode (shadow): `resume` starts it;
 *   progressing  at `steps[step]`, judged every tick;
 *   paused       weight kept, not judged (an operator paused it or changed the route by hand);
 *   rolled-back  a gate failed: the route went back to the monolith;
 *   aborted      an operator aborted it: back to the monolith;
 *   migrated     the last step held for a whole interval: the route is reported as migrated.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { GateReport } from './gates.js';

export const PHASES = ['waiting', 'progressing', 'paused', 'rolled-back', 'aborted', 'migrated'] as const;
export type RolloutPhase = (typeof PHASES)[number];

export type RolloutEventKind = 'start' | 'step' | 'rollback' | 'migrated' | 'pause' | 'resume' | 'promote' | 'abort';

export interface RolloutEvent {
  readonly at: string;
  readonly kind: RolloutEventKind;
  readonly weight: number;
  readonly by: string;
  readonly reason?: string;
}

export interface RolloutState {
  readonly route: string;
  readonly phase: RolloutPhase;
  /** Index into the policy's steps. */
  readonly step: number;
  readonly weight: number;
  /** When the current step (and its window) began, ISO-8601. */
  readonly since: string;
  /** The policy's steps this state was made under (RolloutPolicy.key). */
  readonly policy: string;
  readonly reason?: string;
  /** The last judgement of the gates. */
  readonly last?: GateReport;
  /** Most recent events, oldest first (at most 50). */
  readonly history: readonly RolloutEvent[];
}

export interface RolloutStateStore {
  load(): Promise<Record<string, RolloutState>>;
  save(states: Readonly<Record<string, RolloutState>>): Promise<void>;
}

export function createFileStateStore(file: string): RolloutStateStore {
  let seq = 0;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw new FicusError(GatewayErrorCode.ROLLOUT_STATE, `rollouts.state: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err, exitCode: 2 });
      }
      try {
        const json = JSON.parse(text) as { routes?: Record<string, RolloutState> };
        return json.routes ?? {};
      } catch (err) {
        throw new FicusError(GatewayErrorCode.ROLLOUT_STATE, `rollouts.state: ${file} is not a ficus rollout state file (${(err as Error).message}); move it away to start the rollouts afresh`, { cause: err, exitCode: 2 });
      }
    },
    async save(states) {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${++seq}.tmp`;
      await writeFile(tmp, `${JSON.stringify({ version: 1, routes: states }, null, 2)}\n`);
      await rename(tmp, file);
    },
  };
}

/** A store that keeps nothing (tests, or a gateway built without a state file). */
export function createMemoryStateStore(initial: Record<string, RolloutState> = {}): RolloutStateStore & { readonly saved: Record<string, RolloutState> } {
  const box = { saved: structuredClone(initial) };
  return {
    get saved() {
      return box.saved;
    },
    async load() {
      return structuredClone(box.saved);
    },
    async save(states) {
      box.saved = structuredClone(states) as Record<string, RolloutState>;
    },
  };
}
