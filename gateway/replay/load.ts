/**
 * Reading the records to replay from where the gateway stored them: one `.ndjson` file, a
 * folder of them (the ndjson store's), or a Postgres diff store (`postgres://` URL, table
 * `ficus_diffs` unless named). Records come back deduplicated by id (a retried write can store
 * one twice) and in id order (time order), with the noise paths of each route: every path of a
 * record marked `noise: true` (all its differences were learnt to be noise), array indices
 * as `[*]`. Noise records are not replayed: nothing on them was a real difference.
 *
 * A source that cannot be read is GW_REPLAY_INPUT with exit code 2, naming the file and line
 * of a line that is not a DiffRecord; an unreachable Postgres stays GW_DIFF_STORE (retriable).
 */
import { stat } from 'node:fs/promises';
import { FicusError, isFicusError, redactUrl, type Logger } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffRecord } from '../model.js';
import { wildcardIndices } from '../shadow/jsonpath.js';
import { DEFAULT_TABLE, createPostgresStore } from '../store/postgres.js';
import { listDiffFiles, readDiffFile } from '../store/ndjson-files.js';
import { MAX_LIST_LIMIT } from '../store/query.js';

export interface LoadOptions {
  /** Only this route's records. */
  readonly route?: string;
  /** Postgres table (default ficus_diffs). */
  readonly table?: string;
  readonly logger?: Logger;
}

export interface LoadedRecords {
  /** The records to replay (noise records left out), in id order. */
  readonly records: DiffRecord[];
  /** Route → noise paths learnt from its noise records. */
  readonly noisePaths: Map<string, Set<string>>;
  /** The source as it may be shown (a Postgres password masked). */
  readonly source: string;
  /** Torn last lines skipped (a crash mid-write), as file:line. */
  readonly torn: string[];
}

export function isPostgresUrl(source: string): boolean {
  return /^postgres(ql)?:\/\//i.test(source);
}

function inputError(message: string, details: Record<string, unknown>, cause?: unknown): FicusError {
  return new FicusError(GatewayErrorCode.REPLAY_INPUT, message, { exitCode: 2, details, ...(cause !== undefined && { cause }) });
}

async function fromPostgres(url: string, options: LoadOptions): Promise<DiffRecord[]> {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed === null || (parsed.hostname === '' && !parsed.searchParams.has('host')) || parsed.pathname.replace(/^\//, '') === '') {
    throw inputError(`${redactUrl(url)} is not a usable Postgres URL; write postgres://user:password@host:5432/database`, { source: redactUrl(url) });
  }
  const store = await createPostgresStore({ url, table: options.table ?? DEFAULT_TABLE, logger: options.logger });
  try {
    const out: DiffRecord[] = [];
    for (let after: string | undefined; ;) {
      const page = await store.list({ route: options.route, includeNoise: true, limit: MAX_LIST_LIMIT, ...(after !== undefined && { after }) });
      out.push(...page);
      if (page.length < MAX_LIST_LIMIT) return out;
      after = page[page.length - 1]!.id;
    }
  } finally {
    await store.close();
  }
}

async function fromFiles(path: string, options: LoadOptions, torn: string[]): Promise<DiffRecord[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw inputError(`${path}: cannot read it (${code}); give a diffs .ndjson file, the gateway's diffs folder, or a postgres:// URL`, { file: path }, err);
  }
  if (isDir && (await listDiffFiles(path)).length === 0) {
    throw inputError(`${path}: no .ndjson files in this folder; give the folder the gateway writes diffs to (diffs.path)`, { file: path });
  }
  const out: DiffRecord[] = [];
  try {
    for await (const record of readDiffFile(path, { onTorn: (file, line) => torn.push(`${file}:${line}`) })) {
      if (options.route === undefined || record.route === options.route) out.push(record);
    }
  } catch (err) {
    // A line that is not a DiffRecord names file:line; any other read failure too is the input's fault.
    if (isFicusError(err)) throw inputError(err.message, { ...err.details }, err);
    throw err;
  }
  return out;
}

/**
 * @example
 *   const { records, noisePaths } = await loadRecords('./ficus-diffs', { route: 'products' });
 */
export async function loadRecords(source: string, options: LoadOptions = {}): Promise<LoadedRecords> {
  const torn: string[] = [];
  const all = isPostgresUrl(source) ? await fromPostgres(source, options) : await fromFiles(source, options, torn);
  const byId = new Map<string, DiffRecord>();
  for (const r of all) if (!byId.has(r.id)) byId.set(r.id, r);
  const sorted = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const noisePaths = new Map<string, Set<string>>();
  for (const r of sorted) {
    if (!r.noise) continue;
    let paths = noisePaths.get(r.route);
    if (paths === undefined) noisePaths.set(r.route, (paths = new Set()));
    for (const d of r.differences) paths.add(wildcardIndices(d.path));
  }
  return { records: sorted.filter((r) => !r.noise), noisePaths, source: isPostgresUrl(source) ? redactUrl(source) : source, torn };
}
