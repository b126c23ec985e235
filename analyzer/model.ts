/**
 * The analyzer's internal model: the facts ingest extracts per file, the weighted edge layers
 * the graph stage builds from them (one per signal), and the clustering the cluster stage
 * returns. Stages meet only through these types; the public result is the Decomposition
 * contract (decomposition.ts).
 */

/** The coupling signals, each a separate weighted edge layer. */
export type SignalName = 'static' | 'data' | 'usecases' | 'git' | 'semantic' | 'folders';
export const SIGNALS: readonly SignalName[] = ['static', 'data', 'usecases', 'git', 'semantic', 'folders'];

/**
 * How one file depends on another. Imports are split into value and type-only imports;
 * the rest are uses resolved to the file that declares the used symbol.
 */
export type RefKind = 'import' | 'import-type' | 'call' | 'new' | 'extends' | 'implements' | 'type';

/** All uses of one kind from a file to one other file, aggregated. */
export interface Reference {
  /** Target file, posix path relative to the analysis root. */
  readonly to: string;
  readonly kind: RefKind;
  /** Symbols used (declared in `to`), e.g. `OrderService.create`, `Product`; unique, sorted. */
  readonly symbols: readonly string[];
  /** How many use sites. */
  readonly count: number;
}

export type TableAccess = 'read' | 'write';

/** A database table a file touches, and how we know. */
export interface TableUse {
  /** Lower-cased table name without schema quoting (`public.orders` → `orders`). */
  readonly table: string;
  readonly access: TableAccess;
  readonly via: 'sql' | 'query-builder' | 'orm';
}

/** An HTTP route declared in a file. */
export interface EndpointDecl {
  readonly method: string;
  /** Path as declared, with the framework's params (`/products/:id`). */
  readonly path: string;
  readonly line: number;
  readonly framework: 'fastify' | 'express' | 'koa' | 'nestjs' | 'hono' | 'unknown';
}

/** Everything ingest learned about one source file. */
export interface FileFacts {
  /** Posix path relative to the analysis root. */
  readonly path: string;
  readonly lines: number;
  readonly references: readonly Reference[];
  readonly tables: readonly TableUse[];
  readonly endpoints: readonly EndpointDecl[];
  /** Term frequencies from the file's identifiers (camelCase split, lower-cased, stop words out). */
  readonly terms: Readonly<Record<string, number>>;
}

export interface IngestProblem {
  readonly path: string;
  readonly reason: string;
}

export interface IngestResult {
  /** Absolute root directory. */
  readonly root: string;
  readonly files: readonly FileFacts[];
  /** Files that could not be read or parsed: counted and reported, never fatal. */
  readonly failed: readonly IngestProblem[];
  /** Import specifiers that resolved to nothing inside the project (packages excluded). */
  readonly unresolvedImports: number;
  readonly totalLines: number;
  readonly tsconfig: string | null;
}

/** An undirected weighted edge between two files (a < b). */
export interface WeightedEdge {
  readonly a: string;
  readonly b: string;
  readonly w: number;
}

/** One signal's edges, normalised so the layer's strongest edge has weight 1. */
export interface EdgeLayer {
  readonly signal: SignalName;
  readonly edges: readonly WeightedEdge[];
  /** Why a layer is empty or reduced (e.g. "no git history"). */
  readonly note?: string;
}

/** Co-change counts from version control, already decayed and filtered. */
export interface CoChangeHistory {
  readonly available: boolean;
  readonly note?: string;
  readonly head?: string;
  readonly commits: number;
  readonly pairs: readonly WeightedEdge[];
}

/** User constraints on clustering, from the config file. */
export interface ClusterConstraints {
  /** Context name → globs (relative to root) whose files are pinned to it. */
  readonly pin: Readonly<Record<string, readonly string[]>>;
  /** Groups of globs whose files must end in the same context. */
  readonly keepTogether: readonly (readonly string[])[];
  /** Pairs of globs whose files must not share a context. */
  readonly keepApart: readonly (readonly [string, string])[];
}

export interface ClusterOptions {
  /** Louvain resolution; ignored when `contexts` is set. */
  readonly resolution?: number;
  /** Target number of contexts (resolution searched to reach it). */
  readonly contexts?: number;
  readonly seed: number;
  /** Seeded runs combined by consensus. */
  readonly runs: number;
  readonly constraints?: ClusterConstraints;
}

export interface ClusterResult {
  /** Context index per file (shared-kernel files excluded). */
  readonly assignment: ReadonlyMap<string, number>;
  /** Mean co-association of each context's members with each other, 0–1. */
  readonly stability: readonly number[];
  /** Per file: share of runs that put it with the majority of its final context, 0–1. */
  readonly confidence: ReadonlyMap<string, number>;
  readonly resolution: number;
}
