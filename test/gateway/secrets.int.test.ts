// Secrets never leave the request they came in: credentials in headers, cookies, query strings
// and JSON bodies, secrets in the upstream's answers, and a wrong admin token are sent through a
// gateway shadowing between two real upstreams that disagree (so every exchange is recorded),
// with debug-level logs captured — and not one secret appears in the logs, the diff files on
// disk, or the admin API's /diffs.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.js';
import { buildAdmin, buildGateway, parseGatewayConfig, type Gateway } from '../../gateway/index.js';
import { startUpstream, type TestUpstream } from './upstream.js';

const SECRETS = {
  bearer: 'S3CRET-bearer-7f1c',
  cookie: 'S3CRET-cookie-90aa',
  query: 'S3CRET-query-41b2',
  apiKey: 'S3CRET-apikey-c0de',
  password: 'S3CRET-password-5e5e',
  card: 'S3CRET-card-4111',
  setCookie: 'S3CRET-setcookie-77ab',
  answerToken: 'S3CRET-answer-token-d00d',
  adminGuess: 'S3CRET-admin-guess-0123456789',
};
const TOKEN = 'secrets-test-admin-token-0123';

describe('secrets stay out of logs and diff records', () => {
  let dir: string;
  let monolith: TestUpstream;
  let service: TestUpstream;
  let gw: Gateway;
  let admin: ReturnType<typeof buildAdmin>;
  let base: string;
  let adminUrl: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ficus-secrets-'));
    const answer = (version: number) => (_req: unknown, res: import('node:http').ServerResponse) => {
      const body = JSON.stringify({ version, session: { token: SECRETS.answerToken } });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `sid=${SECRETS.setCookie}; HttpOnly`, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    monolith = await startUpstream(answer(1));
    service = await startUpstream(answer(2));
    const config = parseGatewayConfig(`
admin: { token: ${TOKEN} }
upstreams:
  monolith: { url: ${monolith.url} }
  service: { url: ${service.url} }
routes:
  - id: all
    match: { path: / }
    service: service
    mode: shadow
    shadow: { unsafeMethods: always, redact: [x-api-key], compare: { headers: [content-type, set-cookie] } }
diffs: { store: ndjson, path: ${join(dir, 'diffs')} }
`);
    const destination = new Writable({ write: (chunk: Buffer, _e, cb) => (logs.push(chunk.toString('utf8')), cb()) });
    const logger = createLogger({ level: 'debug', destination });
    gw = await buildGateway({ config, logger });
    base = `http://127.0.0.1:${(await gw.listen(0, '127.0.0.1')).port}`;
    admin = buildAdmin(gw, { logger });
    adminUrl = await admin.listen({ port: 0, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await admin?.close();
    await gw?.close(200);
    await monolith?.close();
    await service?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('records and logs the exchanges with every secret replaced', async () => {
    const headers = { authorization: `Bearer ${SECRETS.bearer}`, cookie: `sid=${SECRETS.cookie}`, 'x-api-key': SECRETS.apiKey, 'content-type': 'application/json' };
    const get = await fetch(`${base}/account?id=7&access_token=${SECRETS.query}`, { headers });
    expect(get.status).toBe(200);
    await get.text();
    const post = await fetch(`${base}/account/card`, { method: 'POST', headers, body: JSON.stringify({ user: 'ann', password: SECRETS.password, card: { cardNumber: SECRETS.card } }) });
    expect(post.status).toBe(200);
    await post.text();
    const refused = await fetch(`${adminUrl}/routes`, { headers: { authorization: `Bearer ${SECRETS.adminGuess}` } });
    expect(refused.status).toBe(401);
    for (let i = 0; i < 100 && gw.dispatcher.pending > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await gw.writer.flush();

    const files = await readdir(join(dir, 'diffs'));
    const onDisk = (await Promise.all(files.map((f) => readFile(join(dir, 'diffs', f), 'utf8')))).join('\n');
    const viaAdmin = await (await fetch(`${adminUrl}/diffs?includeNoise=true`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const records = JSON.parse(viaAdmin).diffs as { request: { url: string; body: string | null } }[];
    expect(records).toHaveLength(2); // both exchanges were recorded, so there was something to leak
    expect(records.map((r) => r.request.url)).toContain('/account?id=7&access_token=[redacted]');
    expect(logs.some((l) => l.includes('"request"'))).toBe(true); // the access log ran
    for (const [where, text] of [['logs', logs.join('')], ['diff files', onDisk], ['admin /diffs', viaAdmin]] as const) {
      for (const [name, secret] of Object.entries(SECRETS)) expect({ where, name, leaked: text.includes(secret) }).toEqual({ where, name, leaked: false });
    }
  });
});
