/**
 * The small JSON-path subset the gateway accepts in `shadow.compare.ignore`,
 * `shadow.compare.unorderedArrays` and `shadow.redact`, compiled once into a matcher over
 * concrete paths (arrays of segments: a string is an object member, a number an array index).
 *
 *   $            the root (every path starts with it)
 *   .name        member by name (letters, digits and _, not starting with a digit)
 *   ['name']     member by any name ("name" works too; \' \" \\ escape)
 *   [n]          array element n (0-based)
 *   [*] or .*    any member or element
 *   ..name       `name` at any depth below (also ..['name'], ..[n], ..[*])
 *
 * The selector names follow RFC 9535 (JSONPath); filters, slices, unions and negative
 * indices are deliberately not part of the subset. Concrete paths render the way people
 * write them: `$.items[2].price`, `$['first name']`.
 *
 * @example
 *   const m = compilePath('$.items[*].updatedAt');
 *   m.matches(['items', 3, 'updatedAt']); // true
 *   renderPath(['items', 3, 'updated at']); // "$.items[3]['updated at']"
 */
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';

/** One step of a concrete path: a member name, or an array index (-1 stands for "some element", rendered `[*]`). */
export type Segment = string | number;

export interface PathMatcher {
  /** The path as configured. */
  readonly source: string;
  /** True when the first `length` segments of `path` (default: all) are selected by this path. */
  matches(path: readonly Segment[], length?: number): boolean;
}

type Selector =
  | { readonly kind: 'name'; readonly name: string; readonly descend: boolean }
  | { readonly kind: 'index'; readonly index: number; readonly descend: boolean }
  | { readonly kind: 'any'; readonly descend: boolean };

const VALID = "valid paths start with $ and continue with .name, ['name'], [n], [*] or ..name (e.g. $.items[*].updatedAt)";
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A rendered path of identifier names and indices only (at most 15 digits: every one a safe integer). */
const PLAIN_PATH = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[(?:\d{1,15}|\*)\])*$/;
const INDEX = /\[\d+\]/g;

function syntaxError(source: string, at: number, expected: string, where: string | undefined): FicusError {
  const field = where ? `${where}: ` : '';
  return new FicusError(GatewayErrorCode.CONFIG, `${field}invalid JSON path ${JSON.stringify(source)} at character ${at + 1}: expected ${expected}; ${VALID}`, {
    details: { path: source, at, ...(where ? { field: where } : {}) },
  });
}

/** Parses a path of the subset into selectors; throws a GW_CONFIG FicusError naming the path. */
function parse(source: string, where?: string): Selector[] {
  if (!source.startsWith('$')) throw syntaxError(source, 0, '$ at the start', where);
  const out: Selector[] = [];
  let i = 1;
  while (i < source.length) {
    let descend = false;
    const c = source[i];
    if (c === '.' && source[i + 1] === '.') {
      descend = true;
      i += 2;
      if (source[i] === '[') {
        i = bracket(source, i, true, out, where);
        continue;
      }
    } else if (c === '.') {
      i += 1;
    } else if (c === '[') {
      i = bracket(source, i, false, out, where);
      continue;
    } else {
      throw syntaxError(source, i, '. or [', where);
    }
    if (source[i] === '*') {
      out.push({ kind: 'any', descend });
      i += 1;
      continue;
    }
    const start = i;
    if (i >= source.length || !IDENT_START.test(source[i]!))
      throw syntaxError(source, i, "a name (letter or _ first; use ['...'] for other names) or *", where);
    while (i < source.length && IDENT_PART.test(source[i]!)) i++;
    out.push({ kind: 'name', name: source.slice(start, i), descend });
  }
  return out;
}

/** Parses `[...]` starting at `i` (the `[`); returns the index after `]`. */
function bracket(source: string, i: number, descend: boolean, out: Selector[], where: string | undefined): number {
  let j = i + 1;
  const c = source[j];
  if (c === '*') {
    out.push({ kind: 'any', descend });
    j += 1;
  } else if (c === "'" || c === '"') {
    let name = '';
    j += 1;
    for (;;) {
      const ch = source[j];
      if (ch === undefined) throw syntaxError(source, j, `a closing ${c}`, where);
      if (ch === c) break;
      if (ch === '\\') {
        const next = source[j + 1];
        if (next !== "'" && next !== '"' && next !== '\\') throw syntaxError(source, j, '\\\' \\" or \\\\ after a backslash', where);
        name += next;
        j += 2;
        continue;
      }
      name += ch;
      j += 1;
    }
    out.push({ kind: 'name', name, descend });
    j += 1;
  } else if (c !== undefined && c >= '0' && c <= '9') {
    const start = j;
    while (j < source.length && source[j]! >= '0' && source[j]! <= '9') j++;
    const index = Number(source.slice(start, j));
    if (!Number.isSafeInteger(index)) throw syntaxError(source, start, 'an index below 2^53', where);
    out.push({ kind: 'index', index, descend });
  } else {
    throw syntaxError(source, j, "'name', a non-negative index or * inside [ ]", where);
  }
  if (source[j] !== ']') throw syntaxError(source, j, ']', where);
  return j + 1;
}

