/**
 * Reading a running gateway's /metrics (prom-client text) from a benchmark: counters summed by one
 * label, and the difference between two scrapes — how many comparisons a run made and how many
 * shadow calls it dropped, so a shadow figure says how much shadowing it paid for.
 */
import { request } from 'undici';

/** The admin API's /metrics as text. */
export async function metricsText(admin: number, token: string): Promise<string> {
  const res = await request(`http://127.0.0.1:${admin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return res.body.text();
}

/** A counter's samples summed per value of `label` (other labels summed over). */
export function byLabel(text: string, metric: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const key = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
    out[key] = (out[key] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

/** What a counter gained per label value between two scrapes. */
export function gained(before: string, after: string, metric: string, label: string): Record<string, number> {
  const a = byLabel(after, metric, label);
  const b = byLabel(before, metric, label);
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));
}

export const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
