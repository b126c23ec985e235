/**
 * The processes the gateway benchmark runs, each started by bench/gateway/run.ts under
 * `taskset` on the server core: a JSON upstream (fixed body of a given size; `--vary` changes
 * one field per request, as a shadow that differs only in an ignored field would; `--differ`
 * answers with every item's name changed, as a wrong shadow would; `--delay-ms N` answers each
 * request N ms late, as a slow one would), and plain http-proxy as the baseline proxy (keep-alive
 * agent, as its docs recommend for throughput).
 *
 * `held` is a shadow side that stalls: it keeps requests until `count` wait, then, `delayMs` later,
 * answers them all at once with a body that differs from the upstream's in every item's name.
 *
 * Usage: node dist/bench/gateway/servers.js upstream <port> <bytes> [--vary | --differ] [--delay-ms N]
 *        node dist/bench/gateway/servers.js http-proxy <port> <target-url>
 *        node dist/bench/gateway/servers.js held <port> <bytes> <count> [delayMs]
 */
import http from 'node:http';
import httpProxy from 'http-proxy';

function jsonBody(bytes: number, extra: string): string {
  const items: { id: number; name: string; price: number }[] = [];
  let text = '';
  for (let i = 0; ; i++) {
    items.push({ id: i, name: `Item number ${i}`, price: 10 + (i % 90) });
    text = JSON.stringify({ generatedAt: extra, items });
    if (text.length >= bytes - 40) break;
  }
  return text;
}

const argv = process.argv.slice(2);
const [kind, portText, arg, flag, extra] = argv;
const port = Number(portText);
if (kind === 'upstream') {
  const size = Number(arg);
  const delayAt = argv.indexOf('--delay-ms');
  const delayMs = delayAt < 0 ? 0 : Number(argv[delayAt + 1]);
  // Bodies are prebuilt Buffers so the upstream costs as little as possible per request: with
  // --vary it rotates through 64 variants that differ only in generatedAt (same length).
  let template = jsonBody(size, 'v000000000');
  if (argv.includes('--differ')) template = template.replaceAll('Item number', 'Item no.');
  const variants = Array.from({ length: argv.includes('--vary') ? 64 : 1 }, (_, i) =>
    Buffer.from(template.replace('v000000000', `v${String(i).padStart(9, '0')}`)),
  );
  let n = 0;
  const answer = (res: http.ServerResponse, body: Buffer): void => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  };
  http
    .createServer((req, res) => {
      req.resume();
      const body = variants[n++ % variants.length]!;
      if (delayMs > 0) setTimeout(answer, delayMs, res, body);
      else answer(res, body);
    })
    .listen(port, '127.0.0.1');
} else if (kind === 'http-proxy') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const proxy = httpProxy.createProxyServer({ target: arg, agent });
  proxy.on('error', (_err, _req, res) => {
    (res as http.ServerResponse).writeHead(502);
    (res as http.ServerResponse).end();
  });
  http.createServer((req, res) => proxy.web(req, res)).listen(port, '127.0.0.1');
} else if (kind === 'held') {
  const body = Buffer.from(jsonBody(Number(arg), 'v000000000').replaceAll('Item number', 'Item no.'));
  const count = Number(flag);
  const delayMs = Number(extra ?? 100);
  let waiting: http.ServerResponse[] = [];
  http
    .createServer((req, res) => {
      req.resume();
      waiting.push(res);
      if (waiting.length < count) return;
      const answer = waiting;
      waiting = [];
      setTimeout(() => {
        for (const r of answer) r.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      }, delayMs);
    })
    .listen(port, '127.0.0.1');
} else {
  process.stderr.write(
    'usage: servers upstream <port> <bytes> [--vary | --differ] [--delay-ms N] | http-proxy <port> <target> | held <port> <bytes> <count> [delayMs]\n',
  );
  process.exitCode = 2;
}
