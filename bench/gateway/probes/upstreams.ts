/**
 * The two real upstreams a probed proxy fronts, on loopback: the monolith and a service. Both
 * record every request they complete (method, url, headers, body, in arrival order) and every
 * one they begin, complete or not, and answer with an echo of what they received. A path under
 * `/hang` is never answered (the client-abort probe: its connection closing is recorded as a
 * cancel); the monolith accepts WebSocket upgrades (101, then echoes each read as `echo:<bytes>`).
 */
import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Side } from './model.js';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface RecordingUpstream {
  readonly port: number;
  readonly url: string;
  /** Requests completed (body read to its end), in arrival order. */
  readonly received: Received[];
  readonly server: Server;
}

export interface ProbeUpstreams {
  readonly monolith: RecordingUpstream;
  readonly service: RecordingUpstream;
  /** `side METHOD url` of every request an upstream began, complete or not. */
  readonly started: string[];
  /** `side METHOD url` of every unanswered request whose connection closed. */
  readonly cancelled: string[];
  close(): Promise<void>;
}

/** RFC 6455 §4.2.2: the accept value for a Sec-WebSocket-Key. */
const accept = (key: string): string => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');

async function startOne(side: Side, started: string[], cancelled: string[], sockets: Set<Duplex>): Promise<RecordingUpstream> {
  const received: Received[] = [];
  const record = (req: IncomingMessage, body: string): void => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
  };
  const server = http.createServer((req, res) => {
    const line = `${side} ${req.method} ${req.url}`;
    started.push(line);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      record(req, Buffer.concat(chunks).toString('utf8'));
      if (req.url?.startsWith('/hang')) {
        res.on('close', () => cancelled.push(line));
        return;
      }
      const body = JSON.stringify(received[received.length - 1]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  if (side === 'monolith') {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      started.push(`${side} ${req.method} ${req.url}`);
      record(req, '');
      const key = req.headers['sec-websocket-key'];
      if (req.headers.upgrade?.toLowerCase() !== 'websocket' || typeof key !== 'string') {
        socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n\r\n`);
      socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString('latin1')}`));
      socket.on('error', () => socket.destroy());
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: `http://127.0.0.1:${port}`, received, server };
}

export async function startProbeUpstreams(): Promise<ProbeUpstreams> {
  const started: string[] = [];
  const cancelled: string[] = [];
  const sockets = new Set<Duplex>();
  const monolith = await startOne('monolith', started, cancelled, sockets);
  const service = await startOne('service', started, cancelled, sockets);
  return {
    monolith,
    service,
    started,
    cancelled,
    close: async () => {
      const closed = [monolith, service].map((u) => new Promise<void>((resolve) => u.server.close(() => resolve())));
      // Upgraded and hung sockets keep a server open; destroy every socket it accepted.
      for (const s of sockets) s.destroy();
      await Promise.all(closed);
    },
  };
}
