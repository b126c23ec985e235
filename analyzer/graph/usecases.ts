/**
 * The use-case signal: files that serve the same entry points belong together, whatever
 * folder or layer they sit in. Mono2Micro (Kalia et al. 2021, "Mono2Micro: a practical and
 * effective tool for decomposing monolithic Java applications to microservices", ESEC/FSE)
 * clusters classes by the business use cases whose runtime traces they appear in; Service
 * Cutter (Gysel et al. 2016, ESOCC) ranks shared use cases first among its coupling criteria.
 * Without traces we approximate them statically: from each file that declares HTTP routes,
 * references are followed outwards (calls, construction, inheritance, value imports, type
 * uses — not type-only imports) breadth first, through files that are not hubs, up to
 * `maxDepth` hops. A file's participation in an entry point decays with distance
 * (`decay`^hops); normalised over entry points it is the file's *share* in each.
 *
 * Each entry point's participants (files holding it among their `topEntries` largest shares)
 * are linked pairwise with weight share_x · share_y — the co-occurrence similarity of
 * Mono2Micro, as in pairs.ts's `linkGroup`, capped so a use case touching thousands of files
 * costs O(n·cap) edges. A codebase that declares no routes gets an empty layer and a note.
 */
import type { EdgeLayer, FileFacts, RefKind } from '../model.js';
import { linkGroup, PairWeights, toLayer } from './pairs.js';

export interface UsecaseLayerOptions {
  /** Hops followed from an entry point (default 4). */
  readonly maxDepth?: number;
  /** Participation lost per hop (default 0.5). */
  readonly decay?: number;
  /** Entry points a file is counted in, its largest shares (default 2). */
  readonly topEntries?: number;
  /** Group size above which a use case is linked sparsely, `cap` links per file (default 24; pairs.ts). */
  readonly cap?: number;
}

/** Path segments that say nothing about the domain. */
const NOISE_SEGMENT = /^(api|apis|rest|rpc|v\d+(\.\d+)?|internal|public|private|admin)$/i;

/**
 * The use-case family of an entry file: the first path segment of its routes that names
 * something (not `api`, `v2`, a parameter), by majority, e.g. `/api/v1/orders/:id/lines` →
 * `orders`. Entry files whose routes share a family (`/catalog/products`,
 * `/catalog/brands`) serve one area of the business and count as one use case; without a
 * shared segment each file is its own family.
 */
export function routeFamily(file: FileFacts): string {
  const votes = new Map<string, number>();
  for (const e of file.endpoints) {
    const seg = e.path.split('/').find((s) => s !== '' && !s.startsWith(':') && !s.startsWith('{') && !s.includes('*') && !NOISE_SEGMENT.test(s));
    if (seg !== undefined) votes.set(seg.toLowerCase(), (votes.get(seg.toLowerCase()) ?? 0) + 1);
  }
  const best = [...votes].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return best === undefined ? `file:${file.path}` : `route:${best[0]}`;
}

export const USECASE_DEFAULTS = Object.freeze({ maxDepth: 4, decay: 0.5, topEntries: 2, cap: 24 });

const FOLLOWED: ReadonlySet<RefKind> = new Set(['call', 'new', 'extends', 'implements', 'import', 'type']);

/** @param exclude hubs: neither entry points nor passed through */
export function usecaseLayer(files: readonly FileFacts[], exclude: ReadonlySet<string> = new Set(), options: UsecaseLayerOptions = {}): EdgeLayer {
  const { maxDepth, decay, topEntries, cap } = { ...USECASE_DEFAULTS, ...options };
  const out = new Map<string, string[]>();
  for (const f of files) {
    if (exclude.has(f.path)) continue;
    const targets = new Set<string>();
    for (const r of f.references) if (FOLLOWED.has(r.kind) && r.to !== f.path && !exclude.has(r.to)) targets.add(r.to);
    out.set(f.path, [...targets].sort());
  }
  const entryFiles = files.filter((f) => f.endpoints.length > 0 && !exclude.has(f.path));
  const entries = entryFiles.map((f) => f.path);
  const familyOf = new Map(entryFiles.map((f) => [f.path, routeFamily(f)]));
  if (entries.length < 2) {
    return {
      signal: 'usecases',
      edges: [],
      note: entries.length === 0 ? 'no HTTP route declarations found, so no use cases to follow' : 'only one file declares HTTP routes',
    };
  }
  // participation[file] = entry → decay^hops
  const participation = new Map<string, Map<string, number>>();
  for (const entry of entries) {
    const seen = new Set([entry]);
    let frontier = [entry];
    for (let d = 0; frontier.length > 0 && d <= maxDepth; d++) {
      const next: string[] = [];
      for (const f of frontier) {
        const family = familyOf.get(entry)!;
        const row = participation.get(f) ?? participation.set(f, new Map()).get(f)!;
        row.set(family, Math.max(row.get(family) ?? 0, decay ** d));
        for (const t of out.get(f) ?? []) {
          if (!seen.has(t)) {
            seen.add(t);
            next.push(t);
          }
        }
      }
      frontier = next;
    }
  }
  const members = new Map<string, { path: string; share: number }[]>();
  for (const [path, byEntry] of participation) {
    const total = [...byEntry.values()].reduce((a, b) => a + b, 0);
    const top = [...byEntry].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, topEntries);
    for (const [entry, p] of top) (members.get(entry) ?? members.set(entry, []).get(entry)!).push({ path, share: p / total });
  }
  const acc = new PairWeights();
  for (const entry of [...members.keys()].sort()) {
    const group = members.get(entry)!;
    const share = new Map(group.map((m) => [m.path, m.share]));
    linkGroup(acc, [...share.keys()], (x, y) => share.get(x)! * share.get(y)!, cap);
  }
  return toLayer('usecases', acc, { quantile: 0.95 }, acc.size === 0 ? 'entry points reach no other file' : undefined);
}
