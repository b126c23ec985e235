/**
 * Builds the diff report's view model (model.ts) from records and tallies: records deduplicated
 * by id, one timeline per route and for all routes over a common span and bucket width, and per
 * route the paths that differ most — by records that are not noise, then by all records; array
 * indices generalised — with their noise share and one example record: the earliest that is not
 * noise, else the earliest.
 *
 * @example
 *   const view = buildDiffView({ source: './ficus-diffs', records, tallies });
 *   view.routes[0].totals.rate; // different / compared over all routes, or null without tallies
 */
import type { DiffRecord, Difference, DifferenceKind } from '../../gateway/index.js';
import { ALL_ROUTES, type DiffReportInput, type DiffView, type PathView, type RouteView } from './model.js';
import { generalisePath } from './paths.js';
import { bucketWidth, TimelineBuilder } from './timeline.js';

const DEFAULT_PATHS_PER_ROUTE = 20;

interface PathAcc {
  readonly route: string;
  readonly path: string;
  readonly kinds: Set<DifferenceKind>;
  records: number;
  noise: number;
  firstAt: string;
  lastAt: string;
  example: { record: DiffRecord; difference: Difference };
}

function dedupe(records: readonly DiffRecord[]): DiffRecord[] {
  const seen = new Set<string>();
  const out: DiffRecord[] = [];
  for (const r of records) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function span(input: DiffReportInput, records: readonly DiffRecord[]): { from: number; to: number } | null {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  const see = (ms: number): void => {
    if (ms < from) from = ms;
    if (ms > to) to = ms;
  };
  for (const t of input.tallies ?? []) see(Date.parse(t.bucket));
  for (const r of records) see(Date.parse(r.at));
  return Number.isFinite(from) ? { from, to } : null;
}

function collectPaths(records: readonly DiffRecord[]): Map<string, PathAcc> {
  const paths = new Map<string, PathAcc>();
  for (const r of records) {
    const seen = new Set<string>();
    for (const d of r.differences) {
      const path = generalisePath(d.path);
      const key = `${r.route}\u0000${path}`;
      let p = paths.get(key);
      if (p === undefined) {
        paths.set(
          key,
          (p = { route: r.route, path, kinds: new Set(), records: 0, noise: 0, firstAt: r.at, lastAt: r.at, example: { record: r, difference: d } }),
        );
      }
      p.kinds.add(d.kind);
      if (seen.has(key)) continue;
      seen.add(key);
      p.records += 1;
      if (r.noise) p.noise += 1;
      p.lastAt = r.at;
      if (p.example.record.noise && !r.noise) p.example = { record: r, difference: d };
    }
  }
  return paths;
}

function pathView(p: PathAcc): PathView {
  const { record: r, difference } = p.example;
  return {
    route: p.route,
    path: p.path,
    kinds: [...p.kinds].sort(),
    records: p.records,
    noise: p.noise,
    noiseShare: p.records > 0 ? p.noise / p.records : 0,
    firstAt: p.firstAt,
    lastAt: p.lastAt,
    example: { id: r.id, at: r.at, request: r.request, primary: r.primary, shadow: r.shadow, difference, noise: r.noise },
  };
}

/** Most records that are not noise first, then most records, then by route and path. */
const byRecords = (a: PathView, b: PathView): number =>
  b.records - b.noise - (a.records - a.noise) ||
  b.records - a.records ||
  (a.route < b.route ? -1 : a.route > b.route ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function buildDiffView(input: DiffReportInput): DiffView {
  const records = dedupe(input.records);
  const tallies = input.tallies ?? [];
  const s = span(input, records);
  const width = s === null ? 60_000 : bucketWidth(s.from, s.to);
  const from = s === null ? 0 : Math.floor(s.from / width) * width;
  const to = s === null ? -1 : Math.floor(s.to / width) * width;

  const all = new TimelineBuilder(width);
  const perRoute = new Map<string, TimelineBuilder>();
  const of = (route: string): TimelineBuilder => {
    let b = perRoute.get(route);
    if (b === undefined) perRoute.set(route, (b = new TimelineBuilder(width)));
    return b;
  };
  for (const t of tallies) {
    all.addTally(t);
    of(t.route).addTally(t);
  }
  for (const r of records) {
    all.addRecord(r);
    of(r.route).addRecord(r);
  }
  const route = (name: string, b: TimelineBuilder): RouteView => ({ route: name, tallied: b.tallied, totals: b.totals(), timeline: b.timeline(from, to) });
  const routes = [...perRoute].map(([name, b]) => route(name, b));
  routes.sort((a, b) => b.totals.different - a.totals.different || b.totals.records - a.totals.records || (a.route < b.route ? -1 : 1));

  const limit = input.pathsPerRoute ?? DEFAULT_PATHS_PER_ROUTE;
  const byRoute = new Map<string, PathView[]>();
  for (const p of collectPaths(records).values()) {
    const list = byRoute.get(p.route) ?? [];
    list.push(pathView(p));
    byRoute.set(p.route, list);
  }
  let left = 0;
  const paths: PathView[] = [];
  for (const list of byRoute.values()) {
    list.sort(byRecords);
    paths.push(...list.slice(0, limit));
    left += Math.max(0, list.length - limit);
  }
  paths.sort(byRecords);

  return {
    source: input.source,
    ...(input.generatedAt !== undefined && { generatedAt: input.generatedAt }),
    tallied: all.tallied,
    bucketMs: width,
    span: s === null ? null : { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
    routes: [route(ALL_ROUTES, all), ...routes],
    paths,
    pathsLeftOut: left,
  };
}
