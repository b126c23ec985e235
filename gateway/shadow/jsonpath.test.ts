import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import { compilePath, compilePaths, parseConcretePath, renderPath, wildcardIndices, type Segment } from './jsonpath.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof FicusError ? err.code : 'not a FicusError';
  }
  return undefined;
}

describe('compilePath syntax', () => {
  it.each([
    '$',
    '$.a',
    '$.a_b.c2',
    "$['first name']",
    '$["x"]',
    "$['it\\'s']",
    '$[0]',
    '$.items[12].price',
    '$[*]',
    '$.*',
    '$..id',
    "$..['a b']",
    '$..[0]',
    '$..*',
    '$.a[*][*].b',
  ])('accepts %s', (p) => {
    expect(compilePath(p).source).toBe(p);
  });

  it.each(['', 'items', '.a', '$.', '$..', '$.1a', '$.a-b', '$[', '$[]', '$[-1]', '$[1:2]', "$['a", "$['a'", '$[?(@.x)]', '$.a b', '$a', "$['\\n']", '$[x]'])(
    'refuses %j with GW_CONFIG',
    (p) => {
      expect(codeOf(() => compilePath(p))).toBe('GW_CONFIG');
    },
  );

  it('names the bad path, the position and the config field', () => {
    try {
      compilePath('$.items[x]', 'routes[0].shadow.compare.ignore[1]');
      expect.unreachable();
    } catch (err) {
      const e = err as FicusError;
      expect(e.code).toBe('GW_CONFIG');
      expect(e.details).toMatchObject({ path: '$.items[x]', at: 8, field: 'routes[0].shadow.compare.ignore[1]' });
    }
  });

  it('names the list index in compilePaths', () => {
    try {
      compilePaths(['$.ok', 'bad'], 'ignore');
      expect.unreachable();
    } catch (err) {
      expect((err as FicusError).details).toMatchObject({ field: 'ignore[1]' });
    }
  });
});

describe('matching', () => {
  const cases: [string, Segment[], boolean][] = [
    ['$', [], true],
    ['$', ['a'], false],
    ['$.a', ['a'], true],
    ['$.a', ['b'], false],
    ['$.a', ['a', 'b'], false],
    ["$['first name']", ['first name'], true],
    ['$[1]', [1], true],
    ['$[1]', ['1'], false],
    ['$.items[*].updatedAt', ['items', 3, 'updatedAt'], true],
    ['$.items[*].updatedAt', ['items', 'x', 'updatedAt'], true],
    ['$.items[*].updatedAt', ['items', 3, 'price'], false],
    ['$.items[*].updatedAt', ['items', 3], false],
    ['$..id', ['id'], true],
    ['$..id', ['a', 2, 'b', 'id'], true],
    ['$..id', ['a', 'id', 'b'], false],
    ['$.a..id', ['id'], false],
    ['$.a..id', ['a', 'x', 'id'], true],
    ['$..a..b', ['x', 'a', 'y', 'z', 'b'], true],
    ['$..a..b', ['x', 'b', 'a'], false],
    ['$..[0]', ['list', 0], true],
    ['$.*', ['anything'], true],
    ['$.*', [7], true],
  ];
  it.each(cases)('%s on %j → %s', (p, path, expected) => {
    expect(compilePath(p).matches(path)).toBe(expected);
  });

  it('matches a prefix of a longer stack when given a length', () => {
    const m = compilePath('$.a.b');
    expect(m.matches(['a', 'b', 'c'], 2)).toBe(true);
    expect(m.matches(['a', 'b', 'c'], 3)).toBe(false);
  });

  it('compilePaths matches any; an empty list matches nothing', () => {
    const m = compilePaths(['$.a', '$..b']);
    expect(m.matches(['a'])).toBe(true);
    expect(m.matches(['x', 'b'])).toBe(true);
    expect(m.matches(['x'])).toBe(false);
    expect(compilePaths([]).matches([])).toBe(false);
  });
});

describe('rendering and parsing concrete paths', () => {
  it('renders identifiers with dots, other names bracket-quoted, indices in brackets', () => {
    expect(renderPath([])).toBe('$');
    expect(renderPath(['items', 2, 'price'])).toBe('$.items[2].price');
    expect(renderPath(['first name', 'x-y', '2a', "it's", 'back\\slash'])).toBe("$['first name']['x-y']['2a']['it\\'s']['back\\\\slash']");
    expect(renderPath(['items', -1])).toBe('$.items[*]');
    expect(renderPath(['a', 'b', 'c'], 2)).toBe('$.a.b');
  });

  it('round-trips rendered paths', () => {
    const segs: Segment[] = ['a b', 0, "q'uote", 'ok', 12, '\\', '$'];
    expect(parseConcretePath(renderPath(segs))).toEqual(segs);
    expect(compilePath(renderPath(segs)).matches(segs)).toBe(true);
  });

  it('parses [*] as -1 and refuses non-JSON paths and descent', () => {
    expect(parseConcretePath('$.items[*].x')).toEqual(['items', -1, 'x']);
    expect(parseConcretePath('status')).toBeNull();
    expect(parseConcretePath('headers.date')).toBeNull();
    expect(parseConcretePath('$..x')).toBeNull();
    expect(parseConcretePath('$.[')).toBeNull();
  });

  it('wildcardIndices normalises indices and leaves other paths alone', () => {
    expect(wildcardIndices('$.items[3].updatedAt')).toBe('$.items[*].updatedAt');
    expect(wildcardIndices('$.a[1][22].b')).toBe('$.a[*][*].b');
    expect(wildcardIndices("$['x[3]'].y")).toBe("$['x[3]'].y");
    expect(wildcardIndices('$.items[*]')).toBe('$.items[*]');
    expect(wildcardIndices('$.plain')).toBe('$.plain');
    expect(wildcardIndices('headers.date')).toBe('headers.date');
  });

  it('reads identifier-and-index paths the way the full parser does (the fast path), big indices too', () => {
    const part = fc.oneof(
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,5}$/).map((name) => ({ text: `.${name}`, seg: name as Segment | null })),
      fc.stringMatching(/^\d{1,18}$/).map((digits) => ({ text: `[${digits}]`, seg: Number.isSafeInteger(Number(digits)) ? Number(digits) : null })),
      fc.constant({ text: '[*]', seg: -1 as Segment | null }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const path = `$${parts.map((p) => p.text).join('')}`;
        // Oracle: the segments as generated; an index beyond 2^53 makes the whole path unreadable.
        const expected = parts.some((p) => p.seg === null) ? null : parts.map((p) => p.seg!);
        expect(parseConcretePath(path)).toEqual(expected);
        expect(wildcardIndices(path)).toBe(expected === null ? path : renderPath(expected.map((s) => (typeof s === 'number' ? -1 : s))));
        // The same path with its names quoted takes the full parser and reads the same.
        const quoted = `$${parts.map((p) => (p.text.startsWith('.') ? `['${p.text.slice(1)}']` : p.text)).join('')}`;
        expect(parseConcretePath(quoted)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('wildcardIndices of any rendered path equals the path rendered with every index as [*]', () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/), fc.string({ maxLength: 6 }), fc.constantFrom('a[1]', "it's", 'x.y', '[*]', '0'));
    const segment = fc.oneof(name, fc.nat({ max: 1_000_000 }), fc.constant(-1));
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segs: Segment[]) => {
        expect(wildcardIndices(renderPath(segs))).toBe(renderPath(segs.map((s) => (typeof s === 'number' ? -1 : s))));
      }),
      { numRuns: 2000 },
    );
  });
});
