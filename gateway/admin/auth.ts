/**
 * The admin API's bearer token. Every endpoint but /healthz asks for
 * `Authorization: Bearer <token>`; a missing or wrong token gets 401 JSON with
 * `WWW-Authenticate: Bearer` (RFC 6750 §3). Tokens are compared in constant time over their
 * SHA-256 digests, so neither the content nor the length of the expected token leaks through
 * timing.
 *
 * The dashboard (/ui) cannot send a header from a page load, so after its login form the token
 * rides in an HttpOnly, SameSite=Strict cookie; the cookie is accepted for GET and HEAD only, so
 * the dashboard stays read-only and no other site can make a browser change a route.
 *
 * The admin API never runs unauthenticated: with no token in the config (allowed only on a
 * loopback host — the config loader refuses the rest) one is generated at start, 24 random bytes
 * in base64url, and handed back so the CLI can print it once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FicusError } from '../../core/index.js';
import { isLoopback } from '../config/load.js';
import { GatewayErrorCode } from '../errors.js';
import { AdminErrorCode, sendError } from './errors.js';

export const MIN_TOKEN_LENGTH = 16;

export interface AdminToken {
  readonly token: string;
  /** True when no token was configured and this one was made at start: print it once. */
  readonly generated: boolean;
}

/** A fresh token: 24 random bytes, base64url (32 characters). */
export function generateToken(random: (size: number) => Buffer = randomBytes): string {
  return random(24).toString('base64url');
}

/**
 * The token the admin API will ask for: the given one, else the config's, else (loopback
 * only) a generated one. @throws FicusError GW_ADMIN_UNSAFE beyond loopback without a token,
 * or for a token shorter than 16 characters.
 */
export function resolveToken(
  admin: { readonly host: string; readonly token?: string | undefined },
  given?: string,
  random?: (size: number) => Buffer,
): AdminToken {
  const token = given ?? admin.token;
  if (token !== undefined) {
    if (token.length < MIN_TOKEN_LENGTH) {
      throw new FicusError(GatewayErrorCode.ADMIN_UNSAFE, `admin token is ${token.length} characters; give at least ${MIN_TOKEN_LENGTH}`, { exitCode: 2 });
    }
    return { token, generated: false };
  }
  if (!isLoopback(admin.host)) {
    throw new FicusError(
      GatewayErrorCode.ADMIN_UNSAFE,
      `admin.host is ${admin.host}, beyond loopback, and no admin token is set; set admin.token (at least ${MIN_TOKEN_LENGTH} characters) or bind 127.0.0.1`,
      {
        exitCode: 2,
      },
    );
  }
  return { token: generateToken(random), generated: true };
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of two tokens of any length. */
export function tokensMatch(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}

export const SESSION_COOKIE = 'ficus_admin';

/** The value of one cookie in a Cookie header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The token a request carries: the bearer header, or (GET/HEAD only) the dashboard's cookie. */
export function givenToken(req: FastifyRequest): string | undefined {
  const bearer = bearerToken(req.headers.authorization);
  if (bearer !== undefined) return bearer;
  return req.method === 'GET' || req.method === 'HEAD' ? cookieValue(req.headers.cookie, SESSION_COOKIE) : undefined;
}

/** A fastify onRequest hook that lets through only requests with the token. */
export function requireToken(token: string) {
  const expected = digest(token);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const given = givenToken(req);
    if (given !== undefined && timingSafeEqual(expected, digest(given))) return undefined;
    req.log.warn({ ip: req.ip, method: req.method, url: req.url, tokenGiven: given !== undefined }, 'admin request refused: bad token');
    reply.header('www-authenticate', given === undefined ? 'Bearer realm="ficus-admin"' : 'Bearer realm="ficus-admin", error="invalid_token"');
    return sendError(
      reply,
      401,
      AdminErrorCode.AUTH,
      given === undefined
        ? 'this endpoint needs Authorization: Bearer <admin token>'
        : 'the admin token was refused; use the token in admin.token or the one the gateway printed at start',
    );
  };
}
