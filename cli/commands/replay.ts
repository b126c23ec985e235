/**
 * `ficus replay <diffs.ndjson | diffs folder | postgres URL> --target URL`: re-sends each recorded
 * request to a new build, compares its answer with the recorded primary response (or a live
 * `--baseline`) under the route's compare rules and noise marks, and classifies every record as
 * fixed, still different, newly different, error or skipped (gateway/replay/model.ts).
 *
 * Writes `<out>/replay.json`, `replay.html` and `replay.md` (reports/, loaded only here),
 * prints one summary line, and exits 1 when anything is still or newly different or got no
 * answer — nothing then proves it fixed — so it can gate CI; 0 otherwise; 2 for bad input.
 * Without a source argument, `--config`'s `diffs` store is read.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { createLogger, writeOutputs } from '../../core/index.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  isPostgresUrl,
  loadGatewayConfig,
  replay,
  replayFailed,
  type GatewayConfig,
  type ReplayResult,
} from '../../gateway/index.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { parseNumber } from '../options.js';
import { progressReporter } from '../progress.js';
import { AdminClient } from './routes.js';

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === '' ? undefined : String(v));
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

function parseLevel(value: string): Level {
  if (!(LEVELS as readonly string[]).includes(value))
    throw new CliError(CliErrorCode.BAD_VALUE, `--log-level "${value}" is not a level; valid: ${LEVELS.join(', ')}`);
  return value as Level;
}

/** Every `--header 'Name: value'` of the command line (repeatable), as name → value. */
export function parseHeaders(rawArgs: readonly string[]): Record<string, string> {
  const values: string[] = [];
  rawArgs.forEach((token, i) => {
    if (token === '--header') {
      const next = rawArgs[i + 1];
      if (next === undefined) throw new CliError(CliErrorCode.BAD_VALUE, "--header needs a value, e.g. --header 'Authorization: Bearer …'");
      values.push(next);
    } else if (token.startsWith('--header=')) values.push(token.slice('--header='.length));
  });
  const out: Record<string, string> = {};
  for (const v of values) {
    const colon = v.indexOf(':');
    const name = colon < 0 ? '' : v.slice(0, colon).trim();
    const value = colon < 0 ? '' : v.slice(colon + 1).trim();
    if (!TOKEN.test(name) || /[\r\n\0]/.test(value)) {
      throw new CliError(CliErrorCode.BAD_VALUE, `--header "${v}" is not a header; write 'Name: value', e.g. --header 'Authorization: Bearer …'`);
    }
    out[name.toLowerCase()] = value;
  }
  return out;
}

/** The source argument, or the diffs store `--config` names. */
function sourceOf(args: Args, io: CliIO, config: GatewayConfig | undefined, configFile: string | undefined): { source: string; table?: string } {
  const given = str(args.source);
  const table = str(args.table);
  if (given !== undefined) return { source: isPostgresUrl(given) ? given : resolve(io.cwd, given), ...(table !== undefined && { table }) };
  if (config === undefined || configFile === undefined)
    throw new CliError(
      CliErrorCode.USAGE,
      'ficus replay needs the records: a diffs .ndjson file, the diffs folder, a postgres:// URL, or --config to read its diffs store',
    );
  const d = config.diffs;
  if (d.store === 'postgres' && d.url !== undefined && d.url !== '') return { source: d.url, table: table ?? d.table };
  if (d.store === 'ndjson') return { source: isAbsolute(d.path) ? d.path : resolve(dirname(configFile), d.path) };
  throw new CliError(CliErrorCode.USAGE, `${configFile}: diffs.store is ${d.store}, so it names no records to replay; give the source as an argument`);
}

/** Noise paths a running gateway has learnt (admin API GET /noise). */
async function adminNoise(args: Args, io: CliIO): Promise<Record<string, string[]>> {
  const client = AdminClient.from(args, io);
  try {
    const body = await client.call<{ noise: Record<string, { path: string }[]> }>('GET', '/noise');
    return Object.fromEntries(Object.entries(body.noise).map(([route, paths]) => [route, paths.map((p) => p.path)]));
  } finally {
    await client.close();
  }
}

export function summaryLine(r: ReplayResult): string {
  const s = r.summary;
  return `replayed ${s.total} record${s.total === 1 ? '' : 's'} against ${r.target}${r.baseline ? ` (baseline ${r.baseline})` : ''}: ${s.fixed} fixed, ${s.stillDifferent} still different, ${s.newlyDifferent} newly different, ${s.error} error, ${s.skipped} skipped`;
}