function selects(s: Selector, seg: Segment | undefined): boolean {
  if (seg === undefined) return false;
  if (s.kind === 'any') return true;
  if (s.kind === 'name') return seg === s.name;
  return seg === s.index;
}

function matchFrom(sels: readonly Selector[], si: number, path: readonly Segment[], pi: number, len: number): boolean {
  while (si < sels.length) {
    const s = sels[si]!;
    if (s.descend) {
      for (let k = pi; k < len; k++) if (selects(s, path[k]) && matchFrom(sels, si + 1, path, k + 1, len)) return true;
      return false;
    }
    if (pi >= len || !selects(s, path[pi])) return false;
    si++;
    pi++;
  }
  return pi === len;
}

/**
 * Compiles one path of the subset. `where` names the config field in the error
 * (`routes[2].shadow.compare.ignore[0]`). Throws FicusError GW_CONFIG on bad syntax.
 */
export function compilePath(source: string, where?: string): PathMatcher {
  const sels = parse(source, where);
  const fixed = !sels.some((s) => s.descend);
  const n = sels.length;
  return {
    source,
    matches(path: readonly Segment[], length = path.length): boolean {
      // Cheap length checks first: a path without `..` only matches paths of its own length.
      if (fixed ? length !== n : length < n) return false;
      return matchFrom(sels, 0, path, 0, length);
    },
  };
}

/** A matcher selecting what any of `matchers` selects; over none it is a constant false. */
export function anyOf(matchers: readonly PathMatcher[]): PathMatcher {
  if (matchers.length === 0) return { source: '', matches: () => false };
  if (matchers.length === 1) return matchers[0]!;
  return {
    source: matchers.map((m) => m.source).join(', '),
    matches(path: readonly Segment[], length = path.length): boolean {
      for (const m of matchers) if (m.matches(path, length)) return true;
      return false;
    },
  };
}

/** Compiles several paths into one any-of matcher; `where` names the config list in errors (`where[i]`). */
export function compilePaths(sources: readonly string[], where?: string): PathMatcher {
  return anyOf(sources.map((s, i) => compilePath(s, where === undefined ? undefined : `${where}[${i}]`)));
}

function quote(name: string): string {
  return `['${name.replace(/[\\']/g, (c) => `\\${c}`)}']`;
}

/** Renders the first `length` segments as `$.items[2].price`; names that are not identifiers are bracket-quoted. */
export function renderPath(path: readonly Segment[], length = path.length): string {
  let out = '$';
  for (let i = 0; i < length; i++) {
    const seg = path[i]!;
    if (typeof seg === 'number') out += seg < 0 ? '[*]' : `[${seg}]`;
    else out += IDENT.test(seg) ? `.${seg}` : quote(seg);
  }
  return out;
}

/** The segments of a path PLAIN_PATH accepts, read off in one pass (no parser). */
function plainSegments(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 1;
  while (i < path.length) {
    if (path.charCodeAt(i) === 0x2e /* . */) {
      let j = i + 1;
      while (j < path.length && path.charCodeAt(j) !== 0x2e && path.charCodeAt(j) !== 0x5b /* [ */) j++;
      out.push(path.slice(i + 1, j));
      i = j;
    } else {
      const close = path.indexOf(']', i);
      const inner = path.slice(i + 1, close);
      out.push(inner === '*' ? -1 : Number(inner));
      i = close + 1;
    }
  }
  return out;
}

/**
 * Parses a rendered concrete path (`$.items[2].price`, `$.items[*]`) back into segments
 * (`[*]` becomes -1); null for anything else (`status`, `headers.date`, `body`, bad syntax, `..`).
 */
export function parseConcretePath(path: string): Segment[] | null {
  if (!path.startsWith('$')) return null;
  if (PLAIN_PATH.test(path)) return plainSegments(path);
  let sels: Selector[];
  try {
    sels = parse(path);
  } catch {
    return null;
  }
  const out: Segment[] = [];
  for (const s of sels) {
    if (s.descend) return null;
    out.push(s.kind === 'name' ? s.name : s.kind === 'index' ? s.index : -1);
  }
  return out;
}

/**
 * Replaces every array index in a rendered JSON path by `[*]` so the same field of different
 * elements counts as one: `$.items[3].updatedAt` → `$.items[*].updatedAt`. Paths that are not
 * JSON paths (`status`, `headers.date`, `body`) come back unchanged.
 */
export function wildcardIndices(path: string): string {
  if (!path.startsWith('$') || !path.includes('[')) return path;
  // Most paths are identifiers and indices only (`$.items[12].name`): swapping the digits is exact
  // there and ~20 × cheaper than parsing and rendering again (the noise model does it for every
  // difference of every record). Anything quoted takes the parser.
  if (PLAIN_PATH.test(path)) return path.replace(INDEX, '[*]');
  const segs = parseConcretePath(path);
  if (segs === null) return path;
  for (let i = 0; i < segs.length; i++) if (typeof segs[i] === 'number') segs[i] = -1;
  return renderPath(segs);
}
