import { describe, expect, it } from 'vitest';
import { FicusError } from '../../core/index.js';
import { createRedactor, DEFAULT_SECRET_KEYS, isSecretKey, REDACTED, redactBody, redactDifferences, redactHeaders } from './redact.js';

const JSON_CT = 'application/json';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('redactHeaders', () => {
  it('redacts credentials and cookies, case-insensitively, and lower-cases names', () => {
    const out = redactHeaders({
      Authorization: 'Bearer abc',
      'proxy-authorization': 'Basic x',
      cookie: 'sid=1',
      'set-cookie': ['a=1', 'b=2'],
      Accept: 'application/json',
    });
    expect(out).toEqual({ authorization: REDACTED, 'proxy-authorization': REDACTED, cookie: REDACTED, 'set-cookie': REDACTED, accept: 'application/json' });
  });

  it('redacts extra names, with or without the headers. prefix, and skips JSON paths', () => {
    const out = redactHeaders({ 'x-api-key': 'k', 'x-session': 's', 'x-kept': 'v' }, ['X-Api-Key', 'headers.x-session', '$.password']);
    expect(out).toEqual({ 'x-api-key': REDACTED, 'x-session': REDACTED, 'x-kept': 'v' });
  });

  it('joins multi-valued headers and drops absent values', () => {
    expect(redactHeaders({ via: ['1.1 a', '1.1 b'], 'content-length': 12, gone: undefined })).toEqual({ via: '1.1 a, 1.1 b', 'content-length': '12' });
  });

  it('keeps a header named __proto__ as data', () => {
    const out = redactHeaders({ __proto__: 'x' } as unknown as Record<string, string>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('redactBody', () => {
  it('redacts the default secret keys at any depth, in any spelling', () => {
    const body = { user: 'ann', password: 'pw', nested: [{ api_key: 'k', Access_Token: 't', tokenCount: 3 }], card: { cardNumber: '4111', CVV: '123' } };
    expect(JSON.parse(redactBody(json(body), JSON_CT, [], 1 << 20)!)).toEqual({
      user: 'ann',
      password: REDACTED,
      nested: [{ api_key: REDACTED, Access_Token: REDACTED, tokenCount: 3 }],
      card: { cardNumber: REDACTED, CVV: REDACTED },
    });
  });

  it('redacts configured JSON paths, wildcards and descent included', () => {
    const body = { customer: { ssn: '1', name: 'x' }, items: [{ iban: 'a' }, { iban: 'b' }], deep: { x: { dob: 'd' } } };
    const out = JSON.parse(redactBody(json(body), JSON_CT, ['$.customer.ssn', '$.items[*].iban', '$..dob', 'x-header'], 1 << 20)!);
    expect(out).toEqual({ customer: { ssn: REDACTED, name: 'x' }, items: [{ iban: REDACTED }, { iban: REDACTED }], deep: { x: { dob: REDACTED } } });
  });

  it('keeps a body that needs no redaction byte for byte', () => {
    const text = '{ "a" : 1.0,\n  "b": [1, 2] }';
    expect(redactBody(Buffer.from(text), JSON_CT, [], 1 << 20)).toBe(text);
  });

  it('detects JSON without a content type and redacts it', () => {
    expect(redactBody(Buffer.from('{"token":"t"}'), undefined, [], 100)).toBe('{"token":"[redacted]"}');
  });

  it('redacts secret fields of urlencoded forms', () => {
    expect(redactBody(Buffer.from('user=ann&password=pw&ssn=9'), 'application/x-www-form-urlencoded', ['$.ssn'], 100)).toBe(
      'user=ann&password=%5Bredacted%5D&ssn=%5Bredacted%5D',
    );
  });

  it('records binary bodies as base64 and text as text', () => {
    const bin = Buffer.from([0xff, 0xfe, 0x00, 0x10]);
    expect(redactBody(bin, 'application/octet-stream', [], 100)).toBe(`base64:${bin.toString('base64')}`);
    expect(redactBody(Buffer.from('héllo'), 'text/plain', [], 100)).toBe('héllo');
  });

  it('encodes text that starts with base64: so decoding stays unambiguous', () => {
    const b = Buffer.from('base64:abc');
    expect(redactBody(b, 'text/plain', [], 100)).toBe(`base64:${b.toString('base64')}`);
  });

  it('returns null for empty bodies and bodies over the cap', () => {
    expect(redactBody(null, JSON_CT, [], 100)).toBeNull();
    expect(redactBody(Buffer.alloc(0), JSON_CT, [], 100)).toBeNull();
    expect(redactBody(Buffer.from('12345'), 'text/plain', [], 4)).toBeNull();
    expect(redactBody(Buffer.from('1234'), 'text/plain', [], 4)).toBe('1234');
  });

  it('refuses a bad JSON path with GW_CONFIG', () => {
    let code: string | undefined;
    try {
      createRedactor(['$.a[']);
    } catch (err) {
      code = (err as FicusError).code;
    }
    expect(code).toBe('GW_CONFIG');
  });
});

describe('redactDifferences', () => {
  it('redacts values on secret keys, configured paths, inside subtrees and on redacted headers', () => {
    const out = redactDifferences(
      [
        { path: '$.user.password', kind: 'changed', primary: 'a', shadow: 'b' },
        { path: '$.ssn', kind: 'removed', primary: '123' },
        { path: '$.items[*]', kind: 'added', shadow: { id: 1, token: 't' } },
        { path: 'headers.set-cookie', kind: 'header', primary: 'a=1', shadow: undefined },
        { path: '$.price', kind: 'changed', primary: 1, shadow: 2 },
        { path: 'status', kind: 'status', primary: 200, shadow: 500 },
      ],
      ['$.ssn'],
    );
    expect(out).toEqual([
      { path: '$.user.password', kind: 'changed', primary: REDACTED, shadow: REDACTED },
      { path: '$.ssn', kind: 'removed', primary: REDACTED },
      { path: '$.items[*]', kind: 'added', shadow: { id: 1, token: REDACTED } },
      { path: 'headers.set-cookie', kind: 'header', primary: REDACTED },
      { path: '$.price', kind: 'changed', primary: 1, shadow: 2 },
      { path: 'status', kind: 'status', primary: 200, shadow: 500 },
    ]);
  });

  it('returns the same value object when nothing is redacted', () => {
    const r = createRedactor();
    const v = { a: [1, { b: 2 }] };
    expect(r.value(v)).toBe(v);
  });
});

describe('the default secret keys', () => {
  it('are documented and matched whole, ignoring case, _ and -', () => {
    expect(DEFAULT_SECRET_KEYS).toEqual(
      expect.arrayContaining(['password', 'token', 'secret', 'apiKey', 'accessToken', 'refreshToken', 'creditCard', 'cardNumber', 'cvv']),
    );
    expect(['PASSWORD', 'refresh_token', 'api-key', 'Credit_Card'].every(isSecretKey)).toBe(true);
    expect(['tokens', 'passwordHint', 'secretary', 'id'].some(isSecretKey)).toBe(false);
  });
});
