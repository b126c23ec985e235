// Properties of the shadow diff engine (compare.ts, json-diff.ts, jsonpath.ts, byte-diff.ts),
// tried on random JSON with a fixed seed. The reference for "equal" is node's
// isDeepStrictEqual on the parsed bodies; every reported path is resolved in the documents
// independently of the engine (parseConcretePath + an own walk).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareConfig } from '../config/schema.js';
import type { Difference } from '../model.js';
import { cutInto as chunked } from '../../test/harness/chunks.js';
import { onlyIgnoredBytesDiffer } from './byte-diff.js';
import { clipValue } from './clip.js';
import { createComparer, isTruncationMarker } from './compare.js';
import { diffJson } from './json-diff.js';
import { anyOf, compilePath, compilePaths, parseConcretePath, renderPath, type Segment } from './jsonpath.js';

const RUN = { seed: 0x0d1ff, numRuns: 250 } as const;
const JSON_CT = { 'content-type': 'application/json' };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

// Few distinct keys, so random pairs of documents share members; some keys need bracket quoting.
const key = fc.oneof(fc.constantFrom('a', 'b', 'id', 'items', 'x y', "it's", 'q"t', '0', '__proto__', 'constructor', ''), fc.string({ maxLength: 4 }));
const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('2026-01-01T00:00:00Z', 'a\nb', 'é', '"'),
);
const { value: jsonArb } = fc.letrec<{ value: Json; array: Json[]; object: { [k: string]: Json } }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 4 }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
}));
/** The value as a JSON body would give it back (plain objects, -0 → 0, own __proto__ members). */
const norm = (v: unknown): Json => JSON.parse(JSON.stringify(v)) as Json;
const json = jsonArb.map(norm);

const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

function set(obj: { [k: string]: Json }, k: string, v: Json): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** Every concrete path in `v` (the root included), parents before children. */
function pathsOf(v: Json, prefix: Segment[] = [], out: Segment[][] = []): Segment[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (isObj(v)) for (const k of Object.keys(v)) pathsOf(v[k]!, [...prefix, k], out);
  return out;
}

const MISSING = Symbol('missing');
function valueAt(v: Json, path: readonly Segment[]): Json | typeof MISSING {
  let cur: Json = v;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(cur) || seg < 0 || seg >= cur.length) return MISSING;
      cur = cur[seg]!;
    } else {
      if (!isObj(cur) || !Object.hasOwn(cur, seg)) return MISSING;
      cur = cur[seg]!;
    }
  }
  return cur;
}

/** One edit: [which path, which operation, a value]. */
const edit = fc.tuple(fc.nat(), fc.nat(), json, key);
/** `a` changed by a few random edits (replace, delete, add, nudge a number, retype), on a copy. */
function mutate(a: Json, edits: readonly [number, number, Json, string][]): Json {
  let doc = norm(a);
  for (const [p, op, v, k] of edits) {
    const paths = pathsOf(doc);
    const path = paths[p % paths.length]!;
    const parentPath = path.slice(0, -1);
    const last = path[path.length - 1];
    const parent = path.length === 0 ? undefined : (valueAt(doc, parentPath) as Json);
    const here = valueAt(doc, path) as Json;
    const put = (x: Json): void => {
      if (path.length === 0) doc = x;
      else if (Array.isArray(parent)) parent[last as number] = x;
      else if (isObj(parent)) set(parent, last as string, x);
    };
    switch (op % 6) {
      case 0:
        put(v);
        break;
      case 1: // delete
        if (Array.isArray(parent)) parent.splice(last as number, 1);
        else if (isObj(parent)) delete parent[last as string];
        break;
      case 2: // add a member or element
        if (Array.isArray(here)) here.push(v);
        else if (isObj(here)) set(here, k, v);
        else put([here, v]);
        break;
      case 3: // nudge a number
        put(typeof here === 'number' ? here + 1 : 1);
        break;
      case 4: // same value, other type
        put(typeof here === 'string' ? Number(here) || 0 : JSON.stringify(here));
        break;
      default:
        break; // unchanged
    }
  }
  return norm(doc);
}

