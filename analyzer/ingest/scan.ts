/**
 * What one file's walk (walk.ts) records before anything is resolved across files: its import
 * bindings, what it exports (declared here, re-exported by name, re-exported wholesale), and
 * its uses of imported names. link.ts turns these into `Reference`s once every file's exports
 * are known, so a use through a barrel (`export * from './OrderService'`) reaches the file
 * that declares the symbol.
 */
import type { EndpointDecl, RefKind, TableUse } from '../model.js';
import type { ForeignMount } from './endpoints.js';
import type { ReceiverTypes } from './receivers.js';
import type { ImportMode } from './resolve.js';

/** A local name bound by an import or require. */
export interface ImportBinding {
  readonly spec: string;
  readonly mode: ImportMode;
  /** The exported name imported: a name, 'default', or '*' for a namespace/whole-module binding. */
  readonly imported: string;
  readonly typeOnly: boolean;
}

/** One import/require/re-export of a module, with the names it takes. */
export interface ModuleImport {
  readonly spec: string;
  readonly mode: ImportMode;
  /** The whole declaration is type-only (for a side-effect or namespace import). */
  readonly typeOnly: boolean;
  /** Exported names taken ('default', names), each type-only or not; empty for side-effect and namespace imports. */
  readonly names: readonly { readonly name: string; readonly typeOnly: boolean }[];
}

export interface FileExports {
  /** Names declared in this file and exported ('default' included). */
  readonly declared: Set<string>;
  /** `export { a as b }` of a local or imported binding: exported name → local name. */
  readonly aliases: Map<string, string>;
  /** `export { a as b } from 'm'`: exported name → module and the name it has there. */
  readonly named: Map<string, { spec: string; imported: string }>;
  /** `export * from 'm'` specifiers. */
  readonly star: string[];
}

/** A use of an imported binding, aggregated by (local, member, kind). */
export interface BindingUse {
  readonly local: string;
  /** The property used on it (`OrderService.create` → create), or null. */
  readonly member: string | null;
  readonly kind: RefKind;
  count: number;
}

/** `recv.a.b.member(…)` (or the method passed on as a value) with `recv` not an import: typed by link.ts. */
export interface MemberCall {
  readonly path: readonly string[];
  readonly member: string;
  count: number;
}

export interface FileScan {
  readonly abs: string;
  readonly rel: string;
  readonly lines: number;
  readonly imports: ReadonlyMap<string, ImportBinding>;
  readonly modules: readonly ModuleImport[];
  readonly exports: FileExports;
  readonly uses: readonly BindingUse[];
  readonly memberCalls: readonly MemberCall[];
  readonly receivers: ReceiverTypes;
  readonly identifiers: ReadonlyMap<string, number>;
  readonly tables: readonly TableUse[];
  readonly endpoints: readonly EndpointDecl[];
  readonly foreignMounts: readonly ForeignMount[];
}
