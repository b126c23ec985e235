/**
 * The admin API client the CLI's gateway commands share (`ficus routes`, `ficus replay --noise`):
 * `--admin URL` (default http://127.0.0.1:9901) and `--token T` or $FICUS_ADMIN_TOKEN. A gateway
 * that cannot be reached, or that refuses the token, is one FicusError (exit 1); a value the
 * admin API refuses keeps the API's code (exit 2 for 400/404).
 */
import { Agent, request } from 'undici';
import { FicusError } from '../core/index.js';
import { CliError, CliErrorCode } from './errors.js';
import type { CliIO } from './io.js';

/** The admin client's codes, kept in cli/errors.ts. */
export const AdminClientErrorCode = {
  UNREACHABLE: CliErrorCode.ADMIN_UNREACHABLE,
  TOKEN: CliErrorCode.ADMIN_TOKEN,
  REFUSED: CliErrorCode.ADMIN_REFUSED,
} as const;

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9901';
const TIMEOUT_MS = 10_000;

export const connectionArgs = {
  admin: { type: 'string', description: `Admin API URL (default ${DEFAULT_ADMIN_URL})` },
  token: { type: 'string', description: 'Admin token (default $FICUS_ADMIN_TOKEN)' },
} as const;

export type Args = Record<string, unknown>;
export const str = (v: unknown): string | undefined => (v === undefined || v === '' ? undefined : String(v));

/** A connection to one admin API; `close()` when done so no socket keeps the process alive. */
export class AdminClient {
  private readonly agent = new Agent({ headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS, connect: { timeout: TIMEOUT_MS } });

  constructor(
    readonly base: URL,
    private readonly token: string,
  ) {}

  static from(args: Args, io: CliIO): AdminClient {
    const admin = str(args.admin) ?? DEFAULT_ADMIN_URL;
    let base: URL;
    try {
      base = new URL(admin);
    } catch {
      throw new CliError(CliErrorCode.BAD_VALUE, `--admin "${admin}" is not a URL; give the admin API's address, e.g. ${DEFAULT_ADMIN_URL}`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:')
      throw new CliError(CliErrorCode.BAD_VALUE, `--admin "${admin}" must be an http:// or https:// URL, e.g. ${DEFAULT_ADMIN_URL}`);
    const token = str(args.token) ?? str(io.env.FICUS_ADMIN_TOKEN);
    if (token === undefined)
      throw new CliError(
        CliErrorCode.USAGE,
        'no admin token; pass --token or set FICUS_ADMIN_TOKEN (admin.token in the gateway config, or the token the gateway printed at start)',
      );
    return new AdminClient(base, token);
  }

  private url(path: string): URL {
    const url = new URL(this.base);
    url.pathname = url.pathname.replace(/\/+$/, '') + path;
    url.search = '';
    return url;
  }

  async call<T>(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown): Promise<T> {
    const where = this.base.origin + this.base.pathname.replace(/\/+$/, '');
    let status: number;
    let text: string;
    try {
      const res = await request(this.url(path), {
        method,
        dispatcher: this.agent,
        headers: { authorization: `Bearer ${this.token}`, accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      const e = err as { code?: string; errors?: { code?: string }[]; message?: string };
      const code = e.code ?? e.errors?.[0]?.code ?? e.message ?? String(err);
      const why = /TIMEOUT/.test(code) ? `no answer within ${TIMEOUT_MS / 1000} s` : code;
      throw new FicusError(
        AdminClientErrorCode.UNREACHABLE,
        `cannot reach the admin API at ${where} (${why}); is \`ficus gateway\` running, and is --admin its admin address?`,
        { cause: err },
      );
    }
    if (status === 401)
      throw new FicusError(AdminClientErrorCode.TOKEN, `the admin API at ${where} refused the token (401); check --token or FICUS_ADMIN_TOKEN`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FicusError(
        AdminClientErrorCode.REFUSED,
        `${where} answered ${status} with something other than JSON; is --admin the admin port rather than the gateway's?`,
      );
    }
    if (status >= 400) {
      const e = json as { error?: unknown; code?: unknown };
      const code = typeof e.code === 'string' ? e.code : AdminClientErrorCode.REFUSED;
      const message = typeof e.error === 'string' ? e.error : `status ${status}`;
      throw new FicusError(code, `the admin API refused: ${message}`, { exitCode: status === 400 || status === 404 ? 2 : 1 });
    }
    return json as T;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

export async function withClient(args: Args, io: CliIO, fn: (c: AdminClient) => Promise<void>): Promise<number> {
  const client = AdminClient.from(args, io);
  try {
    await fn(client);
  } finally {
    await client.close();
  }
  return 0;
}

