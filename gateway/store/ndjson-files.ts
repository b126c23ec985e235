/**
 * The ndjson store's files: names (`diffs-<YYYYMMDD>-<seq>.ndjson`, UTC day, seq from 1), their
 * order (day, then seq), and reading them line by line. A line that is not a DiffRecord is an
 * error naming file:line — except the last line of a file when it has no newline after it: that
 * is a write torn by a crash (an append never leaves a partial line anywhere else, because the
 * store starts a new file after a failed or interrupted write), and it is skipped.
 *
 * `readDiffFile` is the public reader `ficus replay` and `ficus report` use. It yields every
 * stored line, so a record re-written after a retry appears twice; the store's `list` dedupes.
 * The comparison tallies' files (`tallies-<YYYYMMDD>.ndjson`) are not records and are left out.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffRecord } from '../model.js';
import { parseRecord } from './record.js';

const NAME = /^diffs-(\d{8})-(\d+)\.ndjson$/;
/** The store's comparison tallies (ndjson-tallies.ts) live beside the records; readers of records skip them. */
const TALLY_NAME = /^tallies-(\d{8})\.ndjson$/;

export function tallyFileName(day: string): string {
  return `tallies-${day}.ndjson`;
}

export function isTallyFileName(name: string): boolean {
  return TALLY_NAME.test(name);
}

export interface DiffFileName {
  readonly day: string;
  readonly seq: number;
}

export function diffFileName(day: string, seq: number): string {
  return `diffs-${day}-${String(seq).padStart(4, '0')}.ndjson`;
}

export function parseDiffFileName(name: string): DiffFileName | null {
  const m = NAME.exec(name);
  return m?.[1] === undefined || m[2] === undefined ? null : { day: m[1], seq: Number(m[2]) };
}

/** YYYYMMDD of a time, in UTC. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10).replaceAll('-', '');
}

/** Store files in a folder in write order: by day, then seq; other `.ndjson` files after, by name (tally files left out). */
export async function listDiffFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw storeError(`cannot read the diff folder ${dir}`, err);
  }
  const key = (n: string): [number, string, number] => {
    const f = parseDiffFileName(n);
    return f === null ? [1, n, 0] : [0, f.day, f.seq];
  };
  return names
    .filter((n) => n.endsWith('.ndjson') && !isTallyFileName(n))
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      return ka[0] - kb[0] || (ka[1] < kb[1] ? -1 : ka[1] > kb[1] ? 1 : 0) || ka[2] - kb[2];
    })
    .map((n) => join(dir, n));
}

export interface FileSnapshot {
  readonly path: string;
  /** Bytes to read: the file's size when the snapshot was taken (later appends are left out). */
  readonly size: number;
}

export interface ReadOptions {
  /** Called for a torn last line that was skipped. */
  readonly onTorn?: (file: string, line: number) => void;
}

/** True when the first `size` bytes of the file end with a newline (or are none). */
export async function endsWithNewline(path: string, size: number): Promise<boolean> {
  if (size === 0) return true;
  const fh = await open(path, 'r');
  try {
    const { buffer } = await fh.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/** Reads the records of snapshotted files, in order. */
export async function* readSnapshots(files: readonly FileSnapshot[], options: ReadOptions = {}): AsyncGenerator<DiffRecord> {
  for (const { path, size } of files) {
    if (size === 0) continue;
    let closed: boolean;
    try {
      closed = await endsWithNewline(path, size);
    } catch (err) {
      throw storeError(`cannot read the diff file ${path}`, err);
    }
    const lines = createInterface({ input: createReadStream(path, { start: 0, end: size - 1 }), crlfDelay: Infinity });
    let pending: { text: string; line: number } | null = null;
    let n = 0;
    try {
      for await (const text of lines) {
        n += 1;
        if (pending !== null) yield recordAt(path, pending.line, pending.text);
        pending = text.trim() === '' ? null : { text, line: n };
      }
    } catch (err) {
      if (err instanceof FicusError) throw err;
      throw storeError(`cannot read the diff file ${path}`, err);
    } finally {
      lines.close();
    }
    if (pending === null) continue;
    const parsed = parseRecord(pending.text);
    if ('record' in parsed) yield parsed.record;
    else if (closed) throw malformed(path, pending.line, parsed.problem);
    else options.onTorn?.(path, pending.line);
  }
}

function recordAt(file: string, line: number, text: string): DiffRecord {
  const parsed = parseRecord(text);
  if ('record' in parsed) return parsed.record;
  throw malformed(file, line, parsed.problem);
}

function malformed(file: string, line: number, problem: string): FicusError {
  return new FicusError(GatewayErrorCode.DIFF_STORE, `${file}:${line}: the line ${problem}; each line must be one JSON DiffRecord`, {
    details: { file, line },
  });
}

export function storeError(what: string, err: unknown, retriable = true): FicusError {
  const why = err instanceof Error ? err.message : String(err);
  return new FicusError(GatewayErrorCode.DIFF_STORE, `${what}: ${why}`, { cause: err, retriable });
}

/** Sizes of the given files now, skipping files that vanished. */
export async function snapshot(paths: readonly string[]): Promise<FileSnapshot[]> {
  const out: FileSnapshot[] = [];
  for (const path of paths) {
    try {
      out.push({ path, size: (await stat(path)).size });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw storeError(`cannot read the diff file ${path}`, err);
    }
  }
  return out;
}

/**
 * Every record in one `.ndjson` file, or in every `.ndjson` file of a folder in write order.
 * Throws GW_DIFF_STORE naming file:line for a malformed line; skips a torn last line.
 *
 * @example
 *   for await (const record of readDiffFile('./ficus-diffs')) replay(record);
 */
export async function* readDiffFile(path: string, options: ReadOptions = {}): AsyncGenerator<DiffRecord> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw storeError(`cannot read diffs from ${path}`, err, false);
  }
  yield* readSnapshots(await snapshot(isDir ? await listDiffFiles(path) : [path]), options);
}
