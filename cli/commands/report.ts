/**
 * `ficus report <input> [--format html,md,json] [--out DIR]`: renders a saved result into the
 * report formats, after finding out what it is (report-input.ts):
 *   decomposition.json (ficus analyze)        → html, md, json
 *   replay.json (ficus replay)                → html, md
 *   a diffs folder, or a diffs .ndjson file    → html, md (diff rate per route over time when the
 *                                                gateway wrote comparison tallies beside the records)
 * Writes `<stem>.<format>` into --out (default: the input's folder; for a folder, its parent)
 * and prints each file written.
 */
import { basename, dirname, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { FicusError, writeOutputs, type OutputFile } from '../../core/index.js';
import {
  decompositionRenderers,
  DIFF_REPORT_FORMATS,
  diffReportRenderers,
  replayRenderers,
  ReportErrorCode,
  type DiffReportFormat,
  type ReportFormat,
} from '../../reports/index.js';
import type { CliIO } from '../io.js';
import { parseFormats } from '../options.js';
import { loadReportInput, type ReportInput } from './report-input.js';

function diffFormats(formats: readonly ReportFormat[], input: ReportInput, shown: string): DiffReportFormat[] {
  const bad = formats.filter((f) => !DIFF_REPORT_FORMATS.includes(f as DiffReportFormat));
  if (bad.length > 0) {
    throw new FicusError(
      ReportErrorCode.FORMAT,
      `--format ${bad.join(',')}: ${shown} is a ${input.kind === 'replay' ? 'replay result' : 'diffs input'}, rendered as ${DIFF_REPORT_FORMATS.join(', ')} only`,
      { exitCode: 2 },
    );
  }
  return formats as DiffReportFormat[];
}

function render(input: ReportInput, formats: readonly ReportFormat[], shown: string, now: () => Date): OutputFile[] {
  switch (input.kind) {
    case 'decomposition':
      return formats.map((f) => ({ name: `${input.stem}.${f}`, content: decompositionRenderers[f](input.value) }));
    case 'replay':
      return diffFormats(formats, input, shown).map((f) => ({ name: `${input.stem}.${f}`, content: replayRenderers[f](input.value) }));
    case 'diffs': {
      const value = { ...input.value, generatedAt: now().toISOString() };
      return diffFormats(formats, input, shown).map((f) => ({ name: `${input.stem}.${f}`, content: diffReportRenderers[f](value) }));
    }
  }
}

export default defineCommand({
  meta: { name: 'report', description: 'Render a decomposition.json, a replay.json or shadow diffs (a diffs folder or .ndjson file) as HTML and Markdown' },
  args: {
    input: { type: 'positional', description: 'decomposition.json, replay.json, a diffs .ndjson file or a diffs folder', required: true },
    format: { type: 'string', description: 'Comma-separated formats: html, md, json (json for decompositions only)', default: 'html,md' },
    out: { type: 'string', description: 'Output folder (default: the input file’s folder; a folder’s parent)' },
  },
  async run({ args, data }) {
    const io = (data as { io: CliIO }).io;
    const shown = String(args.input);
    const input = resolve(io.cwd, shown);
    const formats = parseFormats(String(args.format));
    const loaded = await loadReportInput(input, shown);
    const out = args.out ? resolve(io.cwd, String(args.out)) : dirname(input);
    const files = render(loaded, formats, basename(shown) || shown, () => new Date());
    const written = await writeOutputs(out, files);
    for (const file of written) io.stdout.write(`${file}\n`);
    return 0;
  },
});
