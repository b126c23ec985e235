/**
 * `ficus report <decomposition.json> [--format html,md,json] [--out DIR]`: re-renders a saved
 * decomposition (validated against its schema first) into the report formats.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { validateDecomposition } from '../../analyzer/index.js';
import { FicusError, writeOutputs } from '../../core/index.js';
import { decompositionRenderers } from '../../reports/index.js';
import type { CliIO } from '../io.js';
import { parseFormats } from '../options.js';

export default defineCommand({
  meta: { name: 'report', description: 'Render a saved decomposition.json as HTML, Markdown and JSON' },
  args: {
    input: { type: 'positional', description: 'decomposition.json written by ficus analyze', required: true },
    format: { type: 'string', description: 'Comma-separated formats: html, md, json', default: 'html,md' },
    out: { type: 'string', description: 'Output folder (default: the input file’s folder)' },
  },
  async run({ args, data }) {
    const io = (data as { io: CliIO }).io;
    const input = resolve(io.cwd, String(args.input));
    const formats = parseFormats(String(args.format));
    let text: string;
    try {
      text = await readFile(input, 'utf8');
    } catch (err) {
      throw new FicusError('RPT_INPUT_NOT_FOUND', `${args.input}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass a decomposition.json written by ficus analyze`, { cause: err, exitCode: 2 });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw new FicusError('RPT_INPUT_NOT_JSON', `${args.input}: not JSON (${(err as Error).message})`, { cause: err });
    }
    const decomposition = validateDecomposition(json, String(args.input));
    const out = args.out ? resolve(io.cwd, String(args.out)) : resolve(input, '..');
    const stem = basename(input).replace(/\.json$/, '');
    const written = await writeOutputs(
      out,
      formats.map((f) => ({ name: `${stem}.${f}`, content: decompositionRenderers[f](decomposition) })),
    );
    for (const file of written) io.stdout.write(`${file}\n`);
    return 0;
  },
});
