/**
 * Structural diff of two parsed JSON bodies, the core of the shadow comparison.
 *
 * One walk over both values with a single mutable path stack; a path string is only rendered
 * when a difference is reported, and equal subtrees allocate nothing. Rules:
 * - a path selected by `ignore` is skipped with everything below it, on either side;
 * - different JSON types (null, boolean, number, string, array, object) → `type`;
 * - a member only the primary has → `removed`, only the shadow → `added`; a different scalar → `changed`;
 * - numbers are equal when |a − b| ≤ tolerance × max(|a|, |b|) (relative; 0 = exact);
 * - arrays compare by index (extra elements → `added`/`removed` at their index), except arrays
 *   selected by `unorderedArrays`: those compare as multisets. Elements are paired when equal
 *   (first by canonical JSON — sorted keys, ignored members left out, nested unordered arrays
 *   sorted — then, with a tolerance, by a bounded pairwise check); what is left over is
 *   reported whole as `removed`/`added` at `path[*]`. Inside an unordered array element
 *   positions mean nothing, so its elements have the path `[*]` (index paths such as
 *   `$.items[0].x` do not select them; `$.items[*].x` does);
 * - deeper than 256 levels of nesting, a differing subtree is reported once as `changed` (the walk
 *   recurses, and the bound keeps hostile bodies from exhausting the stack).
 */
import type { Difference, DifferenceKind } from '../model.js';
import { clipValue } from './clip.js';
import { renderPath, type PathMatcher, type Segment } from './jsonpath.js';

export interface JsonDiffOptions {
  readonly ignore: PathMatcher;
  readonly unordered: PathMatcher;
  /** Relative numeric tolerance, ≥ 0. */
  readonly tolerance: number;
}

const MAX_DEPTH = 256;
/** Leftover pairs checked one by one under a tolerance (64 × 64); beyond that leftovers are reported as they are. */
const MAX_PAIRWISE = 4096;
/** Path segment of an element of an unordered array (rendered `[*]`). */
const ANY = -1;

type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' | 'other';