const pair = fc.oneof(
  fc.tuple(json, json),
  fc.tuple(json, fc.array(edit, { maxLength: 3 })).map(([a, edits]) => [a, mutate(a, edits)] as [Json, Json]),
);

const cfg = (over: Partial<CompareConfig> = {}): CompareConfig => ({ ignore: [], unorderedArrays: [], numericTolerance: 0, headers: [], ...over });
const res = (v: Json, space?: number) => ({ status: 200, headers: JSON_CT, body: Buffer.from(JSON.stringify(v, null, space)) });
const diff = (config: CompareConfig, a: Json, b: Json, space?: number): Difference[] => createComparer(config).compare(res(a, space), res(b, space));

/** A JSON path pattern from a concrete path: some segments made [*], or the last one as ..seg. */
function patternOf(path: readonly Segment[], stars: number, descend: boolean): string {
  if (descend && path.length > 0) {
    const r = renderPath(path.slice(-1)).slice(1);
    return r.startsWith('[') ? `$..${r}` : `$.${r}`;
  }
  return renderPath(path.map((s, i) => ((stars >> i) & 1 ? -1 : s)));
}

/** A random config of the kinds routes use. */
const configArb = fc.record({
  ignore: fc.array(fc.constantFrom('$.a', '$.items[*].id', '$..b', "$['x y']", '$[0]', 'headers.date', '$.id'), { maxLength: 3 }),
  unorderedArrays: fc.array(fc.constantFrom('$.items', '$', '$..a'), { maxLength: 2 }),
  numericTolerance: fc.constantFrom(0, 0, 1e-9, 0.01, 0.5),
  headers: fc.constant(null).map(() => ['content-type']),
});

/** A key-order shuffle of the same value (objects rebuilt with keys reversed). */
function reorder(v: Json): Json {
  if (Array.isArray(v)) return v.map(reorder);
  if (!isObj(v)) return v;
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v).reverse()) set(out, k, reorder(v[k]!));
  return out;
}

describe('diff engine: identity and equality', () => {
  it('compare(x, x) = [] under any config, also re-serialised with other key order and whitespace', () => {
    fc.assert(
      fc.property(json, configArb, (x, c) => {
        const comparer = createComparer(c);
        expect(comparer.compare(res(x), res(x))).toEqual([]);
        expect(comparer.compare(res(x), res(reorder(x), 2))).toEqual([]);
      }),
      RUN,
    );
  });

  it('without ignore rules, tolerance or unordered arrays: no difference ⇔ deep-equal', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(diff(cfg(), a, b).length === 0).toBe(isDeepStrictEqual(a, b));
      }),
      RUN,
    );
  });
});

describe('diff engine: what a difference says is true of the documents', () => {
  it('every path exists where its kind says, with the values it reports, each path once', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const diffs = diff(cfg(), a, b).filter((d) => !isTruncationMarker(d));
        expect(new Set(diffs.map((d) => d.path)).size).toBe(diffs.length);
        for (const d of diffs) {
          const path = parseConcretePath(d.path);
          expect(path, d.path).not.toBeNull();
          const pa = valueAt(a, path!);
          const pb = valueAt(b, path!);
          switch (d.kind) {
            case 'removed':
              expect(pa).not.toBe(MISSING);
              expect(pb).toBe(MISSING);
              expect(d.primary).toEqual(clipValue(pa));
              break;
            case 'added':
              expect(pa).toBe(MISSING);
              expect(pb).not.toBe(MISSING);
              expect(d.shadow).toEqual(clipValue(pb));
              break;
            case 'changed':
            case 'type':
              expect(pa).not.toBe(MISSING);
              expect(pb).not.toBe(MISSING);
              expect(isDeepStrictEqual(pa, pb)).toBe(false);
              expect(d.primary).toEqual(clipValue(pa));
              expect(d.shadow).toEqual(clipValue(pb));
              if (d.kind === 'changed') expect(typeof pa === typeof pb && Array.isArray(pa) === Array.isArray(pb)).toBe(true);
              break;
            default:
              throw new Error(`unexpected kind ${d.kind} for two JSON bodies`);
          }
        }
      }),
      RUN,
    );
  });

  it('is symmetric: diff(b, a) is diff(a, b) with added/removed and primary/shadow swapped, with or without a tolerance', () => {
    const swap = (d: Difference): Difference => {
      const kind = d.kind === 'added' ? 'removed' : d.kind === 'removed' ? 'added' : d.kind;
      return { path: d.path, kind, ...(d.shadow !== undefined && { primary: d.shadow }), ...(d.primary !== undefined && { shadow: d.primary }) };
    };
    const byPath = (x: Difference, y: Difference): number => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.kind.localeCompare(y.kind));
    fc.assert(
      fc.property(pair, fc.constantFrom(0, 1e-6, 0.01, 0.3), ([a, b], t) => {
        const ab = diff(cfg({ numericTolerance: t }), a, b);
        const ba = diff(cfg({ numericTolerance: t }), b, a);
        expect(ba.map(swap).sort(byPath)).toEqual([...ab].sort(byPath));
      }),
      RUN,
    );
  });
});

