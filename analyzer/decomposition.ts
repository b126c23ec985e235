/**
 * The Decomposition contract (analyzer → reports, gateway and CDC drafts), versioned, with
 * its JSON Schema. DESIGN.md fixes the core fields; the rest (graph, plan, run) is what the
 * report needs to be drawn from this file alone. `schemas/decomposition.schema.json` is
 * generated from this module (and a test keeps the two equal).
 */
import { Type, type Static } from '@sinclair/typebox';

export const DECOMPOSITION_SCHEMA_VERSION = '1.0';

const Access = Type.Union([Type.Literal('read'), Type.Literal('write')]);
const Num = Type.Number();

export const ContextMetricsSchema = Type.Object(
  {
    files: Type.Integer({ minimum: 0 }),
    lines: Type.Integer({ minimum: 0 }),
    /** Internal coupling weight over the possible (0–1). */
    cohesion: Num,
    /** Share of this context's coupling weight that crosses to other contexts (0–1). */
    coupling: Num,
    /** Mean co-association of members across the consensus runs (0–1). */
    stability: Num,
  },
  { additionalProperties: false },
);

export const ContextSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    name: Type.String(),
    kind: Type.Union([Type.Literal('domain'), Type.Literal('shared-kernel')]),
    /** Why this name: the dominant tables, route prefixes or terms. */
    naming: Type.Array(Type.String()),
    members: Type.Array(Type.String()),
    metrics: ContextMetricsSchema,
    endpoints: Type.Array(
      Type.Object({ method: Type.String(), path: Type.String(), file: Type.String(), line: Type.Integer() }, { additionalProperties: false }),
    ),
    tables: Type.Array(Type.Object({ name: Type.String(), access: Access }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const SeamSchema = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    /** Symbols of `to` used by `from`: candidates for `to`'s API. */
    symbols: Type.Array(Type.String()),
    /** Use sites crossing the seam (static counts). */
    calls: Type.Integer({ minimum: 0 }),
    /** Combined coupling weight crossing the seam. */
    weight: Num,
    /** File-level edges behind the seam, strongest first (capped). */
    links: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), symbols: Type.Array(Type.String()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const TableOwnershipSchema = Type.Object(
  {
    name: Type.String(),
    /** Context that should own the table (most writes, then most uses), or null. */
    owner: Type.Union([Type.String(), Type.Null()]),
    usedBy: Type.Array(Type.String()),
    access: Type.Record(Type.String(), Access),
    shared: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const PlanStepSchema = Type.Object(
  {
    step: Type.Integer({ minimum: 1 }),
    context: Type.String(),
    reason: Type.String(),
    inboundSeams: Type.Integer({ minimum: 0 }),
    sharedWriteTables: Type.Array(Type.String()),
    seamsToCut: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), calls: Type.Integer() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const GraphSchema = Type.Object(
  {
    nodes: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          context: Type.String(),
          lines: Type.Integer({ minimum: 0 }),
          confidence: Num,
          x: Num,
          y: Num,
        },
        { additionalProperties: false },
      ),
    ),
    edges: Type.Array(
      Type.Object(
        { a: Type.String(), b: Type.String(), w: Num, signals: Type.Record(Type.String(), Num) },
        { additionalProperties: false },
      ),
    ),
    /** True when weak edges were left out to keep the file small. */
    truncated: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const DecompositionSchema = Type.Object(
  {
    schemaVersion: Type.Literal(DECOMPOSITION_SCHEMA_VERSION),
    source: Type.Object(
      {
        root: Type.String(),
        commit: Type.Union([Type.String(), Type.Null()]),
        files: Type.Integer({ minimum: 0 }),
        lines: Type.Integer({ minimum: 0 }),
        tsconfig: Type.Union([Type.String(), Type.Null()]),
        failed: Type.Array(Type.Object({ path: Type.String(), reason: Type.String() }, { additionalProperties: false })),
        unresolvedImports: Type.Integer({ minimum: 0 }),
      },
      { additionalProperties: false },
    ),
    signals: Type.Array(
      Type.Object(
        { name: Type.String(), weight: Num, edges: Type.Integer({ minimum: 0 }), note: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    contexts: Type.Array(ContextSchema),
    seams: Type.Array(SeamSchema),
    tables: Type.Array(TableOwnershipSchema),
    order: Type.Array(Type.String()),
    plan: Type.Array(PlanStepSchema),
    /** Files the clustering was least sure of: decisions for the architect. */
    lowConfidence: Type.Array(
      Type.Object(
        { path: Type.String(), context: Type.String(), confidence: Num, alternative: Type.Union([Type.String(), Type.Null()]) },
        { additionalProperties: false },
      ),
    ),
    metrics: Type.Object(
      {
        modularity: Num,
        icp: Num,
        ifn: Num,
        ned: Num,
        sm: Num,
        /** What icp/ifn/ned/sm were computed on. */
        basis: Type.Literal('static-reference-counts'),
      },
      { additionalProperties: false },
    ),
    graph: GraphSchema,
    run: Type.Object(
      {
        tool: Type.String(),
        version: Type.String(),
        command: Type.String(),
        seed: Type.Integer(),
        runs: Type.Integer({ minimum: 1 }),
        resolution: Num,
        generatedAt: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'https://ficus.dev/schemas/decomposition.schema.json' },
);

export type Decomposition = Static<typeof DecompositionSchema>;
export type DecompositionContext = Static<typeof ContextSchema>;
export type Seam = Static<typeof SeamSchema>;
export type TableOwnership = Static<typeof TableOwnershipSchema>;
export type PlanStep = Static<typeof PlanStepSchema>;
