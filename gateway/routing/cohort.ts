/**
 * Canary splitting. A request's *cohort key* (a header, cookie or query value, or the client
 * address) is hashed with the route id into one of 10,000 buckets; the request goes to the
 * service when its bucket is below weight × 100. The hash is FNV-1a (Fowler, Noll, Vo) with
 * MurmurHash3's 32-bit finaliser for avalanche, so the same key gets the same answer on
 * every gateway instance and across restarts, and raising the weight only moves monolith
 * buckets to the service, never back (Flagger / Istio's sticky canary). Without a key the
 * split is random per request, by the same weight.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CohortConfig } from '../config/schema.js';

export const BUCKETS = 10_000;

export function bucketOf(routeId: string, key: string): number {
  let h = 0x811c9dc5;
  const s = `${routeId}\u0000${key}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % BUCKETS;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function queryValue(query: string, name: string): string | undefined {
  if (query.length < 2) return undefined;
  return new URLSearchParams(query.slice(1)).get(name) ?? undefined;
}

/** The request's cohort key, or undefined when the configured source is absent. */
export function cohortKey(cohort: CohortConfig | undefined, headers: IncomingHttpHeaders, query: string, ip: string | undefined): string | undefined {
  if (!cohort) return undefined;
  if (cohort.header) {
    const v = headers[cohort.header.toLowerCase()];
    const s = Array.isArray(v) ? v[0] : v;
    if (s) return s;
  }
  if (cohort.cookie) {
    const v = cookieValue(headers.cookie, cohort.cookie);
    if (v) return v;
  }
  if (cohort.query) {
    const v = queryValue(query, cohort.query);
    if (v) return v;
  }
  if (cohort.ip && ip) return ip;
  return undefined;
}

/** True when this request belongs to the canary share. `random` is used only without a key. */
export function inCanary(routeId: string, weight: number, key: string | undefined, random: () => number): boolean {
  if (weight <= 0) return false;
  if (weight >= 100) return true;
  const bucket = key === undefined ? Math.floor(random() * BUCKETS) : bucketOf(routeId, key);
  return bucket < Math.round(weight * 100);
}
