import { describe, expect, it } from 'vitest';
import type { DiffRecord } from '../model.js';
import { sampleRecord } from '../store/sample-records.js';
import { decodeBody, replayRequest, skipReason } from './request.js';

function withRequest(request: Partial<DiffRecord['request']>): DiffRecord {
  const r = sampleRecord(1);
  return { ...r, request: { ...r.request, ...request } };
}

describe('replayRequest', () => {
  it('drops hop-by-hop, host, content-length and redacted headers and adds the given ones, which win', () => {
    const r = withRequest({
      headers: {
        host: 'shop.example',
        connection: 'keep-alive',
        'transfer-encoding': 'chunked',
        'content-length': '12',
        cookie: '[redacted]',
        authorization: '[redacted]',
        accept: 'application/json',
        'x-tenant': 'old',
      },
    });
    const req = replayRequest(r, { Authorization: 'Bearer t', 'X-Tenant': 'new' });
    expect(req.headers).toEqual({ accept: 'application/json', authorization: 'Bearer t', 'x-tenant': 'new' });
    expect(req.method).toBe('GET');
    expect(req.url).toBe(r.request.url);
  });

  it('decodes text and base64: bodies', () => {
    expect(replayRequest(withRequest({ body: '{"a":1}' })).body?.toString()).toBe('{"a":1}');
    expect([...replayRequest(withRequest({ body: 'base64:AAH/' })).body!]).toEqual([0, 1, 255]);
    expect(replayRequest(withRequest({ body: null })).body).toBeNull();
    expect(decodeBody('')).toEqual(Buffer.alloc(0));
  });
});

describe('skipReason', () => {
  it('skips unsafe methods unless allowed', () => {
    const post = withRequest({ method: 'POST', body: '{}' });
    expect(skipReason(post, false)).toMatch(/--allow-unsafe/);
    expect(skipReason(post, true)).toBeNull();
    for (const m of ['GET', 'HEAD', 'OPTIONS', 'get']) expect(skipReason(withRequest({ method: m, body: null }), false)).toBeNull();
  });

  it('skips a request whose body was not recorded', () => {
    expect(skipReason(withRequest({ method: 'POST', body: null, headers: {} }), true)).not.toBeNull();
    expect(skipReason(withRequest({ method: 'PUT', body: null, headers: { 'content-length': '2000000' } }), true)).not.toBeNull();
    expect(skipReason(withRequest({ method: 'DELETE', body: null, headers: { 'content-length': '10' } }), true)).not.toBeNull();
    expect(skipReason(withRequest({ method: 'POST', body: null, headers: { 'content-length': '0' } }), true)).toBeNull();
    expect(skipReason(withRequest({ method: 'DELETE', body: null, headers: {} }), true)).toBeNull();
  });
});
