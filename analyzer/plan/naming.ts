/**
 * Readable names for candidate contexts from what their members say about themselves: the
 * route prefixes they serve, the tables they write (then read), and the terms in their file
 * names. A term that several sources agree on wins; collisions get the runner-up appended.
 */
import type { FileFacts } from '../model.js';

const GENERIC = new Set([
  'index', 'main', 'app', 'server', 'lib', 'src', 'util', 'utils', 'helper', 'helpers', 'common', 'shared', 'core',
  'route', 'routes', 'router', 'controller', 'controllers', 'service', 'services', 'repository', 'repositories', 'repo',
  'model', 'models', 'entity', 'entities', 'dto', 'dao', 'handler', 'handlers', 'middleware', 'types', 'type', 'api',
  'module', 'modules', 'impl', 'base', 'manager', 'provider', 'store', 'schema', 'db', 'config', 'test', 'spec', 'admin',
  'v1', 'v2', 'http', 'rest', 'internal', 'public', 'default',
]);

/** Folds plurals so `orders`, `order` and `Orders` count as one term. */
export function singular(term: string): string {
  const t = term.toLowerCase();
  if (t.endsWith('ies') && t.length > 4) return `${t.slice(0, -3)}y`;
  if (t.endsWith('sses')) return t.slice(0, -2);
  if (t.endsWith('s') && !t.endsWith('ss') && !t.endsWith('us') && t.length > 3) return t.slice(0, -1);
  return t;
}

function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 2 && !/^\d+$/.test(w));
}

export interface NameCandidate {
  readonly term: string;
  readonly score: number;
  readonly evidence: string[];
}

export function nameCandidates(members: readonly FileFacts[]): NameCandidate[] {
  const score = new Map<string, { score: number; evidence: Set<string> }>();
  const add = (raw: string, points: number, why: string) => {
    const term = singular(raw);
    if (GENERIC.has(term) || GENERIC.has(raw.toLowerCase()) || term.length < 3) return;
    const entry = score.get(term) ?? { score: 0, evidence: new Set<string>() };
    entry.score += points;
    entry.evidence.add(why);
    score.set(term, entry);
  };
  for (const f of members) {
    // Each route prefix counts once per file, so a file declaring many routes does not outvote the rest.
    const prefixes = new Set<string>();
    for (const e of f.endpoints) {
      const prefix = e.path.split('/').find((seg) => seg && !seg.startsWith(':') && !seg.startsWith('{') && !GENERIC.has(seg.toLowerCase()));
      if (prefix) prefixes.add(prefix);
    }
    for (const prefix of prefixes) for (const w of words(prefix)) add(w, 3, `route /${prefix}`);
    for (const t of f.tables) for (const w of words(t.table)) add(w, t.access === 'write' ? 2 : 0.5, `table ${t.table}`);
    const base = f.path.split('/').pop()?.replace(/\.[^.]+$/, '') ?? '';
    for (const w of words(base)) add(w, 1, `file ${base}`);
  }
  return [...score.entries()]
    .map(([term, e]) => ({ term, score: e.score, evidence: [...e.evidence].sort().slice(0, 4) }))
    .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
}

function title(term: string): string {
  return term.charAt(0).toUpperCase() + term.slice(1);
}

export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'context';
}

/** Names every context; ids are unique slugs. `fallback(i)` names one with no usable terms. */
export function nameContexts(groups: readonly (readonly FileFacts[])[]): { id: string; name: string; naming: string[] }[] {
  const candidates = groups.map(nameCandidates);
  const taken = new Set<string>(['shared-kernel']);
  return candidates.map((list, i) => {
    const first = list[0];
    let name = first ? title(first.term) : `Context ${i + 1}`;
    let naming = first?.evidence ?? [];
    if (taken.has(slug(name))) {
      const second = list.find((c, k) => k > 0 && !taken.has(slug(`${name} ${c.term}`)));
      name = second ? `${name} ${title(second.term)}` : `${name} ${i + 1}`;
      naming = [...naming, ...(second?.evidence ?? [])];
    }
    let id = slug(name);
    for (let n = 2; taken.has(id); n++) id = `${slug(name)}-${n}`;
    taken.add(id);
    return { id, name, naming };
  });
}
