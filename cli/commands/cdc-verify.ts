/**
 * `ficus cdc verify --config ficus.cdc.yaml [--table T] [--repair] [--out FILE] [--report DIR]`:
 * compares the source and target tables through the mapping (cdc verifyCdc) and prints the
 * VerifyResult as JSON on stdout (or into --out FILE); --report DIR writes verify.html and
 * verify.md there. A one-line summary per table goes to stderr.
 *
 * Exit codes: 0 every table equal; 1 some table differs or could not be compared (with
 * --repair too: the result shows what was found and what was re-applied — run verify again to
 * confirm); 2 bad config or options.
 */
import { basename, dirname, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { loadCdcConfig, verifyCdc, type TableVerifyResult, type VerifyResult } from '../../cdc/index.js';
import { createLogger, writeOutputs } from '../../core/index.js';
import type { CliIO } from '../io.js';
import { CliError, CliErrorCode } from '../errors.js';

// Not cli/options.ts: it imports reports/ (and so ts-morph), which verify needs only for --report.
function tables(v: unknown): string[] {
  const items = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return items.flatMap((s) => s.split(',').map((x) => x.trim())).filter(Boolean);
}

function whole(flag: string, v: unknown, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new CliError(CliErrorCode.BAD_VALUE, `--${flag} "${String(v)}" is not a whole number from 0 to ${max}`);
  return n;
}

function summary(t: TableVerifyResult): string {
  const m = t.mismatches;
  const found = t.status === 'different' ? `: ${m.missing.length} missing, ${m.extra.length} extra, ${m.different.length} different${m.truncated ? ' (more not listed)' : ''}` : '';
  const problem = t.problem ? `: ${t.problem.message} [${t.problem.code}]` : '';
  const repair = t.repair ? `; repaired ${t.repair.upserted} upserts, ${t.repair.deleted} deletes${t.repair.deadLettered ? `, ${t.repair.deadLettered} refused` : ''}` : '';
  return `ficus cdc verify: ${t.from} → ${t.to}: ${t.status}${found}${problem} (${t.rows.source} / ${t.rows.target} rows, ${t.durationMs} ms)${repair}\n`;
}

export default defineCommand({
  meta: { name: 'verify', description: 'Compare source and target tables through the mapping; --repair re-applies the source rows' },
  args: {
    config: { type: 'string', description: 'CDC config (YAML or JSON)', default: 'ficus.cdc.yaml' },
    table: { type: 'string', description: 'Only these tables (source or target name; comma list or repeated)' },
    repair: { type: 'boolean', description: 'Re-apply source rows for missing and different keys, delete extra keys' },
    out: { type: 'string', description: 'Write the JSON result to this file instead of stdout' },
    report: { type: 'string', description: 'Write verify.html and verify.md into this folder' },
    'chunk-rows': { type: 'string', description: 'Rows per checksum chunk (default: verify.chunkRows)' },
    'recheck-after-ms': { type: 'string', description: 'Wait this long before checking mismatches again (default: verify.recheckAfterMs)' },
    rechecks: { type: 'string', description: 'Recheck rounds at most (default 2)' },
    'log-level': { type: 'string', description: 'pino level: fatal, error, warn, info, debug, trace, silent', default: 'warn' },
  },
  async run({ args, data }) {
    const { io } = data as { io: CliIO };
    const chunkRows = whole('chunk-rows', args['chunk-rows'], 10_000_000);
    const recheckAfterMs = whole('recheck-after-ms', args['recheck-after-ms'], 600_000);
    const rechecks = whole('rechecks', args.rechecks, 100);
    const config = await loadCdcConfig(resolve(io.cwd, String(args.config)), io.env);
    const logger = createLogger({ level: String(args['log-level']) as 'warn', base: { part: 'cdc' } });
    const result: VerifyResult = await verifyCdc({
      config,
      tables: tables(args.table),
      repair: args.repair === true,
      logger,
      ...(chunkRows === undefined ? {} : { chunkRows }),
      ...(recheckAfterMs === undefined ? {} : { recheckAfterMs }),
      ...(rechecks === undefined ? {} : { rechecks }),
    });
    const json = `${JSON.stringify(result, null, 2)}\n`;
    if (typeof args.out === 'string' && args.out !== '') {
      const file = resolve(io.cwd, args.out);
      await writeOutputs(dirname(file), [{ name: basename(file), content: json }]);
    } else {
      io.stdout.write(json);
    }
    if (typeof args.report === 'string' && args.report !== '') {
      // Loaded only when asked for: reports/ pulls in the analyzer (ts-morph).
      const { renderVerifyHtml, renderVerifyMarkdown } = await import('../../reports/index.js');
      await writeOutputs(resolve(io.cwd, args.report), [
        { name: 'verify.html', content: renderVerifyHtml(result) },
        { name: 'verify.md', content: renderVerifyMarkdown(result) },
      ]);
    }
    for (const t of result.tables) io.stderr.write(summary(t));
    return result.equal ? 0 : 1;
  },
});
