/**
 * What both verify renderers show, computed once from a VerifyResult: per table a one-line
 * summary, keys as `col=value` text, values clipped for display, and how many rows of each
 * kind are listed (the JSON keeps them all).
 */
import type { KeyValues, TableVerifyResult, VerifyResult } from '../../cdc/index.js';

/** Rows listed per kind and table in a report. */
export const LISTED = 200;
const CLIP = 160;

export function keyText(k: KeyValues): string {
  return Object.entries(k)
    .map(([c, v]) => `${c}=${v}`)
    .join(', ');
}

export function clip(v: string | null): string {
  if (v === null) return 'NULL';
  return v.length > CLIP ? `${v.slice(0, CLIP)}… (${v.length} chars)` : v;
}

export function verdict(r: VerifyResult): string {
  if (r.equal) return 'equal';
  const counts = r.tables.reduce(
    (s, t) => ({ different: s.different + (t.status === 'different' ? 1 : 0), other: s.other + (t.status === 'refused' || t.status === 'error' ? 1 : 0) }),
    { different: 0, other: 0 },
  );
  const parts = [counts.different ? `${counts.different} ${counts.different === 1 ? 'table differs' : 'tables differ'}` : '', counts.other ? `${counts.other} not compared` : ''];
  return parts.filter(Boolean).join(', ');
}

/** The page's badge: equal, different (some table differs), or refused (some table could not be compared). */
export function overall(r: VerifyResult): 'equal' | 'different' | 'refused' {
  if (r.equal) return 'equal';
  return r.tables.some((t) => t.status === 'different') ? 'different' : 'refused';
}

export function counts(t: TableVerifyResult): { missing: number; extra: number; different: number } {
  return { missing: t.mismatches.missing.length, extra: t.mismatches.extra.length, different: t.mismatches.different.length };
}

export function recheckText(t: TableVerifyResult): string {
  if (t.recheck.rounds === 0) return 'no recheck';
  return `${t.recheck.rounds} recheck round${t.recheck.rounds === 1 ? '' : 's'} after ${t.recheck.afterMs} ms; ${t.recheck.resolved} row${t.recheck.resolved === 1 ? '' : 's'} agreed by then`;
}

export function repairText(t: TableVerifyResult): string | undefined {
  if (!t.repair) return undefined;
  return `repair: ${t.repair.upserted} source rows re-applied, ${t.repair.deleted} extra rows deleted, ${t.repair.deadLettered} refused`;
}