describe('diff engine: rules', () => {
  it('an ignore rule removes exactly the differences at or below the paths it matches', () => {
    const patternArb = fc.tuple(pair, fc.nat(), fc.nat(), fc.boolean()).map(([[a, b], which, stars, descend]) => {
      const paths = [...pathsOf(a), ...pathsOf(b)];
      return { a, b, pattern: patternOf(paths[which % paths.length]!, stars % 4 === 0 ? stars : 0, descend && which % 3 === 0) };
    });
    fc.assert(
      fc.property(patternArb, ({ a, b, pattern }) => {
        const matcher = compilePath(pattern);
        const all = diff(cfg(), a, b);
        const covered = (d: Difference): boolean => {
          const p = parseConcretePath(d.path)!;
          for (let n = 0; n <= p.length; n++) if (matcher.matches(p, n)) return true;
          return false;
        };
        expect(diff(cfg({ ignore: [pattern] }), a, b)).toEqual(all.filter((d) => !covered(d)));
      }),
      RUN,
    );
  });

  it('unordered arrays: any permutation gives no difference; dropping k elements gives k removed at [*]', () => {
    const arb = fc.array(json, { maxLength: 8 }).chain((items) =>
      fc.tuple(
        fc.constant(items),
        fc.shuffledSubarray(
          items.map((_, i) => i),
          { minLength: items.length, maxLength: items.length },
        ),
        fc.nat(),
        json,
      ),
    );
    fc.assert(
      fc.property(arb, fc.constantFrom(0, 0.01), ([items, order, drop, other], t) => {
        const c = cfg({ unorderedArrays: ['$.items'], numericTolerance: t });
        const shuffled = order.map((i) => items[i]!);
        expect(diff(c, { items, other }, { items: shuffled, other })).toEqual([]);
        const k = items.length === 0 ? 0 : drop % (items.length + 1);
        const dropped = shuffled.slice(k);
        const got = diff(c, { items, other }, { items: dropped, other });
        if (t === 0) {
          expect(got.map((d) => `${d.kind} ${d.path}`)).toEqual(new Array<string>(k).fill('removed $.items[*]'));
          const canon = (v: unknown): string => JSON.stringify(norm(v as Json));
          expect(got.map((d) => canon(d.primary)).sort()).toEqual(
            shuffled
              .slice(0, k)
              .map((v) => canon(clipValue(v)))
              .sort(),
          );
        } else {
          // Under a tolerance leftovers pair by closeness, so only the count is certain.
          expect(got.length).toBeLessThanOrEqual(k);
          expect(got.every((d) => d.kind === 'removed' && d.path === '$.items[*]')).toBe(true);
        }
      }),
      RUN,
    );
  });

  it('numeric tolerance: symmetric, relative, and exact at 0', () => {
    const num = fc.double({ min: -1e9, max: 1e9, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(num, num, fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (x, y, t) => {
        const c = cfg({ numericTolerance: t });
        const eq = (p: number, q: number, config = c) => diff(config, { n: p }, { n: q }).length === 0;
        expect(eq(x, y)).toBe(eq(y, x));
        expect(eq(x, x * (1 + t / 2))).toBe(true);
        expect(eq(x, x, cfg())).toBe(true);
        if (x !== y) expect(eq(x, y, cfg())).toBe(Object.is(norm(x), norm(y)) || norm(x) === norm(y));
        if (Math.abs(x - y) > t * Math.max(Math.abs(x), Math.abs(y)) * (1 + 1e-9)) expect(eq(x, y)).toBe(false);
      }),
      RUN,
    );
  });
});

describe('diff engine: the byte fast path agrees with the structural diff', () => {
  const ignoreSets = fc.array(fc.constantFrom('$.a', '$.b', '$..id', '$.items[*].a', '$[*]', "$['x y']", '$..*'), { minLength: 1, maxLength: 3 });

  it('for random pairs and ignore rules, compact or indented: comparer = structural diff', () => {
    fc.assert(
      fc.property(pair, ignoreSets, fc.constantFrom(undefined, 2), ([a, b], ignore, space) => {
        const structural: Difference[] = [];
        diffJson(a, b, { ignore: compilePaths(ignore), unordered: anyOf([]), tolerance: 0 }, structural, 101);
        expect(diff(cfg({ ignore }), a, b, space)).toEqual(structural);
      }),
      RUN,
    );
  });

  /** Replaces ignored scalar values in `a` by values of the same type (the fast path's case). */
  const volatile = fc.tuple(
    json,
    fc.array(fc.tuple(fc.nat(), fc.oneof(fc.string({ maxLength: 8 }), fc.integer({ min: -99_999, max: 99_999 }))), { minLength: 1, maxLength: 3 }),
  );

  it('fires when only ignored values changed, and then the structural diff is empty too', () => {
    let fired = 0;
    fc.assert(
      fc.property(volatile, ([a, changes]) => {
        const b = norm(a);
        const ignore: string[] = [];
        const paths = pathsOf(b).filter((p) => p.length > 0);
        if (paths.length === 0) return;
        for (const [i, v] of changes) {
          const p = paths[i % paths.length]!;
          const here = valueAt(b, p);
          if (here === MISSING || (typeof here !== 'string' && typeof here !== 'number')) continue;
          const parent = valueAt(b, p.slice(0, -1)) as Json;
          const replacement = typeof here === 'string' ? String(v) : typeof v === 'number' ? v : v.length;
          if (Array.isArray(parent)) parent[p[p.length - 1] as number] = replacement;
          else set(parent as { [k: string]: Json }, p[p.length - 1] as string, replacement);
          ignore.push(renderPath(p));
        }
        if (ignore.length === 0) return;
        const ab = Buffer.from(JSON.stringify(a));
        const bb = Buffer.from(JSON.stringify(b));
        if (onlyIgnoredBytesDiffer(ab, bb, compilePaths(ignore))) fired++;
        expect(diff(cfg({ ignore }), a, b)).toEqual([]);
      }),
      RUN,
    );
    expect(fired).toBeGreaterThan(RUN.numRuns / 10);
  });

  it('a shadow body broken inside an ignored value is a body difference, never "equal"', () => {
    // Bytes a JSON number or string cannot hold there: the shadow is not JSON, so the comparison
    // must say so (one body difference), as it does without the fast path.
    const badNumber = fc.constantFrom('1-7', '17e', '1.2.3', '--1', '+1', '1e+', '01', '.5', '1.', '-', '1e5e5');
    const badEscape = fc.constantFrom('\\q', '\\x', '\\v', "\\'", '\\0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), badNumber, badEscape, fc.string({ maxLength: 6 }), (n, num, esc, s) => {
        const text = JSON.stringify({ n, s: `x\ny\u0001${s}`, m: 1 });
        const comparer = createComparer(cfg({ ignore: ['$.n', '$.s'] }));
        for (const broken of [text.replace(`"n":${n}`, `"n":${num}`), text.replace('x\\ny', `x${esc}y`), text.replace('\\u0001', '\\u000g')]) {
          expect(() => JSON.parse(broken)).toThrow();
          const got = comparer.compare(
            { status: 200, headers: JSON_CT, body: Buffer.from(text) },
            { status: 200, headers: JSON_CT, body: Buffer.from(broken) },
          );
          expect(
            got.map((d) => d.kind),
            broken,
          ).toEqual(['body']);
        }
      }),
      RUN,
    );
  });
});

