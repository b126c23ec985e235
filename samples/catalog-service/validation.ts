/**
 * Request validation set-up: query strings and path params are coerced from text (`?limit=5`
 * → 5) as fastify does by default, but JSON bodies are validated as sent, without coercion, so
 * `"priceCents": "12"` is a 400 here just as it is in the monolith's hand-written checks.
 */
import { Ajv, type Options } from 'ajv';
import type { FastifyInstance, FastifySchema } from 'fastify';

const common: Options = { useDefaults: true, removeAdditional: true, allErrors: false };

export function installValidators(app: FastifyInstance): void {
  const coercing = new Ajv({ ...common, coerceTypes: 'array' });
  const strict = new Ajv({ ...common, coerceTypes: false });
  app.setValidatorCompiler<FastifySchema>(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object),
  );
}
