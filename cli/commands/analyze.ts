/**
 * `ficus analyze <root>`: decomposes a codebase into candidate bounded contexts and writes
 * decomposition.{json,html,md} plus the gateway and CDC drafts into --out (all or nothing).
 * With `--impact <file>` it prints the contexts a change to that file ripples into instead.
 */
import { basename, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { stringify } from 'yaml';
import {
  analyze,
  AnalyzeConfigSchema,
  cdcDrafts,
  DEFAULT_RUNS,
  DEFAULT_SEED,
  gatewayDraft,
  impactOf,
  SIGNALS,
  type AnalyzeConfig,
  type AnalyzeOptions,
  type Decomposition,
  type SignalName,
} from '../../analyzer/index.js';
import { loadConfigFile, writeOutputs, type OutputFile } from '../../core/index.js';
import { decompositionRenderers, type ReportFormat } from '../../reports/index.js';
import { CliError, CliErrorCode } from '../errors.js';
import type { CliIO } from '../io.js';
import { parseFormats, parseList, parseNumber, parseWeights } from '../options.js';
import { progressReporter } from '../progress.js';

/** Values of a flag given several times (`--include a --include b`) or comma-separated. */
export function repeated(rawArgs: readonly string[], flag: string): string[] | undefined {
  const out: string[] = [];
  rawArgs.forEach((token, i) => {
    if (token === `--${flag}` && rawArgs[i + 1] !== undefined) out.push(...parseList(rawArgs[i + 1]));
    else if (token.startsWith(`--${flag}=`)) out.push(...parseList(token.slice(flag.length + 3)));
  });
  return out.length > 0 ? out : undefined;
}

function parseSignals(value: string | undefined): SignalName[] | undefined {
  if (value === undefined) return undefined;
  const list = parseList(value);
  for (const s of list) {
    if (!SIGNALS.includes(s as SignalName)) throw new CliError(CliErrorCode.BAD_VALUE, `--signals "${s}" is not a signal; valid: ${SIGNALS.join(', ')}`);
  }
  if (list.length === 0) throw new CliError(CliErrorCode.BAD_VALUE, `--signals is empty; valid: ${SIGNALS.join(', ')}`);
  return list as SignalName[];
}

type Args = Record<string, unknown>;
const str = (v: unknown): string | undefined => (v === undefined || v === '' ? undefined : String(v));

/** Flags override the config file; globs in both are relative to the root. */
export function analyzeOptions(args: Args, rawArgs: readonly string[], config: AnalyzeConfig | undefined, io: CliIO): AnalyzeOptions {
  const resolution = parseNumber('resolution', str(args.resolution), { min: 0.0001 }) ?? config?.resolution;
  const contexts = parseNumber('contexts', str(args.contexts), { integer: true, min: 1 }) ?? config?.contexts;
  if (str(args.resolution) !== undefined && str(args.contexts) !== undefined) {
    throw new CliError(CliErrorCode.USAGE, '--resolution and --contexts exclude each other; give one');
  }
  const tsconfig = str(args.tsconfig) !== undefined ? resolve(io.cwd, String(args.tsconfig)) : config?.tsconfig;
  const include = repeated(rawArgs, 'include') ?? config?.include;
  const exclude = repeated(rawArgs, 'exclude') ?? config?.exclude;
  const signals = parseSignals(str(args.signals)) ?? (config?.signals as SignalName[] | undefined);
  const weights = { ...config?.weights, ...parseWeights(str(args.weights), SIGNALS) };
  const constraints = config && (config.pin || config.keepTogether || config.keepApart)
    ? { pin: config.pin ?? {}, keepTogether: config.keepTogether ?? [], keepApart: (config.keepApart ?? []) as [string, string][] }
    : undefined;
  return {
    ...(tsconfig !== undefined && { tsconfig }),
    ...(include !== undefined && { include }),
    ...(exclude !== undefined && { exclude }),
    ...(signals !== undefined && { signals }),
    weights,
    ...(contexts !== undefined ? { contexts } : resolution !== undefined ? { resolution } : {}),
    seed: parseNumber('seed', str(args.seed), { integer: true }) ?? config?.seed ?? DEFAULT_SEED,
    runs: parseNumber('runs', str(args.runs), { integer: true, min: 1, max: 100 }) ?? config?.runs ?? DEFAULT_RUNS,
    ...(constraints && { constraints }),
  };
}

export function outputFiles(d: Decomposition, formats: readonly ReportFormat[]): OutputFile[] {
  const files: OutputFile[] = formats.map((f) => ({ name: `decomposition.${f}`, content: decompositionRenderers[f](d) }));
  const header = (what: string) => `# Draft ${what} written by \`${d.run.command}\`; edit before use.\n`;
  files.push({ name: 'ficus.gateway.draft.yaml', content: header('gateway config') + stringify(gatewayDraft(d.contexts)) });
  files.push({ name: 'ficus.cdc.draft.yaml', content: header('CDC mappings, one per context') + stringify(cdcDrafts(d.contexts, d.tables)) });
  return files;
}

function summary(d: Decomposition, written: readonly string[]): string {
  const lines = [
    `Analyzed ${d.source.files} files (${d.source.lines.toLocaleString('en-US')} lines)${d.source.failed.length ? `, ${d.source.failed.length} could not be parsed` : ''}.`,
    `${d.contexts.filter((c) => c.kind === 'domain').length} candidate contexts, modularity ${d.metrics.modularity.toFixed(3)}:`,
    ...d.contexts.map((c) => `  ${c.id.padEnd(22)} ${String(c.members.length).padStart(5)} files  stability ${c.metrics.stability.toFixed(2)}${c.kind === 'shared-kernel' ? '  (shared kernel)' : ''}`),
    `Extraction order: ${d.order.join(' → ') || '(none)'}`,
    ...d.signals.filter((s) => s.note).map((s) => `Note: ${s.name}: ${s.note}`),
    ...written.map((f) => `wrote ${f}`),
  ];
  return `${lines.join('\n')}\n`;
}

export default defineCommand({
  meta: { name: 'analyze', description: 'Decompose a TypeScript/JavaScript codebase into candidate bounded contexts' },
  args: {
    root: { type: 'positional', description: 'Root folder of the codebase', required: true },
    out: { type: 'string', description: 'Output folder', default: 'ficus-report' },
    tsconfig: { type: 'string', description: 'tsconfig.json for path aliases (default <root>/tsconfig.json)' },
    include: { type: 'string', description: 'Only files matching these globs, relative to root (repeatable or comma-separated)' },
    exclude: { type: 'string', description: 'Skip files matching these globs, relative to root (repeatable or comma-separated)' },
    signals: { type: 'string', description: `Signals to use: ${SIGNALS.join(',')} (default all)` },
    weights: { type: 'string', description: 'Signal weights, e.g. static=1,data=0.8' },
    resolution: { type: 'string', description: 'Louvain resolution (higher: more, smaller contexts; default 1)' },
    contexts: { type: 'string', description: 'Target number of contexts (instead of --resolution)' },
    seed: { type: 'string', description: `Random seed (default ${DEFAULT_SEED})` },
    runs: { type: 'string', description: `Seeded Louvain runs combined by consensus (default ${DEFAULT_RUNS})` },
    config: { type: 'string', description: 'ficus.analyze.yaml with defaults and pin/keepTogether/keepApart constraints' },
    format: { type: 'string', description: 'Report formats: json,html,md', default: 'json,html,md' },
    impact: { type: 'string', description: 'Print the contexts a change to this file (relative to root) ripples into' },
    quiet: { type: 'boolean', description: 'Print only the HTML path' },
  },
  async run({ args, rawArgs, data }) {
    const { io, version } = data as { io: CliIO; version: string };
    const a = args as Args;
    const root = resolve(io.cwd, String(a.root));
    const formats = parseFormats(String(a.format));
    if (!formats.includes('json')) formats.unshift('json');
    const config = str(a.config) !== undefined
      ? await loadConfigFile(resolve(io.cwd, String(a.config)), AnalyzeConfigSchema, { env: io.env, kind: 'analyze config' })
      : undefined;
    const options = analyzeOptions(a, rawArgs, config, io);
    const progress = progressReporter(io, Boolean(a.quiet));
    const command = ['ficus', 'analyze', ...rawArgs].join(' ');
    let result;
    try {
      result = await analyze(root, { ...options, command, version, onProgress: progress.update });
    } finally {
      progress.stop();
    }
    if (str(a.impact) !== undefined) {
      const target = String(a.impact).replace(/\\/g, '/').replace(/^\.\//, '');
      if (!result.files.some((f) => f.path === target)) {
        throw new CliError(CliErrorCode.BAD_VALUE, `--impact "${target}" is not an analysed file under ${root}; give a path relative to the root, e.g. ${result.files[0]?.path ?? 'src/index.ts'}`);
      }
      const impact = impactOf(target, result.files, result.contextOf);
      io.stdout.write(`A change to ${target} (context ${result.contextOf.get(target) ?? '?'}) ripples into:\n`);
      for (const e of impact) io.stdout.write(`  ${e.context.padEnd(22)} ${String(e.files).padStart(4)} files, nearest ${e.depth} hop(s): ${e.examples.join(', ')}\n`);
      return 0;
    }
    const out = resolve(io.cwd, String(a.out));
    const written = await writeOutputs(out, outputFiles(result.decomposition, formats));
    const html = written.find((f) => basename(f) === 'decomposition.html');
    if (a.quiet) io.stdout.write(`${html ?? written[0]}\n`);
    else io.stdout.write(summary(result.decomposition, written) + (html ? `Open ${html}\n` : ''));
    return 0;
  },
});
