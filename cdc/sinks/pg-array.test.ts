import { describe, expect, it } from 'vitest';
import { quoteArrayElement, textArrayLiteral } from './pg-array.js';

describe('textArrayLiteral', () => {
  it('quotes every element and writes SQL NULL bare', () => {
    expect(textArrayLiteral(['a', null, ''])).toBe('{"a",NULL,""}');
  });

  it('keeps the word NULL, whitespace, commas and braces inside the quotes', () => {
    expect(textArrayLiteral(['NULL', ' a b ', 'x,y', '{}', '\t\n'])).toBe('{"NULL"," a b ","x,y","{}","\t\n"}');
  });

  it('escapes double quotes and backslashes, and nothing else', () => {
    expect(textArrayLiteral(['say "hi"', 'C:\\dir\\', '\\"', 'café 😀'])).toBe('{"say \\"hi\\"","C:\\\\dir\\\\","\\\\\\"","café 😀"}');
  });

  it('writes numbers and booleans bare, as their text', () => {
    expect(textArrayLiteral([1, -0.5, 1e21, NaN, -Infinity, true, false])).toBe('{1,-0.5,1e+21,NaN,-Infinity,true,false}');
  });

  it('writes an empty array as {}', () => {
    expect(textArrayLiteral([])).toBe('{}');
  });
});

describe('quoteArrayElement', () => {
  it('returns one quoted element', () => {
    expect(quoteArrayElement('a"b\\c')).toBe('"a\\"b\\\\c"');
  });
});
