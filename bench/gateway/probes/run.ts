/**
 * Running one probe against a front (any reverse proxy before the probe upstreams): the raw
 * bytes go over a fresh TCP connection, everything answered until the front closes or goes
 * quiet is split into responses by their framing, what the upstreams completed, began and had
 * cancelled meanwhile is collected, and then an ordinary request checks that the front still
 * serves. `safety()` reduces an outcome to what matters when two fronts differ in status:
 * nothing reached an upstream, exactly one complete request did, or something was smuggled.
 */
import net from 'node:net';
import type { Probe, Side } from './model.js';
import type { ProbeUpstreams, Received } from './upstreams.js';

/** How long the connection must stay quiet before the answer counts as complete. */
const QUIET_MS = 500;

export interface Answer {
  /** Final statuses of every response on the connection, in order (interim 1xx left out; -1: bytes that are no response). */
  readonly statuses: number[];
  /** Head (lower-cased) and body of the first final response. */
  readonly head: string;
  readonly body: string;
  /** After a 101: the bytes that came back through the tunnel. */
  readonly tunnel?: string;
}

export interface Outcome extends Answer {
  /** Requests the upstreams completed during the probe. */
  readonly seen: readonly { readonly side: Side; readonly r: Received }[];
  /** Requests the upstreams began during the probe, complete or not. */
  readonly started: readonly string[];
  /** Unanswered upstream requests whose connection closed during the probe. */
  readonly cancelled: readonly string[];
  /** The ordinary request after the probe: its status and the URL the monolith last completed. */
  readonly next: { readonly status: number; readonly monolithUrl: string | undefined };
}

/**
 * Splits a raw answer into its responses by their framing (Content-Length or chunked), so a
 * second response glued to the first body is counted too; bytes that are no response count as one.
 */
export function parseAnswer(raw: string): Answer {
  const statuses: number[] = [];
  let first: { head: string; body: string } | undefined;
  let rest = raw;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(rest);
    if (end < 0 || !status) {
      statuses.push(-1); // not a response
      break;
    }
    const head = rest.slice(0, end).toLowerCase();
    rest = rest.slice(end + 4);
    const code = Number(status[1]);
    if (code === 101) return { statuses: [...statuses, 101], head, body: '', tunnel: rest };
    if (code < 200) continue;
    let body = '';
    const cl = /^content-length: *(\d+)/m.exec(head);
    if (cl) {
      body = rest.slice(0, Number(cl[1]));
      rest = rest.slice(Number(cl[1]));
    } else if (/^transfer-encoding: *chunked/m.test(head)) {
      for (;;) {
        const line = rest.indexOf('\r\n');
        const size = parseInt(rest.slice(0, line), 16);
        rest = rest.slice(line + 2);
        if (!(size > 0)) {
          rest = rest.slice(rest.indexOf('\r\n') + 2);
          break;
        }
        body += rest.slice(0, size);
        rest = rest.slice(size + 2);
      }
    } else {
      body = rest;
      rest = '';
    }
    statuses.push(code);
    first ??= { head, body };
  }
  return { statuses, head: first?.head ?? '', body: first?.body ?? '' };
}

/**
 * Sends raw bytes and collects everything the server answers: until it closes or goes quiet for
 * `quietMs`, through a tunnel after a 101 when `tunnel` is given, or nothing more once
 * `leaveAfterMs` passed (a client that leaves).
 */
export function sendRaw(port: number, bytes: string, o: { quietMs?: number; tunnel?: { send: string }; leaveAfterMs?: number } = {}): Promise<string> {
  const quietMs = o.quietMs ?? QUIET_MS;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    let tunnelled = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    socket.on('data', (d) => {
      out += d.toString('latin1');
      if (o.tunnel && !tunnelled && /^HTTP\/1\.1 101[^]*?\r\n\r\n/.test(out)) {
        tunnelled = true;
        socket.write(o.tunnel.send);
      }
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    socket.on('end', done);
    socket.on('error', (e) => (out ? done() : reject(e)));
    socket.write(bytes);
    timer = setTimeout(done, o.leaveAfterMs ?? quietMs * 3);
  });
}

/** Sends the probe's bytes and collects the answer (sendRaw with the probe's tunnel and leave time). */
function exchange(port: number, probe: Probe): Promise<string> {
  return sendRaw(port, probe.raw, { ...(probe.tunnel && { tunnel: probe.tunnel }), ...(probe.leaveAfterMs !== undefined && { leaveAfterMs: probe.leaveAfterMs }) });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs `probe` against the front on `port`; `index` names the ordinary request sent after it (`/after/<index>`). */
export async function runProbe(port: number, ups: ProbeUpstreams, probe: Probe, index: number): Promise<Outcome> {
  const m = ups.monolith.received.length;
  const s = ups.service.received.length;
  const st = ups.started.length;
  const c = ups.cancelled.length;
  const answer = parseAnswer(await exchange(port, probe));
  await sleep(60); // let an aborted or shadowed upstream call settle
  if (probe.leaveAfterMs !== undefined) for (let i = 0; i < 20 && ups.cancelled.length === c; i++) await sleep(50);
  const seen = [
    ...ups.monolith.received.slice(m).map((r) => ({ side: 'monolith' as const, r })),
    ...ups.service.received.slice(s).map((r) => ({ side: 'service' as const, r })),
  ];
  const started = ups.started.slice(st);
  const cancelled = ups.cancelled.slice(c);
  let status = 0;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/after/${index}`, { signal: AbortSignal.timeout(5000) });
    status = res.status;
    await res.arrayBuffer();
  } catch {
    status = 0; // refused, reset or timed out: the front no longer serves
  }
  return { ...answer, seen, started, cancelled, next: { status, monolithUrl: ups.monolith.received.at(-1)?.url } };
}

export type Safety = 'refused' | 'forwarded' | 'unsafe';

/**
 * `unsafe`: a hidden request reached an upstream, more than one request began upstream, or
 * the next ordinary request was not served; `refused`: no upstream completed a request;
 * `forwarded`: exactly one did. Statuses do not count: 400 against 413 is the same outcome.
 */
export function safety(o: Outcome, index: number): Safety {
  const smuggled = o.seen.some(({ r }) => r.url.includes('smuggled')) || o.started.some((line) => line.includes('smuggled'));
  if (smuggled || o.seen.length > 1 || o.started.length > 1 || o.next.status !== 200 || o.next.monolithUrl !== `/after/${index}`) return 'unsafe';
  return o.seen.length === 0 ? 'refused' : 'forwarded';
}

/** Names of the probe's expected upstream headers the forwarded request got wrong: `+name` arrived though it must not, `name≠` has another value. */
export function headerMisses(probe: Probe, o: Outcome): string[] {
  const got = o.seen[0]?.r.headers;
  if (!got || !probe.upstream?.headers) return [];
  const out: string[] = [];
  for (const [h, v] of Object.entries(probe.upstream.headers)) {
    if (got[h] === v) continue;
    out.push(v === undefined ? `+${h}` : `${h}≠`);
  }
  return out;
}
