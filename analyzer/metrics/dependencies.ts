/**
 * What the Mono2Micro metrics (mono2micro.ts) are computed on: the domain partitions and the
 * directed file-to-file dependencies between their files, from static reference counts.
 *
 * Mono2Micro (Kalia et al. 2021) measures runtime calls between classes, weighted by how
 * often they happen. The closest static analogue is use sites of behavioural references:
 *
 * - counted: `call`, `new`, `extends`, `implements` (a file cannot run without the other);
 * - a value `import` counts only for a pair of files with none of those, standing in for the
 *   uses the extractor does not see (a constant read, a function passed as a callback); when
 *   behavioural uses exist the import is the same dependency and is not counted again;
 * - not counted: `type` and `import-type` (erased at compile time, no runtime call).
 *
 * Only domain partitions take part: shared-kernel files become a library, not a service, and
 * unassigned files belong to no candidate service, so they and every reference touching them
 * are left out, as are references to files outside `contextOf` and a file's references to
 * itself.
 */
import { UNASSIGNED_ID } from '../assemble.js';
import type { FileFacts, RefKind } from '../model.js';
import { SHARED_KERNEL_ID } from '../plan/seams.js';

const BEHAVIOURAL: ReadonlySet<RefKind> = new Set<RefKind>(['call', 'new', 'extends', 'implements']);

/** One directed dependency between two files of domain partitions. */
export interface Dependency {
  readonly from: string;
  readonly to: string;
  /** Use sites (static analogue of call frequency), > 0. */
  readonly count: number;
  readonly fromPartition: string;
  readonly toPartition: string;
}

export interface DomainDependencies {
  /** Domain partition id → its files. */
  readonly partitions: ReadonlyMap<string, ReadonlySet<string>>;
  readonly dependencies: readonly Dependency[];
}

export function isDomain(id: string): boolean {
  return id !== SHARED_KERNEL_ID && id !== UNASSIGNED_ID;
}

export function domainDependencies(contextOf: ReadonlyMap<string, string>, files: readonly FileFacts[]): DomainDependencies {
  const partitions = new Map<string, Set<string>>();
  for (const [path, id] of contextOf) if (isDomain(id)) (partitions.get(id) ?? partitions.set(id, new Set()).get(id)!).add(path);
  const dependencies: Dependency[] = [];
  for (const file of files) {
    const fromPartition = contextOf.get(file.path);
    if (fromPartition === undefined || !isDomain(fromPartition)) continue;
    const behavioural = new Map<string, number>();
    const imports = new Map<string, number>();
    for (const ref of file.references) {
      const acc = BEHAVIOURAL.has(ref.kind) ? behavioural : ref.kind === 'import' ? imports : null;
      if (acc && ref.to !== file.path && ref.count > 0) acc.set(ref.to, (acc.get(ref.to) ?? 0) + ref.count);
    }
    for (const [to, n] of imports) if (!behavioural.has(to)) behavioural.set(to, n);
    for (const [to, count] of behavioural) {
      const toPartition = contextOf.get(to);
      if (toPartition !== undefined && isDomain(toPartition)) dependencies.push({ from: file.path, to, count, fromPartition, toPartition });
    }
  }
  return { partitions, dependencies };
}
