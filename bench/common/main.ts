/**
 * Runs a benchmark's `main()`: `--help` prints the Usage lines of the script's header comment;
 * an unknown or malformed option (node:util parseArgs) is a one-line message and exit 2, not a
 * stack trace; anything else is a bench failure and prints its stack (exit 1).
 *
 * @example
 *   await runMain(main, import.meta.url);
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function usage(moduleUrl: string): string {
  const file = fileURLToPath(moduleUrl);
  // The source's header: tsc drops a leading comment that sits on an import it elides.
  const source = file.replace(/([\\/])dist([\\/])bench([\\/])/, '$1bench$3').replace(/\.js$/, '.ts');
  let text = '';
  for (const f of [source, file]) {
    try {
      text = readFileSync(f, 'utf8');
      if (/^\s*\*\s?Usage:/m.test(text)) break;
    } catch {
      // try the next
    }
  }
  const lines: string[] = [];
  let inUsage = false;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*\*\s?/, '');
    if (/^Usage:/.test(line)) inUsage = true;
    else if (inUsage && (!/^\s+\S/.test(line) || raw.includes('*/'))) break;
    if (inUsage) lines.push(line);
  }
  return lines.length > 0 ? lines.join('\n') : `see the header of ${source}`;
}

export async function runMain(main: () => Promise<void>, moduleUrl: string): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${usage(moduleUrl)}\n`);
    return;
  }
  try {
    await main();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`bench: ${(err as Error).message}\n${usage(moduleUrl)}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