describe('diff engine: bodies as chunk lists', () => {
  const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

  it('the comparison and the byte fast path give the same answer for a body whole or cut into chunks', () => {
    fc.assert(
      fc.property(json, json, fc.array(fc.constantFrom('$.a', '$.b', '$.id', '$.items[*].id', '$.x', '$..a'), { maxLength: 3 }), cuts, cuts, (a, b, ignore, ca, cb) => {
        const ab = Buffer.from(JSON.stringify(a));
        const bb = Buffer.from(JSON.stringify(b));
        const comparer = createComparer(cfg({ ignore }));
        const whole = comparer.compare({ status: 200, headers: JSON_CT, body: ab }, { status: 200, headers: JSON_CT, body: bb });
        const parts = comparer.compare({ status: 200, headers: JSON_CT, body: chunked(ab, ca) }, { status: 200, headers: JSON_CT, body: chunked(bb, cb) });
        expect(parts).toEqual(whole);
        const matcher = compilePaths(ignore.length > 0 ? ignore : ['$.never']);
        expect(onlyIgnoredBytesDiffer(chunked(ab, ca), chunked(bb, cb), matcher)).toBe(onlyIgnoredBytesDiffer(ab, bb, matcher));
      }),
      { ...RUN, numRuns: 500 },
    );
  });

  it('one volatile field in a large body: found equal in place, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 1e9 }), cuts, cuts, (t1, t2, ca, cb) => {
        const items = Array.from({ length: 400 }, (_, i) => ({ id: i, name: `item ${i}` }));
        const ab = Buffer.from(JSON.stringify({ generatedAt: t1, items }));
        const bb = Buffer.from(JSON.stringify({ generatedAt: t2, items }));
        const comparer = createComparer(cfg({ ignore: ['$.generatedAt'] }));
        expect(comparer.compare({ status: 200, headers: JSON_CT, body: chunked(ab, ca) }, { status: 200, headers: JSON_CT, body: chunked(bb, cb) })).toEqual([]);
        const other = Buffer.from(JSON.stringify({ generatedAt: t2, items: items.map((x, i) => (i === 399 ? { ...x, name: 'changed' } : x)) }));
        expect(comparer.compare({ status: 200, headers: JSON_CT, body: chunked(ab, ca) }, { status: 200, headers: JSON_CT, body: chunked(other, cb) })).toEqual([
          { path: '$.items[399].name', kind: 'changed', primary: 'item 399', shadow: 'changed' },
        ]);
      }),
      { ...RUN, numRuns: 200 },
    );
  });
});

describe('diff engine: escaped member names', () => {
  it('matches an ignore rule against the decoded name, on the fast path as in the structural diff', () => {
    const c = createComparer(cfg({ ignore: ["$['\\\\u0061']"] })); // the member literally named \u0061
    const body = (v: string) => ({ status: 200, headers: JSON_CT, body: Buffer.from(`{"\\u0061":"${v}"}`) }); // member "a"
    expect(c.compare(body('x1'), body('x2'))).toEqual([{ path: '$.a', kind: 'changed', primary: 'x1', shadow: 'x2' }]);
    const literal = (v: string) => ({ status: 200, headers: JSON_CT, body: Buffer.from(`{"\\\\u0061":"${v}"}`) });
    expect(c.compare(literal('x1'), literal('x2'))).toEqual([]);
  });
});
