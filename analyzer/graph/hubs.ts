/**
 * Hub detection: files that would glue every candidate context together and belong to none —
 * the *omnipresent modules* of software clustering (Müller, Orgun, Tilley & Uhl 1993, "A
 * reverse engineering approach to subsystem structure identification", JSME 5(4); Mancoridis
 * et al. 1999, Bunch, ICSM; Wen & Tzerpos 2005, "Software clustering based on omnipresent
 * object detection", IWPC). They become the `shared-kernel` group and leave the graph before
 * clustering.
 *
 * "Used by many" is not enough (a domain's central service is used by many files of its own
 * domain), so each candidate's users are placed in *provisional contexts* — one seeded
 * Louvain run on the combined layers without any candidate — and the *spread* is the
 * effective number of contexts among its users, exp(Shannon entropy) (Hill 1973, "Diversity
 * and evenness", Ecology 54(2)). Rules, each requiring ≥ `minFanIn` distinct users:
 * - fan-in: used by ≥ `minShare` of all files, spread ≥ `minSpread`;
 * - infrastructure-name: the name has no domain stem and says logger/config/db/errors/utils…,
 *   spread ≥ 2 or users in ≥ 2 provisional contexts, or more than half of its users are hubs themselves (config used by db, logger);
 * - base-type: most users extend/implement it, spread ≥ `minSpread` (BaseRepository);
 * - utility: a leaf (uses no other file but other candidates, like a logger) touching no table and declaring no route, whose name
 *   shares no concept word with another file (lib/money.ts, not models/Order.ts), spread ≥ `minSpread` − 0.5
 *   (a leaf needs less evidence: it cannot be a domain's centre);
 * - composition-root: uses ≥ 5 files across ≥ `minSpread` contexts, is used by at most one
 *   (non-hub) file, and either uses ≥ 10 % of all files or is named like a root (app, server,
 *   main, index, container, bootstrap, routes).
 * Conservative by construction: a file must be both widely used and used across contexts.
 */
import type { EdgeLayer, FileFacts, SignalName } from '../model.js';
import { runLouvain } from '../cluster/louvain.js';
import { combineLayers } from './combine.js';
import { baseName, splitWords, stemWords, singular } from './names.js';
import { DEFAULT_SIGNAL_WEIGHTS } from './weights.js';

export type HubReason = 'fan-in' | 'infrastructure-name' | 'base-type' | 'composition-root' | 'utility' | 'kernel-internal';

export interface Hub {
  readonly path: string;
  readonly reason: HubReason;
  /** Human-readable evidence, e.g. "used by 34% of files across 6.2 contexts". */
  readonly detail: string;
  readonly fanIn: number;
  readonly fanInShare: number;
  /** Effective number of provisional contexts among its users (or, for roots, used files). */
  readonly spread: number;
}

export interface HubOptions {
  minFanIn?: number;
  minShare?: number;
  minSpread?: number;
  /** Include composition roots (default true). */
  compositionRoots?: boolean;
  weights?: Partial<Record<SignalName, number>>;
  seed?: number;
}

const INFRA_WORDS = new Set([
  'logger', 'log', 'logging', 'config', 'configuration', 'setting', 'env', 'environment', 'db', 'database',
  'connection', 'pool', 'knex', 'prisma', 'sequelize', 'typeorm', 'mongoose', 'datasource', 'error',
  'exception', 'util', 'utility', 'helper', 'constant', 'type', 'common', 'shared', 'http', 'cache', 'redis',
  'metric', 'telemetry', 'tracing', 'trace', 'i18n', 'date', 'time', 'string', 'validation', 'response',
]);
const ROOT_WORDS = new Set(['app', 'server', 'main', 'index', 'container', 'bootstrap', 'route', 'router', 'api', 'module', 'init', 'setup', 'startup', 'seed', 'seeder', 'cli', 'worker']);

function effectiveCount(labels: readonly number[]): number {
  if (labels.length === 0) return 0;
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / labels.length) * Math.log(c / labels.length);
  return Math.exp(h);
}

function nameWords(path: string): string[] {
  return splitWords(baseName(path)).map(singular);
}

