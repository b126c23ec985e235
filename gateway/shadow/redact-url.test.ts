import { describe, expect, it } from 'vitest';
import { redactQuery } from './redact-url.js';

describe('redactQuery', () => {
  it('replaces the values of secret parameters and keeps everything else byte for byte', () => {
    expect(redactQuery('/p?id=7&api_key=abc&Access-Token=x%20y&q=a+b#frag')).toBe('/p?id=7&api_key=[redacted]&Access-Token=[redacted]&q=a+b#frag');
    expect(redactQuery('/p?password=1&sig=2&tokenCount=3')).toBe('/p?password=[redacted]&sig=[redacted]&tokenCount=3');
    expect(redactQuery('/p?%74oken=1')).toBe('/p?%74oken=[redacted]');
  });

  it('returns the same string when there is nothing to redact', () => {
    const url = '/products?limit=5&offset=10';
    expect(redactQuery(url)).toBe(url);
    expect(redactQuery('/plain')).toBe('/plain');
    expect(redactQuery('/p?flag&%zz=1')).toBe('/p?flag&%zz=1');
  });
});
