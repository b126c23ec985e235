/**
 * Synthetic monoliths with a known decomposition, for tests and benchmarks of the graph and
 * cluster stages: per domain some concepts, each concept spread over layers (layered style:
 * routes/ controllers/ services/ repositories/ models/) or kept in a feature folder, helper
 * files whose names share no stem, cross-domain calls and table reads, infrastructure hubs
 * (lib/db, lib/logger, lib/config, lib/errors), a base repository and a composition root.
 * The truth maps every file to its domain, hubs to `shared-kernel`.
 */
import type { FileFacts, RefKind, Reference, TableUse } from '../model.js';
import { mulberry32 } from '../cluster/random.js';

export interface SyntheticOptions {
  /** Domain names (lower-case words) or how many to invent. */
  domains: readonly string[] | number;
  /** Concepts per domain (default 2): the first is the domain's own name. */
  concepts?: number;
  /** Helper files per domain with unrelated names (default 1). */
  helpers?: number;
  layout?: 'layered' | 'feature';
  /** Probability that a service also calls one other domain's service (default 0.5). */
  crossCalls?: number;
  /** Probability that a controller uses another domain's model type (default 0.5). */
  crossTypes?: number;
  seed?: number;
}

export interface SyntheticMonolith {
  readonly files: FileFacts[];
  readonly truth: Map<string, string>;
  readonly hubs: readonly string[];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vo', 'di', 'per', 'no', 'gal', 'fi', 'bu', 'zen', 'ta', 'ro'];
const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function word(i: number): string {
  let s = '';
  let x = i + SYLLABLES.length;
  while (x > 0) {
    s += SYLLABLES[x % SYLLABLES.length]!;
    x = Math.floor(x / SYLLABLES.length);
  }
  return s;
}

class Builder {
  readonly refs = new Map<string, Reference[]>();
  readonly tables = new Map<string, TableUse[]>();
  readonly truth = new Map<string, string>();
  file(path: string, domain: string): string {
    this.truth.set(path, domain);
    if (!this.refs.has(path)) this.refs.set(path, []);
    if (!this.tables.has(path)) this.tables.set(path, []);
    return path;
  }
  ref(from: string, to: string, kind: RefKind, count = 1, symbol = 'x'): void {
    this.refs.get(from)!.push({ to, kind, count, symbols: [symbol] });
  }
  table(path: string, table: string, access: 'read' | 'write'): void {
    this.tables.get(path)!.push({ table, access, via: 'sql' });
  }
}

/** Build a synthetic monolith (see the module header). */
export function syntheticMonolith(options: SyntheticOptions): SyntheticMonolith {
  const rnd = mulberry32(options.seed ?? 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const domains = typeof options.domains === 'number' ? Array.from({ length: options.domains }, (_, i) => word(i * 7)) : options.domains;
  const nConcepts = options.concepts ?? 2;
  const feature = options.layout === 'feature';
  const b = new Builder();
  const at = (layer: string, domain: string, name: string): string =>
    feature ? `src/modules/${domain}s/${name}.ts` : `src/${layer}/${name}.ts`;

  const db = b.file('src/lib/db.ts', 'shared-kernel');
  const logger = b.file('src/lib/logger.ts', 'shared-kernel');
  const config = b.file('src/lib/config.ts', 'shared-kernel');
  const errors = b.file('src/lib/errors.ts', 'shared-kernel');
  const baseRepo = b.file(feature ? 'src/common/BaseRepository.ts' : 'src/repositories/BaseRepository.ts', 'shared-kernel');
  const app = b.file('src/app.ts', 'shared-kernel');
  b.ref(db, config, 'call', 2);
  b.ref(logger, config, 'call');
  b.ref(baseRepo, db, 'call', 3);
  b.ref(app, config, 'call');
  b.ref(app, logger, 'call');

  const services = new Map<string, string[]>();
  const partners = new Map<string, { ctrl: string; repo: string }>();
  const models = new Map<string, string[]>();
  for (const [di, d] of domains.entries()) {
    const concepts = [d, ...Array.from({ length: nConcepts - 1 }, (_, i) => `${d}${cap(word(di * 31 + i * 5 + 3))}`)];
    for (const c of concepts) {
      const C = cap(c);
      const route = b.file(at('routes', d, `${c}Routes`), d);
      const ctrl = b.file(at('controllers', d, `${C}Controller`), d);
      const svc = b.file(at('services', d, `${C}Service`), d);
      const repo = b.file(at('repositories', d, `${C}Repository`), d);
      const model = b.file(at('models', d, C), d);
      b.ref(app, route, 'import');
      b.ref(route, ctrl, 'import');
      b.ref(route, ctrl, 'call', 4);
      b.ref(ctrl, svc, 'import');
      b.ref(ctrl, svc, 'call', 3 + Math.floor(rnd() * 4));
      b.ref(ctrl, model, 'type', 2);
      b.ref(ctrl, logger, 'call');
      b.ref(ctrl, errors, 'new');
      b.ref(svc, repo, 'call', 2 + Math.floor(rnd() * 5));
      b.ref(svc, model, 'new');
      b.ref(svc, logger, 'call', 2);
      b.ref(svc, errors, 'new');
      b.ref(repo, model, 'type', 3);
      b.ref(repo, baseRepo, 'extends');
      b.ref(repo, db, 'call', 2);
      b.table(repo, `${c}s`, 'write');
      b.table(model, `${c}s`, 'read');
      (services.get(d) ?? services.set(d, []).get(d)!).push(svc);
      partners.set(svc, { ctrl, repo });
      (models.get(d) ?? models.set(d, []).get(d)!).push(model);
    }
    // Concepts of one domain use each other.
    const own = services.get(d)!;
    for (let i = 1; i < own.length; i++) b.ref(own[0]!, own[i]!, 'call', 2);
    for (let h = 0; h < (options.helpers ?? 1); h++) {
      const helper = b.file(at('services', d, `${cap(word(di * 13 + h * 3 + 101))}Calculator`), d);
      b.ref(own[h % own.length]!, helper, 'call', 2);
      b.ref(helper, models.get(d)![0]!, 'type');
    }
  }
  for (const d of domains) {
    const others = domains.filter((o) => o !== d);
    if (others.length === 0) continue;
    for (const svc of services.get(d)!) {
      if (rnd() < (options.crossCalls ?? 0.5)) {
        const o = pick(others);
        b.ref(svc, pick(services.get(o)!), 'call', 1 + Math.floor(rnd() * 2));
        b.table(partners.get(svc)!.repo, `${o}s`, 'read');
      }
      if (rnd() < (options.crossTypes ?? 0.5)) {
        b.ref(partners.get(svc)!.ctrl, pick(models.get(pick(others))!), 'type');
      }
    }
  }
  const files: FileFacts[] = [...b.truth.keys()].sort().map((path) => ({
    path,
    lines: 50,
    references: (b.refs.get(path) ?? []).filter((r) => b.truth.has(r.to)),
    tables: b.tables.get(path) ?? [],
    endpoints: [],
    terms: {},
  }));
  return { files, truth: b.truth, hubs: [db, logger, config, errors, baseRepo, app] };
}
