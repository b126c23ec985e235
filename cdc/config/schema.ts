/**
 * `ficus.cdc.yaml`: the JSON Schema (TypeBox) `ficus cdc run` validates its config against
 * once, defaults included, before freezing it. Shape:
 *
 *   source:     exactly one of
 *                 { kafka: { brokers, topics | topicPattern, groupId, clientId } }     Debezium topics
 *                 { postgres: { url, publication, slot, tables?, snapshot, … } }      built-in logical decoding (pgoutput)
 *   sink:       exactly one of { postgres: { url, schema, origin? } } | { mysql: { url } }
 *                 | { kafka: { brokers, topicPrefix } }  (Debezium topic naming and JSON envelope)
 *   tables:     [{ from, to, key?, columns, unmapped, computed, where?, truncate, conflict? }]
 *   verify:     { source?: { url }, chunkRows, recheckAfterMs }   for `ficus cdc verify`
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

/** Who wins when both sides changed a row (reverse sync): the source, the newer by a column, or neither (dead-letter). */
export const ConflictSchema = Type.Union([
  Type.Literal('source-wins'),
  Type.Literal('dead-letter'),
  Type.Object({ newerWins: Ident }, { additionalProperties: false }),
]);

export const TableMappingSchema = Type.Object(
  {
    /** Source table: `schema.table` or `table` (any schema). */
    from: TableName,
    /** Target table (default: the source table name), `schema.table` or `table` in sink.postgres.schema; for sink.mysql `database.table` or `table` in the URL's database. */
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
    /** Reverse sync: what happens when the target row changed since ficus last wrote it. */
    conflict: Type.Optional(ConflictSchema),
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
    /** ms a fetch waits on the broker for data when there is none (default 1000; Kafka answers as soon as data comes). */
    maxWaitTimeInMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 30_000 })),
    /** ms a consumer with partitions and no batch in hand may go without fetching before it is replaced (default 60000). */
    stallTimeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 3_600_000 })),
  },
  { additionalProperties: false },
);

const PostgresUrl = Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// URL' });
const SqlIdent = Type.String({ pattern: '^[a-z_][a-z0-9_]*$', maxLength: 63, description: 'lower-case letters, digits, _ (at most 63)' });

/** The built-in capture: logical replication with pgoutput from the monolith's Postgres. */
export const PostgresSourceSchema = Type.Object(
  {
    url: PostgresUrl,
    /** Created (FOR TABLE …) when missing. */
    publication: Type.String({ ...SqlIdent, default: 'ficus' }),
    /** Logical replication slot, created when missing; an idle slot holds WAL. */
    slot: Type.String({ ...SqlIdent, default: 'ficus' }),
    /** Source tables (`schema.table`) to capture; default: every `tables[].from`. */
    tables: Type.Optional(Type.Array(TableName, { minItems: 1, uniqueItems: true })),
    /** initial: snapshot the tables (op r) consistently with the slot, then stream; never: stream only. */
    snapshot: Type.Union([Type.Literal('initial'), Type.Literal('never')], { default: 'initial' }),
    /** Rows per snapshot chunk (by primary key). */
    snapshotChunkRows: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 10_000 }),
    /** Logical database name reported in events' `source.db` and Debezium topic names (default: from the URL). */
    serverName: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]+$' })),
    /** Standby status interval: how often the acknowledged LSN is reported. */
    statusIntervalMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
    /**
     * After a read of the replication stream that found little, wait this long before reading
     * again, so the server's per-change messages arrive gathered (fewer wake-ups on both sides;
     * adds at most this much latency); 0 reads at once.
     */
    readCoalesceMs: Type.Integer({ minimum: 0, maximum: 100, default: 1 }),
    /**
     * Replication origins whose transactions are not captured: changes a ficus sink applied under
     * that origin (`pg_replication_origin_session_setup`), so syncing back does not loop.
     */
    skipOrigins: Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { uniqueItems: true, default: ['ficus'] }),
  },
  { additionalProperties: false },
);

export const PostgresSinkSchema = Type.Object(
  {
    url: PostgresUrl,
    schema: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_$]*$', default: 'public' }),
    /**
     * Reverse sync: the replication origin the sink's transactions are marked with, so the capture
     * of the opposite direction skips them (list it in that source's skipOrigins). Default: none
     * (unmarked). Needs superuser or EXECUTE on the pg_replication_origin_* functions; one session
     * at a time may use an origin, so each sink writing into one cluster needs its own name.
     */
    origin: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]+$', minLength: 1, maxLength: 512, description: 'letters, digits, _ . -' })),
  },
  { additionalProperties: false },
);

export const MysqlSinkSchema = Type.Object(
  { url: Type.String({ pattern: '^(mysql|mariadb)://', description: 'a mysql:// URL with the database, e.g. mysql://root@127.0.0.1:3306/service' }) },
  { additionalProperties: false },
);

/** Produce the captured events to Kafka in Debezium's topic naming (`<topicPrefix>.<schema>.<table>`) and JSON envelope. */
export const KafkaSinkSchema = Type.Object(
  {
    brokers: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    topicPrefix: Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }),
    clientId: Type.String({ minLength: 1, default: 'ficus-cdc' }),
    /** Include the `schema` part of the envelope (Kafka Connect JsonConverter schemas.enable). */
    schemas: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);

export const CdcConfigSchema = Type.Object(
  {
    source: Type.Object(
      { kafka: Type.Optional(KafkaSourceSchema), postgres: Type.Optional(PostgresSourceSchema) },
      { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'exactly one of kafka or postgres' },
    ),
    sink: Type.Object(
      { postgres: Type.Optional(PostgresSinkSchema), mysql: Type.Optional(MysqlSinkSchema), kafka: Type.Optional(KafkaSinkSchema) },
      { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'exactly one of postgres, mysql or kafka' },
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
    /** `ficus cdc verify`: where the source rows are read (default: source.postgres.url) and how. */
    verify: Type.Object(
      {
        source: Type.Optional(Type.Object({ url: PostgresUrl }, { additionalProperties: false })),
        /** Rows per checksum chunk (key ranges). */
        chunkRows: Type.Integer({ minimum: 10, maximum: 10_000_000, default: 10_000 }),
        /** While a pipeline runs: mismatches are checked again after this long before they are reported. */
        recheckAfterMs: Type.Integer({ minimum: 0, maximum: 600_000, default: 2_000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type CdcConfig = Static<typeof CdcConfigSchema>;
export type KafkaSourceConfig = Static<typeof KafkaSourceSchema>;
export type PostgresSourceConfig = Static<typeof PostgresSourceSchema>;
export type PostgresSinkConfig = Static<typeof PostgresSinkSchema>;
export type MysqlSinkConfig = Static<typeof MysqlSinkSchema>;
export type KafkaSinkConfig = Static<typeof KafkaSinkSchema>;
export type ConflictPolicy = Static<typeof ConflictSchema>;
