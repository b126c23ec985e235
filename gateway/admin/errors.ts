/**
 * How the admin API answers when something is wrong: always JSON `{ error, code }`, a sentence
 * that names the bad value and what is valid, never a stack trace. Fastify's schema validation
 * errors become one sentence per request (the first problem, with the allowed values); a
 * FicusError keeps its code; anything unexpected is logged and answered as a bare 500.
 *
 * The admin-only codes live here until gateway/errors.ts takes them over (that file is shared;
 * the admin API adds AUTH, REQUEST and NOT_FOUND next to its ADMIN_CHANGE).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isFicusError } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';

/** The admin API's codes, all kept in gateway/errors.ts. */
export const AdminErrorCode = {
  AUTH: GatewayErrorCode.ADMIN_AUTH,
  REQUEST: GatewayErrorCode.ADMIN_REQUEST,
  NOT_FOUND: GatewayErrorCode.ADMIN_NOT_FOUND,
  STORE: GatewayErrorCode.DIFF_STORE,
  INTERNAL: GatewayErrorCode.ADMIN_INTERNAL,
} as const;

export interface AdminErrorBody {
  readonly error: string;
  readonly code: string;
}

export function sendError(reply: FastifyReply, status: number, code: string, error: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error, code } satisfies AdminErrorBody);
}

interface ValidationIssue {
  readonly keyword: string;
  readonly instancePath: string;
  readonly message?: string;
  readonly params: Record<string, unknown>;
}

/** `body.weight must be <= 100`, with the allowed values or fields where the schema knows them. */
export function validationSentence(context: string, issue: ValidationIssue, fields: readonly string[] = []): string {
  const where = `${context}${issue.instancePath.replace(/\//g, '.')}`;
  const p = issue.params;
  switch (issue.keyword) {
    case 'enum':
      return `${where} must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'additionalProperties':
      return `${where} has an unknown field "${String(p.additionalProperty)}"${fields.length ? `; valid fields: ${fields.join(', ')}` : ''}`;
    default:
      return `${where} ${issue.message ?? 'is not valid'}`;
  }
}

/** Field names a route's schema declares for a validation context (`body`, `querystring`). */
function schemaFields(req: FastifyRequest, context: string): string[] {
  const schema = (req.routeOptions.schema as Record<string, { properties?: Record<string, unknown> } | undefined> | undefined)?.[context];
  return Object.keys(schema?.properties ?? {});
}

/** The error handler of the admin app. */
export function adminErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation && err.validation.length > 0) {
    const context = err.validationContext ?? 'request';
    const issue = err.validation[0] as unknown as ValidationIssue;
    return sendError(reply, 400, AdminErrorCode.REQUEST, validationSentence(context, issue, schemaFields(req, context)));
  }
  if (isFicusError(err)) {
    // GW_ADMIN_CHANGE (a value the runtime refused) and any other user-facing code: 400.
    return sendError(reply, err.code === GatewayErrorCode.DIFF_STORE ? 503 : 400, err.code, err.message);
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own refusals: bad JSON, empty JSON body, wrong media type, body too large.
    return sendError(reply, status, AdminErrorCode.REQUEST, err.message);
  }
  req.log.error({ err }, 'admin request failed');
  return sendError(reply, 500, AdminErrorCode.INTERNAL, `internal error (request ${req.id}); see the gateway log`);
}
