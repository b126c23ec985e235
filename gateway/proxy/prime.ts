/**
 * Priming the I/O paths before the gateway takes traffic: a few exchanges on loopback, against a
 * private server that is closed again, that end the ways connections end in production — answered
 * and kept alive, answered with `Connection: close`, reset by the server, a request body, a client
 * that goes away mid-request, an upstream that never answers (the headers timeout destroys the
 * socket with an error), a refused connection, a pool closed gracefully (what a reload does).
 *
 * Why: V8 optimises Node's stream and socket code (Readable.push/read, onStreamRead, endReadableNT,
 * undici's client loop) for the object shapes it has seen. The first socket torn down with an
 * error, or the first pool closed, while traffic is hot, changes those shapes (a field that held
 * a handle becomes null, `errored` gets an Error) and deoptimises that code for every connection
 * at once; it runs several times slower until it is optimised again. Measured (`--trace-deopt`,
 * a paced load of ~8k req/s): after the first hung shadow call timed out, ~30 hot functions
 * deoptimised and requests cost 3–4 × more for ~0.5 s (the 250 ms window's p99 5 → 12–15 ms);
 * `npm run bench -- reliability` put p99 at +39 % (hung shadow) and +54 % (config reloaded
 * every second) over its baseline without priming, +21 % and +6 % with it. Seen here, the
 * shapes change when it happens first, so it is made to happen here, where nothing is hot yet.
 * It takes a few tens of milliseconds and touches nothing outside this process.
 */
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { callSide, type Answer } from '../shadow/call.js';
import { closeUpstreams, createUpstream, type Upstream } from './upstreams.js';

/** How the priming exchanges ended, by kind (each kind is meant to happen). */
export interface PrimeReport {
  /** Answered with 200 (kept alive, or with `Connection: close`). */
  readonly answered: number;
  /** Ended by the headers timeout (the socket destroyed with an error). */
  readonly timedOut: number;
  /** Reset by the server mid-exchange. */
  readonly reset: number;
  /** Refused at connect. */
  readonly refused: number;
  /** Anything else (not expected; counted so it shows). */
  readonly other: number;
  readonly ms: number;
}

const BODY = JSON.stringify({ primed: true, items: [1, 2, 3] });
/** undici checks headers timeouts on a timer ticking about every half second: it fires within ~1 s. */
const SILENT_TIMEOUT_MS = 20;

/** A loopback server playing each kind of ending, by path. */
function primingServer(): http.Server {
  const server = http.createServer((req, res) => {
    if (req.url === '/silent') return; // never answers: the caller's headers timeout ends it
    if (req.url === '/reset') {
      req.socket.destroy();
      return;
    }
    req.on('error', () => undefined); // the abandoned request ends in a reset
    req.on('data', () => undefined);
    req.on('end', () => {
      if (req.url === '/close') res.setHeader('connection', 'close');
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) }).end(BODY);
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}

/** A client that sends half a request and goes away (the server sees the connection reset). */
async function abandon(port: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write('POST /body HTTP/1.1\r\nhost: prime\r\ncontent-length: 100\r\n\r\n{"half":');
  await new Promise((r) => setTimeout(r, 2));
  socket.destroy();
}

/** A port nobody listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * Runs the priming exchanges: two rounds of the quick ones (the second meets the shapes the first
 * left) while one call waits out its headers timeout (undici checks those on a coarse timer, so
 * this takes up to about a second). Never throws for an exchange's outcome; rejects only when no
 * loopback socket can be opened.
 */
export async function primeIoPaths(): Promise<PrimeReport> {
  const t0 = performance.now();
  const server = primingServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const refused = await closedPort();
  const report = { answered: 0, timedOut: 0, reset: 0, refused: 0, other: 0 };
  const count = (a: Answer | null): void => {
    if (a === null) return;
    if (a.error === undefined) report[a.status === 200 ? 'answered' : 'other']++;
    else if (a.error === 'UND_ERR_HEADERS_TIMEOUT') report.timedOut++;
    else if (a.error === 'UND_ERR_SOCKET') report.reset++;
    else if (a.error === 'ECONNREFUSED') report.refused++;
    else report.other++;
  };
  const upstream = (name: string, p: number) => createUpstream(name, { url: `http://127.0.0.1:${p}`, timeoutMs: 1_000, connections: 4, hostRewrite: false });
  const call = (up: Upstream, method: string, url: string, body = '', timeoutMs = 1_000): Promise<Answer> =>
    callSide(up, { method, url, headers: { host: 'prime', 'content-type': 'application/json' }, body: Buffer.from(body) }, timeoutMs, 1 << 20);
  const open = new Set<Upstream>();
  const opened = (name: string, p: number): Upstream => {
    const up = upstream(name, p);
    open.add(up);
    return up;
  };
  /** Closes gracefully, as a reload closes the pools it no longer needs. */
  const close = (...ups: Upstream[]): Promise<void> => {
    for (const u of ups) open.delete(u);
    return closeUpstreams(ups, 200);
  };
  try {
    const slow = opened('prime-silent', port);
    const silent = call(slow, 'GET', '/silent', '', SILENT_TIMEOUT_MS);
    for (let round = 0; round < 2; round++) {
      const up = opened('prime', port);
      const down = opened('prime-refused', refused);
      const answers = await Promise.all([
        call(up, 'GET', '/'),
        call(up, 'PUT', '/body', BODY),
        call(up, 'GET', '/close'),
        call(up, 'GET', '/reset'),
        call(down, 'GET', '/'),
        abandon(port).then(() => null),
      ]);
      answers.forEach(count);
      await close(up, down);
    }
    count(await silent);
  } finally {
    await close(...open);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
  return { ...report, ms: performance.now() - t0 };
}