/** Detect shared-kernel hubs and composition roots (see the module header). */
export function detectHubs(files: readonly FileFacts[], layers: readonly EdgeLayer[], options: HubOptions = {}): Hub[] {
  const minFanIn = options.minFanIn ?? 3;
  const minShare = options.minShare ?? 0.15;
  const minSpread = options.minSpread ?? 3;
  const n = files.length;
  const known = new Set(files.map((f) => f.path));
  const users = new Map<string, Set<string>>();
  const inheritors = new Map<string, Set<string>>();
  const uses = new Map<string, Set<string>>();
  for (const f of files) {
    for (const r of f.references) {
      if (r.to === f.path || !known.has(r.to)) continue;
      (users.get(r.to) ?? users.set(r.to, new Set()).get(r.to)!).add(f.path);
      (uses.get(f.path) ?? uses.set(f.path, new Set()).get(f.path)!).add(r.to);
      if (r.kind === 'extends' || r.kind === 'implements') {
        (inheritors.get(r.to) ?? inheritors.set(r.to, new Set()).get(r.to)!).add(f.path);
      }
    }
  }
  const infraName = (p: string): boolean => stemWords(p).length === 0 && nameWords(p).some((w) => INFRA_WORDS.has(w));
  const rootName = (p: string): boolean => stemWords(p).length === 0 && nameWords(p).some((w) => ROOT_WORDS.has(w));
  const nameless = (p: string): boolean => stemWords(p).length === 0;
  const fanIn = (p: string): number => users.get(p)?.size ?? 0;
  const fanOut = (p: string): number => uses.get(p)?.size ?? 0;

  // Utilities: leaves (no uses of other files) that touch no table, declare no route, and whose
  // name shares no concept word with any other file (lib/money.ts, not models/Order.ts).
  const stemCount = new Map<string, number>();
  for (const f of files) for (const w of new Set(stemWords(f.path))) stemCount.set(w, (stemCount.get(w) ?? 0) + 1);
  const byPath = new Map(files.map((f) => [f.path, f]));
  // `leafOf` is filled once the other candidates are known: a utility may use those (a logger).
  let leafOf: (p: string) => boolean = (p) => fanOut(p) === 0;
  const isUtility = (p: string): boolean => {
    const f = byPath.get(p)!;
    return leafOf(p) && f.tables.length === 0 && f.endpoints.length === 0 && stemWords(p).every((w) => stemCount.get(w) === 1);
  };
  const candidates = new Set<string>();
  for (const f of files) {
    const p = f.path;
    const k = fanIn(p);
    const inheritShare = k > 0 ? (inheritors.get(p)?.size ?? 0) / k : 0;
    if (k >= minFanIn && (k / n >= minShare || infraName(p) || inheritShare >= 0.5 || isUtility(p))) candidates.add(p);
    if (k >= 2 && infraName(p)) candidates.add(p);
    if ((options.compositionRoots ?? true) && fanOut(p) >= 5 && k <= 1) candidates.add(p);
    if (k >= 2 && nameless(p)) candidates.add(p);
  }
  const others = new Set(candidates);
  leafOf = (p) => [...(uses.get(p) ?? [])].every((u) => others.has(u));
  for (const f of files) if (fanIn(f.path) >= minFanIn && isUtility(f.path)) candidates.add(f.path);
  if (candidates.size === 0) return [];

  const graph = combineLayers(layers, { ...DEFAULT_SIGNAL_WEIGHTS, ...options.weights }, candidates, known);
  const { communities } = runLouvain(graph, { seed: options.seed ?? 0 });
  const spreadOf = (paths: Iterable<string>): number =>
    effectiveCount([...paths].flatMap((p) => (communities.has(p) ? [communities.get(p)!] : [])));

  const distinctOf = (paths: Iterable<string>): number => new Set([...paths].flatMap((p) => (communities.has(p) ? [communities.get(p)!] : []))).size;

  const hubs = new Map<string, Hub>();
  const add = (path: string, reason: HubReason, spread: number, detail: string): void => {
    hubs.set(path, { path, reason, detail, fanIn: fanIn(path), fanInShare: n > 0 ? fanIn(path) / n : 0, spread });
  };
  const pct = (x: number): string => `${Math.round(x * 100)}%`;
  for (const p of [...candidates].sort()) {
    const k = fanIn(p);
    const spread = spreadOf(users.get(p) ?? []);
    const inherit = inheritors.get(p)?.size ?? 0;
    if (k >= minFanIn && k / n >= minShare && spread >= minSpread) {
      add(p, 'fan-in', spread, `used by ${k} files (${pct(k / n)}) across ${spread.toFixed(1)} contexts`);
    } else if (k >= 2 && infraName(p) && (spread >= 2 || distinctOf(users.get(p) ?? []) >= 2)) {
      add(p, 'infrastructure-name', spread, `infrastructure name, used by ${k} files across ${spread.toFixed(1)} contexts`);
    } else if (k >= minFanIn && inherit / k >= 0.5 && spread >= minSpread) {
      add(p, 'base-type', spread, `extended or implemented by ${inherit} files across ${spread.toFixed(1)} contexts`);
    } else if (k >= minFanIn && spread >= minSpread - 0.5 && isUtility(p)) {
      add(p, 'utility', spread, `leaf utility with a name no other file shares, used by ${k} files across ${spread.toFixed(1)} contexts`);
    }
  }
  if (options.compositionRoots ?? true) {
    for (const p of [...candidates].sort()) {
      if (hubs.has(p) || fanOut(p) < 5) continue;
      const nonHubUsers = [...(users.get(p) ?? [])].filter((u) => !hubs.has(u) && !candidates.has(u)).length;
      const spread = spreadOf(uses.get(p)!);
      if (nonHubUsers <= 1 && spread >= minSpread && (fanOut(p) / n >= 0.1 || rootName(p))) {
        add(p, 'composition-root', spread, `composition root: uses ${fanOut(p)} files across ${spread.toFixed(1)} contexts`);
      }
    }
  }
  // To a fixed point, once the rules above have run:
  // - entry points that wire the kernel itself (server.ts starting app, config, db, logger): named
  //   like a root, used by at most one file outside the kernel, at least half of what they use is kernel;
  // - infrastructure used mostly by other hubs (config read by db and logger);
  // - files without a domain name used only by hubs (db/init.ts called by app and server);
  // - kernel-internal files: used only by hubs, using only hubs and touching no table (an event
  //   bus the app context creates), whatever their name — no static tie reaches a domain.
  const roots = options.compositionRoots ?? true;
  const allPaths = files.map((f) => f.path).sort();
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of allPaths) {
      if (hubs.has(p)) continue;
      const k = fanIn(p);
      const byHubs = [...(users.get(p) ?? [])].filter((u) => hubs.has(u)).length;
      const usesHubs = [...(uses.get(p) ?? [])].filter((u) => hubs.has(u)).length;
      if (k >= 1 && byHubs === k && usesHubs === fanOut(p) && byPath.get(p)!.tables.length === 0) {
        add(p, 'kernel-internal', 0, `used only by shared-kernel files (${k}) and uses nothing else`);
        changed = true;
        continue;
      }
      if (roots && rootName(p) && fanOut(p) >= 3 && k - byHubs <= 1) {
        const wired = [...uses.get(p)!].filter((u) => hubs.has(u)).length;
        if (wired / fanOut(p) >= 0.5) {
          add(p, 'composition-root', spreadOf(uses.get(p)!), `entry point: ${wired} of the ${fanOut(p)} files it uses are shared-kernel files`);
          changed = true;
          continue;
        }
      }
      if (!candidates.has(p) || k < 2 || !(infraName(p) || nameless(p))) continue;
      if (byHubs / k > 0.5 && (infraName(p) || byHubs === k)) {
        add(p, 'infrastructure-name', spreadOf(users.get(p)!), `no domain name, used mostly by shared-kernel files (${byHubs} of ${k})`);
        changed = true;
      }
    }
  }
  return [...hubs.values()].sort((x, y) => (x.path < y.path ? -1 : 1));
}
