/**
 * The ndjson DiffStore: one JSON line per record in `dir/diffs-<YYYYMMDD>-<seq>.ndjson`, a new
 * file when the UTC day changes or the next batch would pass `maxFileBytes` (a batch is never
 * split, so one larger than the cap gets a file of its own). For one gateway instance per
 * folder; several instances share the Postgres store instead.
 *
 * Writes are serialised — one in flight, a batch is one append of its lines joined — and resolve
 * once the append returns. `fsync` is off by default: an append is in the OS page cache when it
 * returns, which survives the gateway crashing or being killed; only a kernel crash or power loss
 * could lose the last moments, and diff records are diagnostics that the writer already drops
 * under pressure, so an fsync per batch (milliseconds each on most disks) is not worth paying by
 * default. Turn it on when the records must survive the machine.
 *
 * After a failed append, or on opening a file whose last line has no newline (a crash), the next
 * write starts a new file, so a torn line is only ever the last line of a file — which readers skip.
 * Re-writing an id (a retried batch) appends it again; `list` returns each id once, the first line
 * winning among the lines that match the query — ids name one record, so the lines are the same.
 * `list` scans every file (memory bounded by twice the limit): fine for a folder, not for volume.
 * Comparison tallies go to `dir/tallies-<YYYYMMDD>.ndjson` (ndjson-tallies.ts), on the same queue.
 */
