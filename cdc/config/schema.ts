/**
 * `ficus.cdc.yaml`: the JSON Schema (TypeBox) `ficus cdc run` validates its config against
 * once, defaults included, before freezing it. Shape:
 *
 *   source:     { kafka: { brokers, topics | topicPattern, groupId, clientId } }
 *   sink:       { postgres: { url, schema } }
 *   tables:     [{ from, to, key?, columns, unmapped, computed, where?, truncate }]
 *   deadLetter: { table }            poison events, with their position and reason
 *   offsets:    { table }            consumed positions, written with the rows they cover
 *   batch:      { maxEvents, maxWaitMs }
 *
 * Expressions (see cdc/transform/sql-expression.ts and cdc/transform/filter.ts):
 * - `columns.<src>.expr` and `computed.<col>` are SQL expressions from a whitelisted subset
 *   (literals, operators, casts, CASE, a fixed list of functions, and `value` for the source
 *   value); values are always sent as parameters, never spliced into the SQL.
 * - `where` is a tiny row-filter language evaluated in JS, e.g. `after.active = true and op != 'r'`.
 */
import { Type, type Static } from '@sinclair/typebox';

const Ident = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_$]*$', description: 'a column name (letters, digits, _)' });
const TableName = Type.String({
  pattern: '^[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?$',
  description: 'table or schema.table',
});

export const COERCE_TYPES = ['numeric', 'integer', 'text', 'timestamptz', 'date', 'jsonb', 'boolean'] as const;
export type CoerceType = (typeof COERCE_TYPES)[number];

export const ColumnRuleSchema = Type.Object(
  {
    /** Target column (default: the source column's name). */
    to: Type.Optional(Ident),
    /** Coerce the decoded value to this type before applying. */
    type: Type.Optional(Type.Union(COERCE_TYPES.map((t) => Type.Literal(t)))),
    /** SQL expression over `value` (the source value), e.g. `value / 100.0`. */
    expr: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type ColumnRule = Static<typeof ColumnRuleSchema>;

/** `col: target` renames, `col: null` drops, `col: { to, type, expr }` transforms. */
const ColumnMapping = Type.Union([Ident, Type.Null(), ColumnRuleSchema]);

export const TableMappingSchema = Type.Object(
  {
    /** Source table: `schema.table` or `table` (any schema). */
    from: TableName,
    /** Target table (default: the source table name), `schema.table` or `table` in sink.postgres.schema. */
    to: Type.Optional(TableName),
    /** Target key columns (default: the source key columns, mapped). */
    key: Type.Optional(Type.Array(Ident, { minItems: 1, uniqueItems: true })),
    columns: Type.Record(Type.String(), ColumnMapping, { default: {} }),
    /** Source columns not named in `columns`: keep (same name in the target) or drop. */
    unmapped: Type.Union([Type.Literal('keep'), Type.Literal('drop')], { default: 'keep' }),
    /** Target column ← SQL expression (no source values), e.g. `now()`. */
    computed: Type.Record(Type.String(), Type.String({ minLength: 1 }), { default: {} }),
    /** Row filter, e.g. `after.active = true`; rows leaving the filter are deleted from the target. */
    where: Type.Optional(Type.String({ minLength: 1 })),
    /** Apply source truncates to the target (off by default). */
    truncate: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);
export type TableMapping = Static<typeof TableMappingSchema>;

const KafkaSourceSchema = Type.Object(
  {
    brokers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    topics: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    topicPattern: Type.Optional(Type.String({ minLength: 1 })),
    groupId: Type.String({ minLength: 1 }),
    clientId: Type.String({ minLength: 1, default: 'ficus-cdc' }),
    /** ms a member may go silent before the group gives its partitions to another (kafkajs default 30000). */
    sessionTimeout: Type.Optional(Type.Integer({ minimum: 1000, maximum: 300_000 })),
    heartbeatInterval: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
  },
  { additionalProperties: false },
);

export const CdcConfigSchema = Type.Object(
  {
    source: Type.Object({ kafka: KafkaSourceSchema }, { additionalProperties: false }),
    sink: Type.Object(
      {
        postgres: Type.Object(
          {
            url: Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL' }),
            schema: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_$]*$', default: 'public' }),
          },
          { additionalProperties: false },
        ),
      },
      { additionalProperties: false },
    ),
    tables: Type.Array(TableMappingSchema, { minItems: 1 }),
    deadLetter: Type.Object({ table: Type.String({ ...TableName, default: 'ficus_dead_letters' }) }, { additionalProperties: false, default: {} }),
    offsets: Type.Object({ table: Type.String({ ...TableName, default: 'ficus_offsets' }) }, { additionalProperties: false, default: {} }),
    batch: Type.Object(
      {
        maxEvents: Type.Integer({ minimum: 1, maximum: 100_000, default: 1000 }),
        maxWaitMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 200 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type CdcConfig = Static<typeof CdcConfigSchema>;
