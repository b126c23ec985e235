/**
 * A real HTTP upstream on loopback for gateway tests: records every request it receives
 * (method, url, headers, body, in arrival order) and answers by a handler the test picks —
 * echo by default. Also raw HTTP over a TCP socket, for shapes fetch will not send.
 */
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendRaw } from '../../bench/gateway/probes/index.js';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export type Reply = (req: Received, res: ServerResponse, raw: IncomingMessage) => void;

export interface TestUpstream {
  readonly url: string;
  readonly port: number;
  readonly received: Received[];
  reply: Reply;
  readonly server: Server;
  close(): Promise<void>;
}

/** Answers 200 with `value` as JSON (and any extra headers). */
export function sendJson(res: ServerResponse, value: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** A reply that answers every request with `value` as JSON. */
export const jsonReply =
  (value: unknown, headers?: http.OutgoingHttpHeaders): Reply =>
  (_req, res) =>
    sendJson(res, value, headers);

export const echo: Reply = (req, res) => sendJson(res, req);

export async function startUpstream(reply: Reply = echo): Promise<TestUpstream> {
  const received: Received[] = [];
  const state = { reply };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      state.reply(r, res, req);
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get reply() {
      return state.reply;
    },
    set reply(r: Reply) {
      state.reply = r;
    },
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Upgraded sockets leave the server's bookkeeping; destroy every socket it accepted.
        for (const s of sockets) s.destroy();
      }),
  };
}

/** Sends raw bytes and collects everything the server answers until it closes or goes quiet. */
export function rawRequest(port: number, bytes: string, quietMs = 400): Promise<string> {
  return sendRaw(port, bytes, { quietMs });
}