import { appendFile, mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { childLogger, FicusError, silentLogger, type Logger } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { ComparisonTally, DiffQuery, DiffRecord, DiffStore, TallyQuery } from '../model.js';
import { diffFileName, endsWithNewline, listDiffFiles, parseDiffFileName, readSnapshots, snapshot, storeError, utcDay } from './ndjson-files.js';
import { TallyFiles } from './ndjson-tallies.js';
import { LowestIds, matchesQuery, normaliseQuery } from './query.js';
import { serialisedBytes } from './record.js';

const NEWLINE = Buffer.from('\n');

export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface NdjsonStoreOptions {
  /** Folder of the files; created if missing. */
  readonly dir: string;
  /** Start a new file before a batch would make the current one larger than this (default 64 MiB). */
  readonly maxFileBytes?: number;
  /** fsync each batch before the write resolves (default false; see the module header). */
  readonly fsync?: boolean;
  readonly logger?: Logger;
  /** The clock that picks the day of the file; injected by tests. */
  readonly now?: () => Date;
}

interface Current {
  readonly day: string;
  readonly seq: number;
  readonly path: string;
  size: number;
  /** False after a failed append: the file may end in a partial line, so the next write starts a new one. */
  clean: boolean;
  /** Open for appending from the first write until the store moves to another file (or closes). */
  fh: FileHandle | null;
  /** The open file's device and inode, to tell when the path names another file. */
  id: string;
}

/**
 * @example
 *   const store = await createNdjsonStore({ dir: './ficus-diffs' });
 *   await store.write(records);
 *   const page = await store.list({ route: 'products', after: lastId, limit: 50 });
 */
export async function createNdjsonStore(options: NdjsonStoreOptions): Promise<DiffStore> {
  const { dir, fsync = false, now = () => new Date() } = options;
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (typeof dir !== 'string' || dir === '') throw new FicusError(GatewayErrorCode.DIFF_STORE, 'ndjson diff store: dir must be a folder path');
  if (!Number.isInteger(maxFileBytes) || maxFileBytes < 1) {
    throw new FicusError(GatewayErrorCode.DIFF_STORE, `ndjson diff store: maxFileBytes ${String(maxFileBytes)} must be a positive integer (bytes)`);
  }
  const log = childLogger(options.logger ?? silentLogger(), { part: 'gateway', mod: 'diff-store', store: 'ndjson' });
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw storeError(`cannot create the diff folder ${dir}`, err, false);
  }

  let current: Current | null = null;
  const tallies = new TallyFiles(dir, (path, data, first) => (fsync ? appendSynced(path, data, first ? dir : null) : appendFile(path, data)));
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  /** Runs `op` after every operation queued before it: one in flight. */
  function serial<T>(op: () => Promise<T>): Promise<T> {
    const run = tail.then(op);
    tail = run.catch(() => undefined);
    return run;
  }

  async function lastFileOf(day: string): Promise<Current> {
    let seq = 0;
    for (const path of await listDiffFiles(dir)) {
      const name = parseDiffFileName(basename(path));
      if (name?.day === day && name.seq > seq) seq = name.seq;
    }
    if (seq === 0) return fresh(day, 1);
    const path = join(dir, diffFileName(day, seq));
    const { size } = await stat(path);
    return { day, seq, path, size, clean: await endsWithNewline(path, size), fh: null, id: '' };
  }

  function fresh(day: string, seq: number): Current {
    return { day, seq, path: join(dir, diffFileName(day, seq)), size: 0, clean: true, fh: null, id: '' };
  }

  async function target(bytes: number): Promise<Current> {
    const day = utcDay(now());
    let file = current?.day === day ? current : await lastFileOf(day);
    if (!file.clean || (file.size > 0 && file.size + bytes > maxFileBytes)) file = fresh(day, file.seq + 1);
    if (current !== null && current !== file) await release(current);
    current = file;
    return file;
  }

  /** Closes a file's handle; a failure to close loses nothing written (each append has returned). */
  async function release(file: Current): Promise<void> {
    const fh = file.fh;
    file.fh = null;
    if (fh)
      await fh
        .close()
        .catch((err: unknown) => log.warn({ file: file.path, err: err instanceof Error ? err.message : String(err) }, 'cannot close a diff file'));
  }

  async function append(lines: Buffer): Promise<void> {
    const bytes = lines.length;
    let file: Current;
    try {
      file = await target(bytes);
    } catch (err) {
      throw storeError(`cannot prepare a diff file in ${dir}`, err);
    }
    try {
      // One handle per file, not an open and close per batch (appendFile by path): the opens and
      // closes were ~2 % of the proxy's thread with every answer differing (a CPU profile of
      // bench/reliability's shadow-differs). O_APPEND: each write lands at the end.
      // A file removed or replaced behind the store's back (an operator clearing the folder) is
      // opened anew by path, as an append by path would: records are not written to an unlinked inode.
      if (file.fh !== null && (await fileId(file.path)) !== file.id) await release(file);
      const created = file.size === 0 && file.fh === null;
      if (file.fh === null) {
        file.fh = await open(file.path, 'a');
        const st = await file.fh.stat();
        file.id = `${st.dev}:${st.ino}`;
      }
      await file.fh.appendFile(lines);
      if (fsync) {
        await file.fh.datasync();
        if (created) await syncDir(dir); // a new file's directory entry must be durable too
      }
      file.size += bytes;
    } catch (err) {
      file.clean = false;
      await release(file);
      throw storeError(`cannot append ${bytes} bytes to ${file.path}`, err);
    }
  }

  function ensureOpen(what: string): void {
    if (closed) throw new FicusError(GatewayErrorCode.DIFF_STORE, `ndjson diff store ${dir} is closed; cannot ${what}`);
  }

  return {
    async write(records: readonly DiffRecord[]): Promise<void> {
      ensureOpen('write');
      if (records.length === 0) return;
      // Bytes, not one joined string: a record made in the judge's thread arrives as UTF-8 already, and
      // joining and encoding a batch of 64 KiB records cost the proxy's thread tens of ms at once.
      const parts: Buffer[] = [];
      for (const r of records) parts.push(serialisedBytes(r), NEWLINE);
      const lines = Buffer.concat(parts);
      await serial(() => append(lines));
    },

    async list(query?: DiffQuery): Promise<DiffRecord[]> {
      ensureOpen('list');
      const q = normaliseQuery(query);
      // Sizes are taken between writes, so each file is read up to a line boundary.
      const files = await serial(async () => snapshot(await listDiffFiles(dir)));
      const best = new LowestIds(q.limit);
      const onTorn = (file: string, line: number): void => log.warn({ file, line }, 'skipped a torn last line (a write interrupted by a crash)');
      for await (const record of readSnapshots(files, { onTorn })) {
        if (matchesQuery(record, q)) best.offer(record);
      }
      return best.sorted();
    },

    async writeTallies(counts: readonly ComparisonTally[]): Promise<void> {
      ensureOpen('write tallies');
      if (counts.length === 0) return;
      await serial(() => tallies.append(counts));
    },

    async listTallies(query?: TallyQuery): Promise<ComparisonTally[]> {
      ensureOpen('list tallies');
      return serial(() => tallies.list(query));
    },

    async close(): Promise<void> {
      closed = true;
      await tail;
      if (current !== null) await release(current);
    },
  };
}

async function appendSynced(path: string, data: string | Buffer, newFileIn: string | null): Promise<void> {
  const fh = await open(path, 'a');
  try {
    await fh.appendFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
  if (newFileIn !== null) await syncDir(newFileIn); // a new file's directory entry must be durable too
}

/** The device and inode `path` names now ('' when it names nothing). */
async function fileId(path: string): Promise<string> {
  try {
    const st = await stat(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return '';
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
