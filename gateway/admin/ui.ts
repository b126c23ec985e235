/**
 * The migration dashboard on the admin port (a fastify plugin, outside the bearer-token scope
 * because a browser cannot send that header on a page load):
 *   GET  /ui          the dashboard with a valid session (see auth.ts), else the sign-in form
 *   POST /ui/login    form field `token`; right → HttpOnly SameSite=Strict cookie and 303 to /ui,
 *                     wrong → 401 and the form again (logged like any refused token)
 *   POST /ui/logout   clears the cookie
 * The page is read-only: it polls GET /routes, /diffs and /changes, which accept the cookie;
 * changes still need the bearer token (the cookie is refused for anything but GET/HEAD).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieValue, SESSION_COOKIE, tokensMatch } from './auth.js';
import { contentSecurityPolicy, dashboardPage, loginPage } from './ui-page.js';

export interface UiOptions {
  readonly token: string;
  /** How often the page refreshes itself (ms, default 2000). */
  readonly refreshMs?: number;
  /** Mark the cookie Secure (the admin API is served over TLS). */
  readonly secure?: boolean;
}

function html(reply: FastifyReply, status: number, render: (nonce: string) => string): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  return reply
    .code(status)
    .header('content-security-policy', contentSecurityPolicy(nonce))
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .type('text/html; charset=utf-8')
    .send(render(nonce));
}

export function uiEndpoints(options: UiOptions) {
  const refreshMs = options.refreshMs ?? 2_000;
  const cookie = (value: string, maxAge: number): string =>
    `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${options.secure ? '; Secure' : ''}`;
  const signedIn = (req: FastifyRequest): boolean => {
    const given = cookieValue(req.headers.cookie, SESSION_COOKIE);
    return given !== undefined && tokensMatch(options.token, given);
  };

  return async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    app.get('/ui', async (req, reply) => (signedIn(req) ? html(reply, 200, (n) => dashboardPage(n, refreshMs)) : html(reply, 200, (n) => loginPage(n))));

    app.post<{ Body: Record<string, string> | null }>('/ui/login', async (req, reply) => {
      const token = typeof req.body?.token === 'string' ? req.body.token : '';
      if (token === '' || !tokensMatch(options.token, token)) {
        req.log.warn({ ip: req.ip }, 'dashboard sign-in refused: bad token');
        return html(reply, 401, (n) => loginPage(n, 'That token was refused.'));
      }
      return reply.code(303).header('set-cookie', cookie(token, 12 * 3600)).header('location', '/ui').send();
    });

    app.post('/ui/logout', async (_req, reply) => reply.code(303).header('set-cookie', cookie('', 0)).header('location', '/ui').send());
  };
}
