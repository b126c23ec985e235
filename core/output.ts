/**
 * Writing results so that nothing is ever half-written: every file of a result set is first
 * written to a temporary name in the target folder, and only when all of them are complete
 * are they renamed into place (rename is atomic on one file system). On failure the temporary
 * files are removed and earlier outputs stay as they were.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FicusError } from './errors.js';

export interface OutputFile {
  readonly name: string;
  readonly content: string;
}

export async function writeOutputs(dir: string, files: readonly OutputFile[]): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    throw new FicusError('CORE_OUTPUT_DIR', `${dir}: cannot create the output folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  const stamp = `.tmp-${process.pid}-${Date.now().toString(36)}`;
  const staged: { tmp: string; final: string }[] = [];
  try {
    for (const f of files) {
      const final = join(dir, f.name);
      const tmp = `${final}${stamp}`;
      await writeFile(tmp, f.content);
      staged.push({ tmp, final });
    }
    for (const s of staged) await rename(s.tmp, s.final);
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw new FicusError('CORE_OUTPUT_WRITE', `${dir}: cannot write the results (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
  return staged.map((s) => s.final);
}
