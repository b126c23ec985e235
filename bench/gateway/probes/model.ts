/**
 * What a probe is: one raw HTTP/1.1 exchange sent over TCP to a reverse proxy that fronts two
 * recording upstreams (the monolith and a service), with what the proxy must answer and what
 * the upstreams must have received — nothing, or exactly one complete request. The limits and
 * byte-building helpers the probe tables share live here too.
 */

/** maxBodyBytes of the ficus front; nginx gets the same as client_max_body_size. */
export const LIMIT_BODY = 1000;
/** maxHeaderBytes of the ficus front; nginx gets the same as its large header buffer. */
export const LIMIT_HEADERS = 4096;
export const H = 'Host: shop.example\r\n';
/** A request hidden in a body or behind a badly framed one; an upstream must never see its URL. */
export const SMUGGLED = `GET /smuggled HTTP/1.1\r\n${H}\r\n`;

export const chunked = (...parts: string[]): string => `${parts.map((p) => `${Buffer.byteLength(p).toString(16)}\r\n${p}\r\n`).join('')}0\r\n\r\n`;
export const big = (n: number): string => 'b'.repeat(n);

export type Side = 'monolith' | 'service';

export interface Expected {
  readonly side: Side;
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  /** Header values the upstream must see (undefined: must be absent). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
}

export interface Probe {
  readonly name: string;
  readonly raw: string;
  /** The final status the client gets (1xx interim answers aside; 101 for a tunnel); null: the client leaves first. */
  readonly status: number | null;
  /** The answer is the gateway's own JSON error body `{ error }`. */
  readonly json?: boolean;
  /** Exactly this one request reached an upstream, complete; null: none did. */
  readonly upstream: Expected | null;
  /** The gateway closes the connection after answering. */
  readonly closes?: boolean;
  /** After a 101, bytes sent through the tunnel and what the upstream's echo must bring back. */
  readonly tunnel?: { readonly send: string; readonly echo: string };
  /** The client goes away this long after sending, unanswered: the upstream's request must be cancelled. */
  readonly leaveAfterMs?: number;
}
