import { describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import type { CompareConfig } from '../config/schema.js';
import { createComparer, isTruncationMarker, MAX_DIFFERENCES, type ComparedResponse } from './compare.js';

const JSON_CT = { 'content-type': 'application/json' };

function cfg(over: Partial<CompareConfig> = {}): CompareConfig {
  return { ignore: [], unorderedArrays: [], numericTolerance: 0, headers: ['content-type'], ...over };
}

function res(body: unknown, over: Partial<ComparedResponse> = {}): ComparedResponse {
  const buf = body === null ? null : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return { status: 200, headers: JSON_CT, body: buf, ...over };
}

function diff(config: CompareConfig, a: unknown, b: unknown) {
  return createComparer(config).compare(res(a), res(b));
}

describe('createComparer: bodies', () => {
  it('finds nothing for equal bytes', () => {
    const body = Buffer.from('{"a":1}');
    expect(createComparer(cfg()).compare(res(body), res(Buffer.from(body)))).toEqual([]);
    expect(createComparer(cfg()).compare(res(null), res(Buffer.alloc(0)))).toEqual([]);
  });

  it('treats reordered keys and whitespace as equal', () => {
    expect(diff(cfg(), '{"a":1,"b":{"x":[1,2],"y":null}}', '{ "b": { "y": null, "x": [1, 2] }, "a": 1 }')).toEqual([]);
  });

  it('reports changed, added, removed and type differences with JSON paths', () => {
    const a = { id: 7, name: 'pen', price: 1.5, tags: ['a', 'b'], meta: { old: true }, 'first name': 'x' };
    const b = { id: 7, name: 'Pen', price: '1.5', tags: ['a', 'b', 'c'], meta: { new: true }, 'first name': 'x' };
    expect(diff(cfg(), a, b)).toEqual([
      { path: '$.name', kind: 'changed', primary: 'pen', shadow: 'Pen' },
      { path: '$.price', kind: 'type', primary: 1.5, shadow: '1.5' },
      { path: '$.tags[2]', kind: 'added', shadow: 'c' },
      { path: '$.meta.old', kind: 'removed', primary: true },
      { path: '$.meta.new', kind: 'added', shadow: true },
    ]);
  });

  it('reports an array shorter on the shadow as removed elements', () => {
    expect(diff(cfg(), [1, 2, 3], [1])).toEqual([
      { path: '$[1]', kind: 'removed', primary: 2 },
      { path: '$[2]', kind: 'removed', primary: 3 },
    ]);
  });

  it('reports null vs object and array vs object as type changes', () => {
    expect(diff(cfg(), { a: null, b: [] }, { a: {}, b: {} })).toEqual([
      { path: '$.a', kind: 'type', primary: null, shadow: {} },
      { path: '$.b', kind: 'type', primary: [], shadow: {} },
    ]);
  });

  it('reports a changed scalar root at $', () => {
    expect(createComparer(cfg()).compare(res('1'), res('2'))).toEqual([{ path: '$', kind: 'changed', primary: 1, shadow: 2 }]);
  });

  it('skips ignored paths on either side, with wildcards and descent', () => {
    const c = cfg({ ignore: ['$.generatedAt', '$.items[*].updatedAt', '$..etag'] });
    const a = {
      generatedAt: 1,
      items: [
        { id: 1, updatedAt: 'x' },
        { id: 2, updatedAt: 'y' },
      ],
      deep: { etag: 'a' },
    };
    const b = { items: [{ id: 1, updatedAt: 'z' }, { id: 3 }], deep: { etag: 'b' }, etag: 'new' };
    expect(diff(c, a, b)).toEqual([{ path: '$.items[1].id', kind: 'changed', primary: 2, shadow: 3 }]);
  });

  it('ignores the whole body with $', () => {
    expect(diff(cfg({ ignore: ['$'] }), { a: 1 }, 'not json')).toEqual([]);
  });

  it('bracket-quotes member names that are not identifiers', () => {
    expect(diff(cfg(), { 'x-y': 1 }, { 'x-y': 2 })).toEqual([{ path: "$['x-y']", kind: 'changed', primary: 1, shadow: 2 }]);
  });

  it('truncates strings over 200 characters in values', () => {
    const [d] = diff(cfg(), { s: 'a'.repeat(300) }, { s: 'b'.repeat(300) });
    expect(d?.primary).toBe(`${'a'.repeat(200)}…`);
    expect(d?.shadow).toBe(`${'b'.repeat(200)}…`);
  });
});

describe('createComparer: unordered arrays', () => {
  const c = cfg({ unorderedArrays: ['$.items'] });

  it('treats the same multiset in another order as equal', () => {
    const a = { items: [{ id: 1, q: [1, 2] }, { id: 2 }, { id: 2 }, 'x'] };
    const b = { items: ['x', { id: 2 }, { q: [1, 2], id: 1 }, { id: 2 }] };
    expect(diff(c, a, b)).toEqual([]);
  });

  it('reports one changed element as removed + added at path[*]', () => {
    const a = { items: [{ id: 1 }, { id: 2, price: 5 }, { id: 3 }] };
    const b = { items: [{ id: 3 }, { id: 1 }, { id: 2, price: 6 }] };
    expect(diff(c, a, b)).toEqual([
      { path: '$.items[*]', kind: 'removed', primary: { id: 2, price: 5 } },
      { path: '$.items[*]', kind: 'added', shadow: { id: 2, price: 6 } },
    ]);
  });

  it('counts duplicates (multiset, not set)', () => {
    expect(diff(c, { items: [1, 1, 2] }, { items: [1, 2, 2] })).toEqual([
      { path: '$.items[*]', kind: 'removed', primary: 1 },
      { path: '$.items[*]', kind: 'added', shadow: 2 },
    ]);
  });

  it('leaves ignored members out when pairing elements', () => {
    const c2 = cfg({ unorderedArrays: ['$.items'], ignore: ['$.items[*].updatedAt'] });
    expect(
      diff(
        c2,
        {
          items: [
            { id: 1, updatedAt: 'a' },
            { id: 2, updatedAt: 'b' },
          ],
        },
        { items: [{ id: 2, updatedAt: 'c' }, { id: 1 }] },
      ),
    ).toEqual([]);
  });

  it('pairs elements within the numeric tolerance', () => {
    const c2 = cfg({ unorderedArrays: ['$.items'], numericTolerance: 0.01 });
    expect(diff(c2, { items: [{ p: 100 }, { p: 200 }] }, { items: [{ p: 200.5 }, { p: 100.5 }] })).toEqual([]);
  });

  it('sorts nested unordered arrays inside elements', () => {
    const c2 = cfg({ unorderedArrays: ['$.orders', '$.orders[*].lines'] });
    expect(diff(c2, { orders: [{ lines: [1, 2] }, { lines: [3] }] }, { orders: [{ lines: [3] }, { lines: [2, 1] }] })).toEqual([]);
  });

  it('keeps other arrays ordered', () => {
    expect(diff(c, { other: [1, 2] }, { other: [2, 1] })).toHaveLength(2);
  });
});

describe('createComparer: numbers', () => {
  it('treats numbers within the relative tolerance as equal', () => {
    const c = cfg({ numericTolerance: 0.001 });
    expect(diff(c, { a: 1000, b: 0 }, { a: 1000.9, b: 0 })).toEqual([]);
    expect(diff(c, { a: 1000 }, { a: 1002 })).toEqual([{ path: '$.a', kind: 'changed', primary: 1000, shadow: 1002 }]);
    expect(diff(c, { a: 0 }, { a: 1e-9 })).toHaveLength(1);
  });

  it('compares numbers exactly without a tolerance, 1.0 equal to 1', () => {
    expect(diff(cfg(), '{"a":1.0}', '{"a":1}')).toEqual([]);
    expect(diff(cfg(), { a: 0.1 + 0.2 }, { a: 0.3 })).toHaveLength(1);
  });
});

describe('createComparer: status and headers', () => {
  it('reports status and configured headers first, names case-insensitive', () => {
    const c = createComparer(cfg({ headers: ['Content-Type', 'x-version'] }));
    const primary = res({ a: 1 }, { headers: { 'content-type': 'application/json', 'x-version': ['1', '2'] } });
    const shadow = res({ a: 2 }, { status: 500, headers: { 'Content-Type': 'text/plain', 'X-Version': '1, 2' } });
    expect(c.compare(primary, shadow)).toEqual([
      { path: 'status', kind: 'status', primary: 200, shadow: 500 },
      { path: 'headers.content-type', kind: 'header', primary: 'application/json', shadow: 'text/plain' },
      { path: '$.a', kind: 'changed', primary: 1, shadow: 2 },
    ]);
  });

  it('reports a header missing on one side with an absent value', () => {
    const c = createComparer(cfg({ headers: ['etag'] }));
    expect(c.compare(res(null, { headers: { etag: '"1"' } }), res(null, { headers: {} }))).toEqual([
      { path: 'headers.etag', kind: 'header', primary: '"1"', shadow: undefined },
    ]);
  });

  it('drops headers named in ignore as headers.<name>', () => {
    const c = createComparer(cfg({ headers: ['content-type', 'date'], ignore: ['Headers.Date'] }));
    expect(c.compare(res(null, { headers: { date: 'a' } }), res(null, { headers: { date: 'b' } }))).toEqual([]);
  });
});

describe('createComparer: non-JSON bodies', () => {
  const text = { 'content-type': 'text/html' };

  it('reports one body difference with excerpts around the first differing byte', () => {
    const head = 'x'.repeat(500);
    const out = createComparer(cfg()).compare(res(`${head}<b>old</b>`, { headers: text }), res(`${head}<b>new</b>`, { headers: text }));
    expect(out).toHaveLength(1);
    const d = out[0]!;
    expect(d).toMatchObject({ path: 'body', kind: 'body' });
    expect(d.primary).toMatch(/^….*<b>old<\/b>$/);
    expect(d.shadow).toMatch(/<b>new<\/b>$/);
    expect((d.primary as string).length).toBeLessThan(200);
  });

  it('reports JSON on one side and text on the other as a body difference', () => {
    const out = createComparer(cfg()).compare(res({ a: 1 }), res('oops', { headers: text }));
    expect(out).toEqual([
      { path: 'headers.content-type', kind: 'header', primary: 'application/json', shadow: 'text/html' },
      { path: 'body', kind: 'body', primary: '{"a":1}', shadow: 'oops' },
    ]);
  });

  it('does not try JSON for text that only looks like it', () => {
    const out = createComparer(cfg()).compare(res('{"a":1', { headers: JSON_CT }), res('{"a":2', { headers: JSON_CT }));
    expect(out).toEqual([{ path: 'body', kind: 'body', primary: '{"a":1', shadow: '{"a":2' }]);
  });

  it('parses JSON by content type even when it does not start with { or [', () => {
    expect(createComparer(cfg()).compare(res('"a"'), res('"b"'))).toEqual([{ path: '$', kind: 'changed', primary: 'a', shadow: 'b' }]);
  });

  it('shows binary bodies as base64 excerpts', () => {
    const bin = { 'content-type': 'application/octet-stream' };
    const out = createComparer(cfg()).compare(res(Buffer.from([0xff, 0x00, 0x01]), { headers: bin }), res(Buffer.from([0xff, 0x00, 0x02]), { headers: bin }));
    expect(out).toEqual([
      {
        path: 'body',
        kind: 'body',
        primary: `base64:${Buffer.from([0xff, 0, 1]).toString('base64')}`,
        shadow: `base64:${Buffer.from([0xff, 0, 2]).toString('base64')}`,
      },
    ]);
  });
});

describe('createComparer: the cap', () => {
  it('lists at most 100 entries, the last one a truncation marker', () => {
    const a = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, -i - 1]));
    const out = createComparer(cfg()).compare(res(a, { status: 200 }), res(b, { status: 201 }));
    expect(out).toHaveLength(MAX_DIFFERENCES);
    expect(out[0]?.kind).toBe('status');
    expect(out.slice(0, -1).some(isTruncationMarker)).toBe(false);
    const last = out.at(-1)!;
    expect(isTruncationMarker(last)).toBe(true);
    expect(last).toMatchObject({ path: '$', kind: 'changed', primary: { truncated: true, listed: 99 } });
  });

  it('keeps exactly 100 differences without a marker', () => {
    const a = Array.from({ length: 100 }, (_, i) => i);
    const out = createComparer(cfg()).compare(res(a), res(a.map((x) => x + 1)));
    expect(out).toHaveLength(100);
    expect(out.some(isTruncationMarker)).toBe(false);
  });

  it('honours maxDifferences', () => {
    const out = createComparer(cfg(), { maxDifferences: 3 }).compare(res([1, 2, 3, 4]), res([5, 6, 7, 8]));
    expect(out.map((d) => d.path)).toEqual(['$[0]', '$[1]', '$']);
    expect(isTruncationMarker(out[2]!)).toBe(true);
  });

  it('does not mistake a real root change for the marker', () => {
    expect(isTruncationMarker({ path: '$', kind: 'changed', primary: 1, shadow: 2 })).toBe(false);
  });
});

describe('createComparer: config errors', () => {
  it.each([{ ignore: ['items'] }, { ignore: ['$.a['] }, { ignore: ['headers.'] }, { unorderedArrays: ['$..'] }])('refuses %j with GW_CONFIG', (over) => {
    let code: string | undefined;
    try {
      createComparer(cfg(over), { where: 'routes[0].shadow.compare' });
    } catch (err) {
      code = (err as FicusError).code;
      expect(JSON.stringify((err as FicusError).details)).toContain('routes[0].shadow.compare.');
    }
    expect(code).toBe('GW_CONFIG');
  });
});

describe('createComparer: hostile input', () => {
  it('survives very deep nesting', () => {
    const deep = (v: number) => `${'['.repeat(5000)}${v}${']'.repeat(5000)}`;
    const out = createComparer(cfg()).compare(res(deep(1)), res(deep(2)));
    expect(out).toHaveLength(1);
    expect(out[0]?.kind).toBe('changed');
  });

  it('handles __proto__ members as data', () => {
    expect(diff(cfg(), '{"__proto__":{"a":1}}', '{"__proto__":{"a":2}}')).toEqual([{ path: '$.__proto__.a', kind: 'changed', primary: 1, shadow: 2 }]);
  });
});
