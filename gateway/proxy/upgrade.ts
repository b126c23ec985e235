/**
 * WebSocket (and other `Upgrade:`) requests pass through: the route decides the side as for
 * any request (no shadowing — a live socket cannot be replayed), the upgrade is made to the
 * upstream with undici, the 101 answer is relayed with its headers, and the two sockets are
 * piped both ways until either end closes. A refused upgrade answers 502.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { decide } from '../routing/decide.js';
import { cohortKey } from '../routing/cohort.js';
import { normalisePath, splitTarget } from '../routing/path.js';
import type { GatewayRuntime } from '../runtime.js';
import { clientAddress, hostProblem, upstreamRequestHeaders } from './headers.js';

function refuse(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({ error: text });
  socket.end(`HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

export function createUpgradeHandler(runtime: GatewayRuntime, proto: 'http' | 'https', random: () => number = Math.random) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const snap = runtime.snapshot;
    const { path: raw, query } = splitTarget(req.url ?? '/');
    const norm = normalisePath(raw);
    if (!norm.ok || hostProblem(req.rawHeaders) !== null) return refuse(socket, 400, 'Bad Request');
    const ip = clientAddress(req.socket.remoteAddress);
    const route = snap.router.match(req.method ?? 'GET', norm.path, req.headers)?.route;
    let up = snap.monolith;
    if (route) {
      const s = runtime.settings(route);
      const d = decide({ routeId: route.id, mode: s.mode, weight: s.weight, shadow: undefined, method: 'GET', cohortKey: cohortKey(route.cohort, req.headers, query, ip), random });
      if (d.primary === 'service') up = snap.upstreams.get(route.service)!;
    }
    const headers = upstreamRequestHeaders(req.headers, { clientIp: ip, proto, upstreamHost: up.host, hostRewrite: up.hostRewrite });
    const protocol = Array.isArray(req.headers.upgrade) ? req.headers.upgrade[0] : (req.headers.upgrade ?? 'websocket');
    socket.on('error', () => socket.destroy());
    up.pool
      .upgrade({ path: up.basePath + norm.path + query, method: req.method ?? 'GET', headers, protocol })
      .then(({ headers: h, socket: upstream }) => {
        const lines = ['HTTP/1.1 101 Switching Protocols'];
        for (const [k, v] of Object.entries(h)) for (const one of Array.isArray(v) ? v : [v]) if (one !== undefined) lines.push(`${k}: ${one}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.on('error', () => socket.destroy());
        socket.on('close', () => upstream.destroy());
        upstream.on('close', () => socket.destroy());
        upstream.pipe(socket).pipe(upstream);
        runtime.stats.request(route?.id ?? '(unmatched)', up === snap.monolith ? 'monolith' : 'service', 101, 0);
      })
      .catch(() => refuse(socket, 502, 'Bad Gateway'));
  };
}