export default defineCommand({
  meta: {
    name: 'replay',
    description:
      'Re-send recorded requests to a new build and say which differences are fixed, still there or new. Exit 0 when every replayed record is fixed (skipped ones do not count), 1 when any is still or newly different or got no answer, 2 for bad input',
  },
  args: {
    source: {
      type: 'positional',
      description: 'A diffs .ndjson file, the diffs folder, or a postgres:// URL (default: --config’s diffs store)',
      required: false,
    },
    target: { type: 'string', description: 'Base URL of the build to test, e.g. http://127.0.0.1:8081', required: true },
    baseline: { type: 'string', description: 'Compare with this live build instead of the recorded primary responses' },
    config: { type: 'string', description: 'ficus.gateway.yaml: each route’s compare rules, redaction and body cap (default: status, content-type, body)' },
    route: { type: 'string', description: 'Only this route’s records' },
    table: { type: 'string', description: 'Postgres table of the diff store (default ficus_diffs)' },
    header: { type: 'string', description: "Header sent with every request, replacing a recorded or redacted one: 'Authorization: Bearer …' (repeatable)" },
    'allow-unsafe': { type: 'boolean', description: 'Also re-send POST, PUT, PATCH, DELETE… (skipped by default: they may change data)' },
    concurrency: { type: 'string', description: `Requests in flight at once (default ${DEFAULT_CONCURRENCY})` },
    rate: { type: 'string', description: 'At most this many requests a second (default: no limit)' },
    timeout: { type: 'string', description: `Per request, in ms (default ${DEFAULT_TIMEOUT_MS})` },
    admin: { type: 'string', description: 'Admin API of a running gateway to read learnt noise paths from (GET /noise)' },
    token: { type: 'string', description: 'Admin token for --admin (default $FICUS_ADMIN_TOKEN)' },
    out: { type: 'string', description: 'Output folder for replay.json, replay.html and replay.md', default: 'ficus-replay' },
    quiet: { type: 'boolean', description: 'No progress bar' },
    'log-level': { type: 'string', description: 'pino level on stderr: fatal, error, warn, info, debug, trace, silent', default: 'warn' },
  },
  async run({ args, rawArgs, data }) {
    const { io } = data as { io: CliIO };
    const a = args as Args;
    const headers = parseHeaders(rawArgs);
    const concurrency = parseNumber('concurrency', str(a.concurrency), { integer: true, min: 1, max: 1024 });
    const rate = parseNumber('rate', str(a.rate), { min: 0.001 });
    const timeoutMs = parseNumber('timeout', str(a.timeout), { integer: true, min: 1 });
    const level = parseLevel(String(a['log-level']));
    const configFile = str(a.config) === undefined ? undefined : resolve(io.cwd, String(a.config));
    const config = configFile === undefined ? undefined : await loadGatewayConfig(configFile, io.env);
    const { source, table } = sourceOf(a, io, config, configFile);
    const noisePaths = str(a.admin) === undefined ? undefined : await adminNoise(a, io);
    const logger = createLogger({ level, destination: io.stderr, base: { part: 'cli', cmd: 'replay' } });
    const progress = progressReporter(io, Boolean(a.quiet));
    let result: ReplayResult;
    try {
      result = await replay({
        source,
        target: String(a.target),
        ...(str(a.baseline) !== undefined && { baseline: String(a.baseline) }),
        ...(str(a.route) !== undefined && { route: String(a.route) }),
        ...(table !== undefined && { table }),
        ...(config !== undefined && { config }),
        ...(concurrency !== undefined && { concurrency }),
        ...(rate !== undefined && { rate }),
        ...(timeoutMs !== undefined && { timeoutMs }),
        headers,
        allowUnsafe: Boolean(a['allow-unsafe']),
        ...(noisePaths !== undefined && { noisePaths }),
        logger,
        onProgress: (p) => progress.update('Replaying requests', p.done, p.total),
      });
    } finally {
      progress.stop();
    }
    const out = resolve(io.cwd, String(a.out));
    const { replayRenderers } = await import('../../reports/index.js');
    const written = await writeOutputs(out, [
      { name: 'replay.json', content: `${JSON.stringify(result, null, 2)}\n` },
      { name: 'replay.html', content: replayRenderers.html(result) },
      { name: 'replay.md', content: replayRenderers.md(result) },
    ]);
    io.stdout.write(`${summaryLine(result)}\n${written.map((f) => `wrote ${f}`).join('\n')}\n`);
    return replayFailed(result.summary) ? 1 : 0;
  },
});
