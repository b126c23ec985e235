/**
 * `ficus.analyze.yaml`: everything `ficus analyze` accepts as flags, plus clustering
 * constraints an architect writes down (pin globs to a named context, keep-together,
 * keep-apart). Validated once by this schema; flags override the file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SIGNALS } from './model.js';

const Signal = Type.Union(SIGNALS.map((s) => Type.Literal(s)));

export const AnalyzeConfigSchema = Type.Object(
  {
    tsconfig: Type.Optional(Type.String()),
    include: Type.Optional(Type.Array(Type.String())),
    exclude: Type.Optional(Type.Array(Type.String())),
    signals: Type.Optional(Type.Array(Signal, { minItems: 1, uniqueItems: true })),
    weights: Type.Optional(
      Type.Object(Object.fromEntries(SIGNALS.map((s) => [s, Type.Optional(Type.Number({ minimum: 0 }))])), { additionalProperties: false }),
    ),
    resolution: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    contexts: Type.Optional(Type.Integer({ minimum: 1 })),
    seed: Type.Optional(Type.Integer()),
    runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    pin: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9 _-]*$' }), Type.Array(Type.String(), { minItems: 1 }))),
    keepTogether: Type.Optional(Type.Array(Type.Array(Type.String(), { minItems: 2 }))),
    keepApart: Type.Optional(Type.Array(Type.Tuple([Type.String(), Type.String()]))),
  },
  { additionalProperties: false },
);

export type AnalyzeConfig = Static<typeof AnalyzeConfigSchema>;
