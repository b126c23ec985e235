/**
 * `ficus routes list|set|rollback`: reads and changes a running gateway's routes through its
 * admin API (`--admin URL`, default http://127.0.0.1:9901; `--token T` or $FICUS_ADMIN_TOKEN).
 *
 *   ficus routes list [--json]                       table: id, mode, weight, requests, err %, p99, diff %
 *   ficus routes set products --mode canary --weight 10 [--reason "step 1"]
 *   ficus routes rollback [route] [--reason ...]     one route, or every route, back to the monolith
 *
 * Give the verb first, then its flags. A gateway that cannot be reached, or that refuses the
 * token, is one line on stderr and exit code 1; a value the admin API refuses (unknown route,
 * bad mode or weight) is one line with its code and exit code 2.
 */
import { defineCommand } from 'citty';
import { Agent, request } from 'undici';
import { FicusError } from '../../core/index.js';
import { MODES, type Mode } from '../../gateway/index.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { parseNumber } from '../options.js';

/** The admin client's codes, kept in cli/errors.ts. */
export const AdminClientErrorCode = {
  UNREACHABLE: CliErrorCode.ADMIN_UNREACHABLE,
  TOKEN: CliErrorCode.ADMIN_TOKEN,
  REFUSED: CliErrorCode.ADMIN_REFUSED,
} as const;

export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:9901';
const TIMEOUT_MS = 10_000;

interface Stats {
  readonly requests: number;
  readonly errorRate: number;
  readonly p99Ms: number;
  readonly compared: number;
  readonly diffRate: number;
}
interface RouteRow {
  readonly id: string;
  readonly mode?: string;
  readonly weight?: number;
  readonly stats: Stats;
}
interface RoutesBody {
  readonly routes: readonly RouteRow[];
  readonly unmatched: RouteRow;
  readonly precedence: readonly string[];
}
interface Change {
  readonly route: string;
  readonly by: string;
  readonly at: string;
  readonly from: { readonly mode: string; readonly weight: number };
  readonly to: { readonly mode: string; readonly weight: number };
}

const connectionArgs = {
  admin: { type: 'string', description: `Admin API URL (default ${DEFAULT_ADMIN_URL})` },
  token: { type: 'string', description: 'Admin token (default $FICUS_ADMIN_TOKEN)' },
} as const;

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === '' ? undefined : String(v));

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

async function withClient(args: Args, io: CliIO, fn: (c: AdminClient) => Promise<void>): Promise<number> {
  const client = AdminClient.from(args, io);
  try {
    await fn(client);
  } finally {
    await client.close();
  }
  return 0;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const settings = (s: { mode: string; weight: number }): string => `${s.mode} ${s.weight}%`;

/** The routes as a text table, one row per route plus (unmatched), then the precedence. */
export function routesTable(body: RoutesBody): string {
  const header = ['ROUTE', 'MODE', 'WEIGHT', 'REQUESTS', 'ERR %', 'P99 MS', 'DIFF %'];
  const rows = [...body.routes, body.unmatched].map((r) => {
    const s = r.stats;
    const seen = s.requests > 0;
    return [
      r.id,
      r.mode ?? 'monolith',
      r.weight === undefined ? '-' : `${r.weight}%`,
      String(s.requests),
      seen ? pct(s.errorRate) : '-',
      seen ? s.p99Ms.toFixed(1) : '-',
      s.compared > 0 ? pct(s.diffRate) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  if (body.precedence.length > 1) out.push('', `matched in this order: ${body.precedence.join(' > ')}`);
  return `${out.join('\n')}\n`;
}

function changeLine(c: Change): string {
  return `${c.route}: ${settings(c.from)} → ${settings(c.to)} (by ${c.by} at ${c.at})`;
}

const list = defineCommand({
  meta: { name: 'list', description: 'Show every route with its mode, weight and live stats' },
  args: { ...connectionArgs, json: { type: 'boolean', description: 'Print the admin API’s JSON instead of a table' } },
  run({ args, data }) {
    const { io } = data as { io: CliIO };
    return withClient(args, io, async (client) => {
      const body = await client.call<RoutesBody>('GET', '/routes');
      io.stdout.write(args.json ? `${JSON.stringify(body, null, 2)}\n` : routesTable(body));
    });
  },
});

function parseMode(value: string | undefined): Mode | undefined {
  if (value === undefined) return undefined;
  if (!(MODES as readonly string[]).includes(value)) throw new CliError(CliErrorCode.BAD_VALUE, `--mode "${value}" is not a mode; valid: ${MODES.join(', ')}`);
  return value as Mode;
}

const set = defineCommand({
  meta: { name: 'set', description: 'Change a route’s mode and/or canary weight' },
  args: {
    route: { type: 'positional', description: 'Route id', required: true },
    mode: { type: 'string', description: `New mode: ${MODES.join(', ')}` },
    weight: { type: 'string', description: 'Canary share of requests in % (0-100)' },
    reason: { type: 'string', description: 'Why, for the change log' },
    ...connectionArgs,
  },
  run({ args, data }) {
    const { io } = data as { io: CliIO };
    const a = args as Args;
    const mode = parseMode(str(a.mode));
    const weight = parseNumber('weight', str(a.weight), { min: 0, max: 100 });
    if (mode === undefined && weight === undefined)
      throw new CliError(CliErrorCode.USAGE, `ficus routes set needs --mode (${MODES.join(', ')}) and/or --weight (0-100)`);
    const reason = str(a.reason);
    return withClient(a, io, async (client) => {
      const change = await client.call<Change>('PUT', `/routes/${encodeURIComponent(String(a.route))}`, {
        ...(mode && { mode }),
        ...(weight !== undefined && { weight }),
        ...(reason && { reason }),
      });
      io.stdout.write(`${changeLine(change)}\n`);
      if (weight !== undefined && change.to.mode !== 'canary')
        io.stdout.write(`note: the weight only applies in canary mode; ${change.route} is in ${change.to.mode} mode\n`);
    });
  },
});

const rollback = defineCommand({
  meta: { name: 'rollback', description: 'Send a route, or every route, back to the monolith at once' },
  args: {
    route: { type: 'positional', description: 'Route id (default: every route)', required: false },
    reason: { type: 'string', description: 'Why, for the change log' },
    ...connectionArgs,
  },
  run({ args, data }) {
    const { io } = data as { io: CliIO };
    const a = args as Args;
    const route = str(a.route);
    const reason = str(a.reason);
    return withClient(a, io, async (client) => {
      const path = route === undefined ? '/rollback' : `/routes/${encodeURIComponent(route)}/rollback`;
      const { changes } = await client.call<{ changes: Change[] }>('POST', path, reason === undefined ? {} : { reason });
      if (changes.length === 0) io.stdout.write('no routes to roll back\n');
      for (const c of changes) io.stdout.write(`${changeLine(c)}\n`);
    });
  },
});

export default defineCommand({
  meta: { name: 'routes', description: 'Show and change a running gateway’s routes through its admin API' },
  subCommands: { list, set, rollback },
});
