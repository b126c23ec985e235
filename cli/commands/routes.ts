/**
 * `ficus routes list|set|rollback`: reads and changes a running gateway's routes through its
 * admin API (`--admin URL`, default http://127.0.0.1:9901; `--token T` or $FICUS_ADMIN_TOKEN).
 *
 *   ficus routes list [--json]                       table: id, mode, weight, requests, err %, p99, diff %
 *   ficus routes set products --mode canary --weight 10 [--reason "step 1"]
 *   ficus routes rollback [route] [--reason ...]     one route, or every route, back to the monolith
 *   ficus routes rollout <route> [status|pause|resume|promote|abort]   (routes-rollout.ts)
 *
 * Give the verb first, then its flags. A gateway that cannot be reached, or that refuses the
 * token, is one line on stderr and exit code 1; a value the admin API refuses (unknown route,
 * bad mode or weight) is one line with its code and exit code 2.
 */
import { defineCommand } from 'citty';
import { MODES, type Mode } from '../../gateway/index.js';
import { connectionArgs, str, withClient, type Args } from '../admin-client.js';
import { CliError, CliErrorCode } from '../errors.js';
import rollout from './routes-rollout.js';
import type { CliIO } from '../io.js';
import { parseNumber } from '../options.js';

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
  readonly rollout?: { readonly phase: string; readonly step: number; readonly steps: readonly number[] };
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

export { AdminClient, AdminClientErrorCode, DEFAULT_ADMIN_URL } from '../admin-client.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const settings = (s: { mode: string; weight: number }): string => `${s.mode} ${s.weight}%`;

/** The routes as a text table, one row per route plus (unmatched), then the precedence. */
export function routesTable(body: RoutesBody): string {
  const header = ['ROUTE', 'MODE', 'WEIGHT', 'REQUESTS', 'ERR %', 'P99 MS', 'DIFF %', 'ROLLOUT'];
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
      r.rollout ? `${r.rollout.phase} ${r.rollout.step + 1}/${r.rollout.steps.length}` : '',
    ];
  });
  // The ROLLOUT column only when a route has one.
  if (!body.routes.some((r) => r.rollout)) {
    header.pop();
    for (const r of rows) r.pop();
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
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
  subCommands: { list, set, rollback, rollout },
});
