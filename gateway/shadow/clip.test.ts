import { describe, expect, it } from 'vitest';
import { bodyExcerpt, clipValue, firstDifference } from './clip.js';
import { NOT_JSON, parseJsonBody } from './json-body.js';

describe('clipValue', () => {
  it('keeps scalars, cuts long strings, bounds containers and depth', () => {
    expect(clipValue(1)).toBe(1);
    expect(clipValue(null)).toBeNull();
    expect(clipValue(undefined)).toBeUndefined();
    expect(clipValue('x'.repeat(201))).toBe(`${'x'.repeat(200)}…`);
    const arr = clipValue(Array.from({ length: 25 }, (_, i) => i)) as unknown[];
    expect(arr).toHaveLength(21);
    expect(arr[20]).toBe('…5 more');
    const obj = clipValue(Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`k${i}`, i]))) as Record<string, unknown>;
    expect(Object.keys(obj)).toHaveLength(21);
    expect(obj['…']).toBe('2 more');
    expect(clipValue({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '{…}' } } } });
  });
});

describe('bodyExcerpt and firstDifference', () => {
  it('finds the first differing byte past long equal prefixes', () => {
    const a = Buffer.alloc(5000, 0x61);
    const b = Buffer.from(a);
    b[4321] = 0x62;
    expect(firstDifference(a, b)).toBe(4321);
    expect(firstDifference(Buffer.from('abc'), Buffer.from('abcd'))).toBe(3);
  });

  it('cuts text excerpts on character boundaries', () => {
    const body = Buffer.from(`${'é'.repeat(100)}X${'é'.repeat(100)}`);
    const at = body.indexOf('X');
    const ex = bodyExcerpt(body, at);
    expect(ex).toContain('X');
    expect(ex).not.toContain('\uFFFD');
    expect(ex.startsWith('…') && ex.endsWith('…')).toBe(true);
  });
});

describe('parseJsonBody', () => {
  it('parses by content type or leading { / [, skipping a BOM and blanks', () => {
    expect(parseJsonBody(Buffer.from('\uFEFF  {"a":1}'), undefined)).toEqual({ a: 1 });
    expect(parseJsonBody(Buffer.from('42'), 'application/problem+json; charset=utf-8')).toBe(42);
    expect(parseJsonBody(Buffer.from('42'), 'text/plain')).toBe(NOT_JSON);
    expect(parseJsonBody(Buffer.from('[1,'), 'application/json')).toBe(NOT_JSON);
    expect(parseJsonBody(Buffer.from('   '), 'application/json')).toBe(NOT_JSON);
    expect(parseJsonBody(null, 'application/json')).toBe(NOT_JSON);
  });
});
