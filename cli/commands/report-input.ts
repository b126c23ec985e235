/**
 * What `ficus report` was given, found out and loaded: a diffs folder (every record file and
 * the comparison tallies beside them), a diffs `.ndjson` file (its records, and the tallies of
 * its day when it is a store file `diffs-<day>-<seq>.ndjson`), a tally file alone, a replay
 * result (`kind: "ficus-replay"`), or a decomposition. Bad input is an RPT_ error that names the
 * file and, for a bad line, the line.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { validateDecomposition, type Decomposition } from '../../analyzer/index.js';
import { FicusError, isFicusError } from '../../core/index.js';
import { listDiffFiles, readDiffFile, readTallies, tallyFileFor, type ComparisonTally, type DiffRecord, type ReplayResult } from '../../gateway/index.js';
import { checkReplayResult, ReportErrorCode, type DiffReportInput } from '../../reports/index.js';

export type ReportInput =
  | { readonly kind: 'decomposition'; readonly stem: string; readonly value: Decomposition }
  | { readonly kind: 'replay'; readonly stem: string; readonly value: ReplayResult }
  | { readonly kind: 'diffs'; readonly stem: string; readonly value: DiffReportInput };

const TALLY_FILE = /^tallies-\d{8}\.ndjson$/;
const LINES = /\.(ndjson|jsonl)$/;

/** A store error while reading diffs, as a report error (a bad line keeps its file and line). */
function readError(err: unknown, shown: string): unknown {
  if (!isFicusError(err) || !err.code.startsWith('GW_')) return err;
  const bad = typeof err.details.line === 'number';
  return new FicusError(bad ? ReportErrorCode.DIFFS_INVALID : ReportErrorCode.INPUT_NOT_FOUND, bad ? err.message : `${shown}: ${err.message}`, {
    cause: err,
    details: err.details,
    exitCode: 2,
  });
}

async function records(path: string, shown: string): Promise<DiffRecord[]> {
  const out: DiffRecord[] = [];
  try {
    for await (const r of readDiffFile(path)) out.push(r);
  } catch (err) {
    throw readError(err, shown);
  }
  return out;
}

async function tallies(path: string | null, shown: string): Promise<ComparisonTally[]> {
  if (path === null) return [];
  try {
    if (
      !(await stat(path).then(
        () => true,
        () => false,
      ))
    )
      return [];
    return await readTallies(path);
  } catch (err) {
    throw readError(err, shown);
  }
}

async function folder(dir: string, shown: string): Promise<ReportInput> {
  let files: string[];
  try {
    files = await listDiffFiles(dir);
  } catch (err) {
    throw readError(err, shown);
  }
  const counts = await tallies(dir, shown);
  if (files.length === 0 && counts.length === 0) {
    throw new FicusError(
      ReportErrorCode.INPUT_KIND,
      `${shown}: the folder holds no diffs-*.ndjson or tallies-*.ndjson files; pass a gateway's diffs folder, a diffs .ndjson file, a replay.json or a decomposition.json`,
      {
        exitCode: 2,
        details: { file: shown },
      },
    );
  }
  return { kind: 'diffs', stem: basename(dir), value: { source: shown, records: await records(dir, shown), tallies: counts } };
}

async function lines(file: string, shown: string): Promise<ReportInput> {
  const stem = basename(file).replace(LINES, '');
  if (TALLY_FILE.test(basename(file))) return { kind: 'diffs', stem, value: { source: shown, records: [], tallies: await tallies(file, shown) } };
  return { kind: 'diffs', stem, value: { source: shown, records: await records(file, shown), tallies: await tallies(tallyFileFor(file), shown) } };
}

/** Loads the input at `path` (`shown` is how the user wrote it, for messages). */
export async function loadReportInput(path: string, shown: string): Promise<ReportInput> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    throw new FicusError(
      ReportErrorCode.INPUT_NOT_FOUND,
      `${shown}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'}); pass a diffs folder or .ndjson file, a replay.json or a decomposition.json`,
      {
        cause: err,
        exitCode: 2,
      },
    );
  }
  if (isDir) return folder(path, shown);
  if (LINES.test(path)) return lines(path, shown);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FicusError(ReportErrorCode.INPUT_NOT_FOUND, `${shown}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: err,
      exitCode: 2,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // Several JSON lines under another name: diff records.
    if (looksLikeRecordLine(text)) return lines(path, shown);
    throw new FicusError(ReportErrorCode.INPUT_NOT_JSON, `${shown}: not JSON (${(err as Error).message})`, {
      cause: err,
      exitCode: 2,
      details: { file: shown },
    });
  }
  const stem = basename(path).replace(/\.json$/, '');
  const o = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  if (o.kind === 'ficus-replay') return { kind: 'replay', stem, value: checkReplayResult(json, shown) };
  if ('contexts' in o && 'schemaVersion' in o) return { kind: 'decomposition', stem, value: validateDecomposition(json, shown) };
  if ('differences' in o && 'id' in o) return lines(path, shown);
  throw new FicusError(
    ReportErrorCode.INPUT_KIND,
    `${shown}: not a report input; valid: a decomposition.json (ficus analyze), a replay.json (ficus replay, kind "ficus-replay"), a diffs .ndjson file or a diffs folder`,
    { exitCode: 2, details: { file: shown } },
  );
}

function looksLikeRecordLine(text: string): boolean {
  const first = text.split('\n', 1)[0] ?? '';
  try {
    const v = JSON.parse(first) as unknown;
    return typeof v === 'object' && v !== null && 'differences' in v;
  } catch {
    return false;
  }
}
