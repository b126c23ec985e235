/**
 * The ndjson store's comparison tallies: one JSON line per (route, minute) flush in
 * `dir/tallies-<YYYYMMDD>.ndjson` (the UTC day of the bucket), beside the record files. Lines
 * are additions — a (route, bucket) flushed twice (two instances, or a minute written in two
 * parts) has two lines, summed on reading.
 *
 * A failed append can leave a partial last line. The writer then restores the counts and
 * retries, so before the next append to a file whose end is not known to be clean the partial
 * line is cut off (truncated to the last newline): its counts are not counted twice. Readers
 * skip a partial last line too (a crash mid-append); any other line that is not a tally is an
 * error naming file:line.
 *
 * `readTallies` is the public reader `ficus report` uses.
 */
import { createReadStream } from 'node:fs';
import { appendFile, open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ComparisonTally, TallyQuery } from '../model.js';
import { endsWithNewline, isTallyFileName, parseDiffFileName, storeError, tallyFileName, utcDay } from './ndjson-files.js';
import { checkTallies, checkTallyQuery, matchesTallyQuery, sumTallies, tallyProblem } from './tallies.js';

const TAIL_BYTES = 64 * 1024;

/** Appends `data` to `path`; `first` on the store's first append to that file (the store fsyncs then, if it fsyncs). */
export type Append = (path: string, data: string, first: boolean) => Promise<void>;

/** Appends tallies for one store instance, repairing a file's torn end before its first append. */
export class TallyFiles {
  /** Files whose end is known to be a whole line. */
  private readonly clean = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly write: Append = (path, data) => appendFile(path, data),
  ) {}

  async append(tallies: readonly ComparisonTally[]): Promise<void> {
    checkTallies(tallies);
    const byFile = new Map<string, string[]>();
    for (const t of sumTallies(tallies)) {
      const file = join(this.dir, tallyFileName(utcDay(new Date(t.bucket))));
      const lines = byFile.get(file) ?? [];
      lines.push(JSON.stringify({ route: t.route, bucket: t.bucket, compared: t.compared, different: t.different, noise: t.noise }) + '\n');
      byFile.set(file, lines);
    }
    for (const [file, lines] of byFile) {
      try {
        const first = !this.clean.has(file);
        if (first) await cutTornTail(file);
        this.clean.add(file);
        await this.write(file, lines.join(''), first);
      } catch (err) {
        this.clean.delete(file);
        throw storeError(`cannot append comparison tallies to ${file}`, err);
      }
    }
  }

  async list(query?: TallyQuery): Promise<ComparisonTally[]> {
    checkTallyQuery(query);
    return (await readTallies(this.dir)).filter((t) => matchesTallyQuery(t, query));
  }
}

/** Truncates a file to its last newline when it ends in a partial line; a missing file is fine. */
async function cutTornTail(path: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (await endsWithNewline(path, size)) return;
  const fh = await open(path, 'r+');
  try {
    const start = Math.max(0, size - TAIL_BYTES);
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(size - start), 0, size - start, start);
    const last = buffer.subarray(0, bytesRead).lastIndexOf(0x0a);
    await fh.truncate(last < 0 ? start : start + last + 1);
  } finally {
    await fh.close();
  }
}

/** Tally files in a folder, by day. */
export async function listTallyFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw storeError(`cannot read the diff folder ${dir}`, err);
  }
  return names
    .filter(isTallyFileName)
    .sort()
    .map((n) => join(dir, n));
}

async function* tallyLines(path: string): AsyncGenerator<ComparisonTally> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    throw storeError(`cannot read the tally file ${path}`, err, false);
  }
  if (size === 0) return;
  const closed = await endsWithNewline(path, size);
  const lines = createInterface({ input: createReadStream(path, { start: 0, end: size - 1 }), crlfDelay: Infinity });
  let pending: { text: string; line: number } | null = null;
  let n = 0;
  const parse = (text: string, line: number, last: boolean): ComparisonTally | null => {
    let value: unknown;
    let problem: string | null;
    try {
      value = JSON.parse(text);
      problem = tallyProblem(value);
    } catch (err) {
      problem = `is not valid JSON (${err instanceof Error ? err.message : String(err)})`;
    }
    if (problem === null) return value as ComparisonTally;
    if (last && !closed) return null; // torn by a crash mid-append
    throw new FicusError(GatewayErrorCode.DIFF_STORE, `${path}:${line}: the line ${problem}; each line of a tally file must be one JSON ComparisonTally`, {
      details: { file: path, line },
    });
  };
  try {
    for await (const text of lines) {
      n += 1;
      if (pending !== null) yield parse(pending.text, pending.line, false) as ComparisonTally;
      pending = text.trim() === '' ? null : { text, line: n };
    }
  } catch (err) {
    if (err instanceof FicusError) throw err;
    throw storeError(`cannot read the tally file ${path}`, err);
  } finally {
    lines.close();
  }
  if (pending === null) return;
  const t = parse(pending.text, pending.line, true);
  if (t !== null) yield t;
}

/**
 * The summed tallies of one tally file, or of every tally file in a folder (a diffs folder),
 * in bucket then route order; none when there are none. Throws GW_DIFF_STORE naming
 * file:line for a malformed line.
 *
 * @example
 *   const tallies = await readTallies('./ficus-diffs');
 */
export async function readTallies(path: string): Promise<ComparisonTally[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw storeError(`cannot read tallies from ${path}`, err, false);
  }
  const files = isDir ? await listTallyFiles(path) : [path];
  const all: ComparisonTally[] = [];
  for (const file of files) for await (const t of tallyLines(file)) all.push(t);
  return sumTallies(all);
}

/** The tally file holding the same day as a record file `diffs-<day>-<seq>.ndjson`, if named so. */
export function tallyFileFor(diffFile: string): string | null {
  const name = parseDiffFileName(basename(diffFile));
  return name === null ? null : join(dirname(diffFile), tallyFileName(name.day));
}
