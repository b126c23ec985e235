/**
 * DiffRecords and tallies built for the diff report's unit tests: a record per call, with the
 * paths that differ, the route, the time and the noise flag chosen by the test.
 */
import type { ComparisonTally, DiffRecord, DifferenceKind } from '../../gateway/index.js';

export const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);
export const MIN = 60_000;

export interface RecordSpec {
  readonly route?: string;
  /** Milliseconds after T0. */
  readonly at?: number;
  readonly paths?: readonly (string | { readonly path: string; readonly kind: DifferenceKind })[];
  readonly noise?: boolean;
  readonly primaryBody?: string | null;
  readonly shadowBody?: string | null;
}

let seq = 0;

export function record(spec: RecordSpec = {}): DiffRecord {
  seq += 1;
  const at = new Date(T0 + (spec.at ?? 0));
  const route = spec.route ?? 'products';
  return {
    id: `${at.getTime().toString(16).padStart(12, '0')}${seq.toString(16).padStart(6, '0')}`,
    at: at.toISOString(),
    route,
    request: { method: 'GET', url: `/${route}?n=${seq}`, headers: { accept: 'application/json', authorization: '[redacted]' }, body: null },
    primary: {
      target: 'monolith',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: spec.primaryBody === undefined ? JSON.stringify({ items: [{ id: 1, price: 10 }] }) : spec.primaryBody,
      ms: 12,
    },
    shadow: {
      target: 'service',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: spec.shadowBody === undefined ? JSON.stringify({ items: [{ id: 1, price: '10' }] }) : spec.shadowBody,
      ms: 9,
    },
    differences: (spec.paths ?? ['$.items[0].price']).map((p) =>
      typeof p === 'string' ? { path: p, kind: 'changed' as const, primary: 10, shadow: '10' } : { path: p.path, kind: p.kind, primary: 1, shadow: 2 },
    ),
    noise: spec.noise ?? false,
  };
}

export function tally(route: string, minute: number, compared: number, different = 0, noise = 0): ComparisonTally {
  return { route, bucket: new Date(T0 + minute * MIN).toISOString(), compared, different, noise };
}