function jsonType(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  return t === 'object' || t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

const hasOwn = Object.hasOwn;

class Walker {
  private readonly stack: Segment[] = [];
  /** > 0 while checking equality only: a reported difference just sets `found`. */
  private probes = 0;
  private found = false;

  constructor(
    private readonly o: JsonDiffOptions,
    private readonly out: Difference[],
    private readonly limit: number,
  ) {}

  get stopped(): boolean {
    return this.probes > 0 ? this.found : this.out.length >= this.limit;
  }

  private report(kind: DifferenceKind, primary: unknown, shadow: unknown): void {
    if (this.probes > 0) {
      this.found = true;
      return;
    }
    if (this.out.length >= this.limit) return;
    const path = renderPath(this.stack);
    if (kind === 'added') this.out.push({ path, kind, shadow: clipValue(shadow) });
    else if (kind === 'removed') this.out.push({ path, kind, primary: clipValue(primary) });
    else this.out.push({ path, kind, primary: clipValue(primary), shadow: clipValue(shadow) });
  }

  private ignored(): boolean {
    return this.o.ignore.matches(this.stack);
  }

  /** Equality under the same rules (ignore, tolerance, unordered arrays), without reporting. */
  private equal(a: unknown, b: unknown): boolean {
    const saved = this.found;
    this.found = false;
    this.probes++;
    this.walk(a, b);
    this.probes--;
    const equal = !this.found;
    this.found = saved;
    return equal;
  }

  walk(a: unknown, b: unknown): void {
    if (a === b || this.ignored()) return;
    if (this.stack.length >= MAX_DEPTH) return this.report('changed', a, b);
    const ta = jsonType(a);
    if (ta !== jsonType(b)) return this.report('type', a, b);
    switch (ta) {
      case 'number': {
        const x = a as number;
        const y = b as number;
        const tol = this.o.tolerance;
        if (tol > 0 && Math.abs(x - y) <= tol * Math.max(Math.abs(x), Math.abs(y))) return;
        return this.report('changed', a, b);
      }
      case 'array':
        if (this.o.unordered.matches(this.stack)) return this.unordered(a as unknown[], b as unknown[]);
        return this.ordered(a as unknown[], b as unknown[]);
      case 'object':
        return this.object(a as Record<string, unknown>, b as Record<string, unknown>);
      default:
        return this.report('changed', a, b);
    }
  }

  private object(a: Record<string, unknown>, b: Record<string, unknown>): void {
    const stack = this.stack;
    for (const key in a) {
      if (!hasOwn(a, key)) continue;
      stack.push(key);
      if (hasOwn(b, key)) this.walk(a[key], b[key]);
      else if (!this.ignored()) this.report('removed', a[key], undefined);
      stack.pop();
      if (this.stopped) return;
    }
    for (const key in b) {
      if (!hasOwn(b, key) || hasOwn(a, key)) continue;
      stack.push(key);
      if (!this.ignored()) this.report('added', undefined, b[key]);
      stack.pop();
      if (this.stopped) return;
    }
  }

  private ordered(a: unknown[], b: unknown[]): void {
    const stack = this.stack;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      stack.push(i);
      this.walk(a[i], b[i]);
      stack.pop();
      if (this.stopped) return;
    }
    for (let i = n; i < a.length; i++) {
      stack.push(i);
      if (!this.ignored()) this.report('removed', a[i], undefined);
      stack.pop();
      if (this.stopped) return;
    }
    for (let i = n; i < b.length; i++) {
      stack.push(i);
      if (!this.ignored()) this.report('added', undefined, b[i]);
      stack.pop();
      if (this.stopped) return;
    }
  }

  private unordered(a: unknown[], b: unknown[]): void {
    const stack = this.stack;
    stack.push(ANY);
    try {
      if (this.ignored()) return;
      // Usually the order did not change either: check pairwise first, allocating nothing.
      if (a.length === b.length) {
        let same = true;
        for (let i = 0; i < a.length && same; i++) same = this.equal(a[i], b[i]);
        if (same) return;
      }
      const byKey = new Map<string, number[]>();
      for (let i = 0; i < a.length; i++) {
        const key = this.canon(a[i]);
        const list = byKey.get(key);
        if (list) list.push(i);
        else byKey.set(key, [i]);
      }
      let leftB: number[] = [];
      for (let j = 0; j < b.length; j++) {
        const list = byKey.get(this.canon(b[j]));
        if (list !== undefined && list.length > 0) list.pop();
        else leftB.push(j);
      }
      let leftA: number[] = [];
      for (const list of byKey.values()) for (const i of list) leftA.push(i);
      leftA.sort((x, y) => x - y);
      if (this.o.tolerance > 0 && leftA.length > 0 && leftB.length > 0 && leftA.length * leftB.length <= MAX_PAIRWISE) {
        const usedB = new Set<number>();
        const keptA: number[] = [];
        for (const i of leftA) {
          const j = leftB.find((jb) => !usedB.has(jb) && this.equal(a[i], b[jb]));
          if (j === undefined) keptA.push(i);
          else usedB.add(j);
        }
        leftA = keptA;
        leftB = leftB.filter((j) => !usedB.has(j));
      }
      for (const i of leftA) {
        this.report('removed', a[i], undefined);
        if (this.stopped) return;
      }
      for (const j of leftB) {
        this.report('added', undefined, b[j]);
        if (this.stopped) return;
      }
    } finally {
      stack.pop();
    }
  }

  /** Canonical JSON of `v` at the current path: sorted keys, ignored members left out, unordered arrays sorted. */
  private canon(v: unknown): string {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    const stack = this.stack;
    if (stack.length >= MAX_DEPTH) return '…';
    if (Array.isArray(v)) {
      const unordered = this.o.unordered.matches(stack);
      const parts: string[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        stack.push(unordered ? ANY : i);
        parts[i] = this.ignored() ? '~' : this.canon(v[i]);
        stack.pop();
      }
      if (unordered) parts.sort();
      return `[${parts.join(',')}]`;
    }
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    let out = '{';
    for (const key of keys) {
      stack.push(key);
      if (!this.ignored()) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${this.canon(obj[key])}`;
      stack.pop();
    }
    return `${out}}`;
  }
}

/**
 * Appends the differences between two JSON values to `out`, stopping once `out` holds `limit`
 * entries (entries already in `out` count).
 */
export function diffJson(primary: unknown, shadow: unknown, options: JsonDiffOptions, out: Difference[], limit: number): void {
  if (out.length >= limit) return;
  new Walker(options, out, limit).walk(primary, shadow);
}
