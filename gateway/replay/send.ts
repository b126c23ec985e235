/**
 * Sending replayed requests to one base URL (the target, or a live baseline) over an undici
 * Pool with as many keep-alive connections as the replay runs at once. The base URL's path is
 * prepended to the recorded path (`http://host:8081/v2` + `/products/7`). Each answer's body is
 * read up to `cap` bytes — beyond that it is reported as null (not known), like a recorded body
 * over the shadow cap. Failures never throw: no HTTP answer (refused, reset, timed out) comes
 * back as `error` with status 0.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ReplayRequest } from './request.js';

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The whole body; null when it was larger than the cap (or there was no answer). */
  readonly body: Buffer | null;
  readonly ms: number;
  /** Set when there was no HTTP answer: the error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT…). */
  readonly error?: string;
}

export interface Sender {
  /** The base URL, as given. */
  readonly base: string;
  send(request: ReplayRequest, cap: number): Promise<Answer>;
  close(): Promise<void>;
}

export interface SenderOptions {
  readonly connections: number;
  readonly timeoutMs: number;
}

/** Parses a target or baseline URL; throws GW_REPLAY_OPTION (exit 2) for one that is not http(s). */
export function parseBaseUrl(flag: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FicusError(
      GatewayErrorCode.REPLAY_OPTION,
      `${flag} "${value}" is not a URL; give the base URL of the build to send to, e.g. http://127.0.0.1:8081`,
      {
        exitCode: 2,
        details: { field: flag, value },
      },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FicusError(GatewayErrorCode.REPLAY_OPTION, `${flag} "${value}" must be an http:// or https:// URL, e.g. http://127.0.0.1:8081`, {
      exitCode: 2,
      details: { field: flag, value },
    });
  }
  return url;
}

export function createSender(base: URL, options: SenderOptions): Sender {
  const pool = new Pool(base.origin, { connections: options.connections, connect: { timeout: options.timeoutMs } });
  const prefix = base.pathname.replace(/\/+$/, '');
  const timeout = options.timeoutMs;
  return {
    base: base.toString(),
    async send(request, cap) {
      const t0 = performance.now();
      try {
        const res = await pool.request({
          path: prefix + request.url,
          method: request.method as 'GET',
          headers: request.headers,
          body: request.body,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > cap) {
            res.body.destroy();
            break;
          }
          chunks.push(chunk);
        }
        return { status: res.statusCode, headers: res.headers, body: size > cap ? null : Buffer.concat(chunks, size), ms: performance.now() - t0 };
      } catch (err) {
        return { status: 0, headers: {}, body: null, ms: performance.now() - t0, error: errorCode(err) };
      }
    },
    close: () => pool.close(),
  };
}

function errorCode(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string }; errors?: { code?: string }[] };
  return e.code ?? e.cause?.code ?? e.errors?.[0]?.code ?? e.message ?? String(err);
}
