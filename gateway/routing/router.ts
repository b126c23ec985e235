/**
 * The route table: `add` compiled routes, `match` a request. A route's path is a prefix on
 * segment boundaries (`/products` matches `/products` and `/products/7`, not `/productsx`);
 * `:name` matches any one segment; `exact` admits no further segments. Methods (GET also admits HEAD) and header matches (exact,
 * or `~regex`) narrow it. When several routes match, the most specific wins: more literal
 * segments, then more segments, then exact over prefix, then more header conditions, then an explicit method list,
 * then the order in the config — `precedence()` lists that order for `ficus gateway --check`.
 * Routes are bucketed by their first literal segment, so a match looks at few candidates.
 */

export interface RouteMatchSpec {
  readonly id: string;
  readonly path: string;
  /** Only paths with exactly the pattern's segments. */
  readonly exact?: boolean | undefined;
  readonly methods?: readonly string[] | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface MatchedRoute<T> {
  readonly route: T;
  readonly params: Readonly<Record<string, string>>;
}

export interface Router<T> {
  add(spec: RouteMatchSpec, value: T): void;
  match(method: string, path: string, headers: Readonly<Record<string, string | string[] | undefined>>): MatchedRoute<T> | null;
  /** Route ids, most specific first. */
  precedence(): string[];
}

type Segment = { readonly literal: string } | { readonly param: string };

interface Compiled<T> {
  readonly spec: RouteMatchSpec;
  readonly value: T;
  readonly segments: readonly Segment[];
  readonly methods: ReadonlySet<string> | null;
  readonly headers: readonly { name: string; test: (v: string) => boolean }[];
  readonly order: number;
  readonly score: readonly number[];
}

function compileHeader(name: string, value: string): { name: string; test: (v: string) => boolean } {
  if (value.startsWith('~')) {
    const re = new RegExp(value.slice(1));
    return { name: name.toLowerCase(), test: (v) => re.test(v) };
  }
  return { name: name.toLowerCase(), test: (v) => v === value };
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
}

interface Found<T> {
  readonly c: Compiled<T>;
  readonly params: Record<string, string>;
}

/**
 * A class, not closures per table: every table shares one `match`, so the request path's optimised
 * code, which calls it, stays valid when a reload swaps in a new table (a new closure per table was a
 * new call target, and threw that code away at the first reload under load: "wrong call target").
 */
class RouteTable<T> implements Router<T> {
  // Each list is kept sorted as routes are added (most specific first), so a match never sorts: a
  // sort on a new table's first match ran on the request path right after every reload.
  private readonly all: Compiled<T>[] = [];
  private readonly byFirst = new Map<string, Compiled<T>[]>();
  private readonly wild: Compiled<T>[] = [];

  add(spec: RouteMatchSpec, value: T): void {
    const segments: Segment[] = spec.path
      .split('/')
      .filter((s) => s !== '')
      .map((s) => (s.startsWith(':') ? { param: s.slice(1) } : { literal: s }));
    const literals = segments.filter((s) => 'literal' in s).length;
    const headers = Object.entries(spec.headers ?? {}).map(([k, v]) => compileHeader(k, v));
    const methods = spec.methods?.length ? new Set(spec.methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]))) : null;
    const c: Compiled<T> = {
      spec,
      value,
      segments,
      methods,
      headers,
      order: this.all.length,
      score: [literals, segments.length, spec.exact ? 1 : 0, headers.length, methods ? 1 : 0],
    };
    insertSorted(this.all, c);
    const first = segments[0];
    if (first !== undefined && 'literal' in first) insertSorted(this.byFirst.get(first.literal) ?? this.byFirst.set(first.literal, []).get(first.literal)!, c);
    else insertSorted(this.wild, c);
  }

  match(method: string, path: string, headers: Readonly<Record<string, string | string[] | undefined>>): MatchedRoute<T> | null {
    const parts = path.split('/').filter((s) => s !== '');
    const firstList = parts[0] === undefined ? undefined : this.byFirst.get(parts[0]);
    const found = firstMatch(this.wild, parts, method, headers, firstList === undefined ? null : firstMatch(firstList, parts, method, headers, null));
    return found === null ? null : { route: found.c.value, params: found.params };
  }

  precedence(): string[] {
    return this.all.map((c) => c.spec.id);
  }
}

/** Inserts after every route at least as specific (routes added later lose ties). */
function insertSorted<T>(list: Compiled<T>[], c: Compiled<T>): void {
  let i = list.length;
  while (i > 0 && (compare(list[i - 1]!.score, c.score) || list[i - 1]!.order - c.order) > 0) i--;
  list.splice(i, 0, c);
}

/** The first route of `list` (most specific first) that matches, unless `best` is at least as specific; else `best`. */
function firstMatch<T>(
  list: readonly Compiled<T>[],
  parts: readonly string[],
  method: string,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  best: Found<T> | null,
): Found<T> | null {
  for (const c of list) {
    if (best !== null) {
      const d = compare(c.score, best.c.score);
      if (d > 0 || (d === 0 && c.order > best.c.order)) return best;
    }
    const params = matchSegments(c, parts);
    if (params === null) continue;
    if (c.methods !== null && !c.methods.has(method)) continue;
    if (!c.headers.every((h) => headerValues(headers[h.name]).some(h.test))) continue;
    return { c, params };
  }
  return best;
}

export function createRouter<T>(): Router<T> {
  return new RouteTable<T>();
}

function headerValues(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function matchSegments<T>(c: Compiled<T>, parts: readonly string[]): Record<string, string> | null {
  if (parts.length < c.segments.length || (c.spec.exact && parts.length !== c.segments.length)) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < c.segments.length; i++) {
    const s = c.segments[i]!;
    const p = parts[i]!;
    if ('literal' in s) {
      if (s.literal !== p) return null;
    } else params[s.param] = p;
  }
  return params;
}
