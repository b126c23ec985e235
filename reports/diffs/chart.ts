/**
 * The timeline chart as inline SVG, drawn in Node so the report needs no chart library and
 * reads without JavaScript: one column per bucket, stacked — differing (red) under noise only
 * (amber). With tallies the columns are shares of the comparisons made (the diff rate);
 * without, counts of recorded differences. A bucket of a tallied route with records but no
 * tally is marked grey. Every column has a `<title>` (the browser's tooltip) and `data-*`
 * values the client's readout shows on hover.
 */
import { escapeHtml } from '../decomposition/html.js';
import type { BucketView, RouteView } from './model.js';

const W = 880;
const H = 210;
const M = { left: 52, right: 12, top: 14, bottom: 30 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;

const RATE_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1];

/** The smallest 1-2-5 step at or above `v` (at least 1). */
function niceCount(v: number): number {
  if (v <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].map((k) => k * p).find((x) => x >= v) as number | undefined) ?? 10 * p;
}

/** A share as a percentage with the digits it needs: `0 %`, `0.25 %`, `2.5 %`, `40 %`, `<0.01 %`; `—` for none. */
export function percent(v: number | null): string {
  if (v === null) return '—';
  const p = v * 100;
  if (p > 0 && p < 0.005) return '<0.01 %';
  return `${Number(p >= 1 ? p.toFixed(1) : p.toFixed(2))} %`;
}

/** A bucket width: `5 min`, `1 h`. */
export function bucketText(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms / 60_000} min`;
}

/** Bucket start as UTC `HH:MM`, or `MM-DD HH:MM` when the timeline spans more than a day. */
export function timeLabel(iso: string, long: boolean): string {
  return long ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

function describe(b: BucketView, tallied: boolean, long: boolean): string {
  const when = `${timeLabel(b.start, long)} UTC`;
  if (!tallied) return `${when}: ${b.different} different, ${b.noise} noise only (recorded)`;
  if (b.compared === null) return `${when}: ${b.records} recorded, no tally`;
  return `${when}: ${b.different} of ${b.compared} differed (${percent(b.rate)}), ${b.noise} noise only`;
}

export function timelineSvg(view: RouteView, options: { readonly hidden?: boolean } = {}): string {
  const buckets = view.timeline;
  const n = Math.max(1, buckets.length);
  const long = buckets.length > 0 && (buckets.at(-1) as BucketView).start.slice(0, 10) !== (buckets[0] as BucketView).start.slice(0, 10);
  const tallied = view.tallied;
  const share = (x: number, b: BucketView): number => (tallied ? (b.compared ? x / b.compared : 0) : x);
  const peak = Math.max(0, ...buckets.map((b) => share(b.different + b.noise, b)));
  const max = tallied ? (RATE_STEPS.find((s) => s >= peak) ?? 1) : niceCount(peak);
  const y = (v: number): number => M.top + PLOT_H - (v / max) * PLOT_H;
  const bw = PLOT_W / n;
  const label = (v: number): string => (tallied ? percent(v) : String(Math.round(v * 100) / 100));
  const what = tallied ? 'share of comparisons that differed' : 'recorded differences (no tallies: counts, not rates)';
  const h: string[] = [];
  h.push(
    `<svg class="chart" data-route="${escapeHtml(view.route)}" data-kind="${tallied ? 'rate' : 'count'}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(`${what}, ${view.route === '*' ? 'all routes' : `route ${view.route}`}`)}"${options.hidden ? ' hidden' : ''}>`,
  );
  for (const v of [0, max / 2, max]) {
    h.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`);
    h.push(`<text class="axis" x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(label(v))}</text>`);
  }
  buckets.forEach((b, i) => {
    const x = M.left + i * bw;
    const w = Math.max(1, bw - (bw > 4 ? 1.5 : 0.5));
    const d = share(b.different, b);
    const z = share(b.noise, b);
    const attrs = `data-bucket="${i}" data-start="${b.start}" data-compared="${b.compared ?? ''}" data-different="${b.different}" data-noise="${b.noise}"`;
    h.push(`<g class="col" ${attrs}><title>${escapeHtml(describe(b, tallied, long))}</title>`);
    h.push(`<rect class="hit" x="${x.toFixed(1)}" y="${M.top}" width="${bw.toFixed(1)}" height="${PLOT_H}"/>`);
    if (tallied && b.compared === null)
      h.push(`<rect class="bar gap" x="${x.toFixed(1)}" y="${(M.top + PLOT_H - 6).toFixed(1)}" width="${w.toFixed(1)}" height="6"/>`);
    if (d > 0)
      h.push(`<rect class="bar diff" x="${x.toFixed(1)}" y="${y(d).toFixed(1)}" width="${w.toFixed(1)}" height="${(M.top + PLOT_H - y(d)).toFixed(1)}"/>`);
    if (z > 0)
      h.push(`<rect class="bar noise" x="${x.toFixed(1)}" y="${y(d + z).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(d) - y(d + z)).toFixed(1)}"/>`);
    h.push('</g>');
  });
  const ticks = buckets.length <= 1 ? [0] : [0, Math.floor((buckets.length - 1) / 2), buckets.length - 1];
  for (const i of [...new Set(ticks)]) {
    const b = buckets[i];
    if (b === undefined) continue;
    const x = M.left + i * bw + bw / 2;
    const anchor = i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle';
    h.push(
      `<text class="axis" x="${(anchor === 'start' ? M.left : anchor === 'end' ? W - M.right : x).toFixed(1)}" y="${H - 10}" text-anchor="${anchor}">${escapeHtml(timeLabel(b.start, long))}</text>`,
    );
  }
  h.push(`<line class="base" x1="${M.left}" x2="${W - M.right}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H}"/></svg>`);
  return h.join('');
}
