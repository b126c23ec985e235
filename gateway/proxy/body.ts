/**
 * Request bodies on the way through: whether a request has one, a tee that passes the body
 * on to the primary while keeping a copy for the shadow (up to a cap; over it the copy is
 * dropped, the primary is unaffected), and a size limit for bodies of unknown length
 * (chunked), which ends the stream with an error the handler turns into 413. Over the limit
 * the client connection is left open so the 413 can be sent (with `Connection: close`); the
 * rest of the body is discarded, and the copy is dropped, so nothing is shadowed or retried.
 */
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';

export class BodyTooLarge extends Error {
  readonly code = 'GW_BODY_TOO_LARGE';
}

export function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers['content-length'];
  if (cl !== undefined) return cl !== '0';
  return req.headers['transfer-encoding'] !== undefined;
}

export interface TeedBody {
  readonly stream: PassThrough;
  /** The copy, or null when the body went over the cap. Valid once the request ended. */
  copy(): Buffer | null;
  readonly done: Promise<void>;
}

/** Streams `req` on, copying up to `cap` bytes and refusing more than `limit` bytes in all. */
export function teeBody(req: IncomingMessage, cap: number, limit: number): TeedBody {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  let size = 0;
  let kept = true;
  let over = false;
  const done = new Promise<void>((resolve) => {
    req.on('end', () => resolve());
    req.on('close', () => resolve());
  });
  req.on('data', (c: Buffer) => {
    if (over) return;
    size += c.length;
    if (size > limit) {
      over = true;
      kept = false;
      chunks.length = 0;
      stream.destroy(new BodyTooLarge(`request body over ${limit} bytes`));
      req.resume();
      return;
    }
    if (kept) {
      if (size > cap) {
        kept = false;
        chunks.length = 0;
      } else chunks.push(c);
    }
    if (!stream.write(c)) {
      req.pause();
      stream.once('drain', () => req.resume());
    }
  });
  req.on('end', () => {
    if (!over) stream.end();
  });
  req.on('error', (err) => stream.destroy(err));
  return { stream, copy: () => (kept ? Buffer.concat(chunks, size) : null), done };
}

/**
 * The body to forward when no copy is kept: as it is when its Content-Length was already
 * checked against `limit`, else (chunked) through the same limit as `teeBody`.
 */
export function limitedBody(req: IncomingMessage, limit: number): IncomingMessage | PassThrough {
  return req.headers['content-length'] !== undefined ? req : teeBody(req, 0, limit).stream;
}
