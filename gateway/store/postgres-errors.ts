/**
 * Turning pg failures into GW_DIFF_STORE FicusErrors with the connection URL redacted. Retriable
 * unless the data itself is refused (SQLSTATE class 22, data exception, or 23, integrity): a
 * lost connection, a timeout, a restarting server, a missing table or grant may all heal.
 */
import { FicusError, redactUrl } from '../../core/index.js';
import { GatewayErrorCode } from '../errors.js';

const NOT_RETRIABLE_CLASSES = new Set(['22', '23']);

/** The SQLSTATE of a pg DatabaseError, if it is one. */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function pgStoreError(what: string, where: string | undefined, err: unknown): FicusError {
  if (err instanceof FicusError) return err;
  const state = sqlState(err);
  const retriable = state === undefined || !NOT_RETRIABLE_CLASSES.has(state.slice(0, 2));
  const why = redactSecrets(err instanceof Error ? err.message : String(err), where);
  const at = where === undefined ? 'Postgres (injected pool)' : `Postgres at ${redactUrl(where)}`;
  return new FicusError(GatewayErrorCode.DIFF_STORE, `${what} in ${at}: ${why}${state === undefined ? '' : ` (SQLSTATE ${state})`}`, {
    cause: err,
    retriable,
    details: state === undefined ? {} : { sqlState: state },
  });
}

/** A driver message could echo the URL; never let its password through. */
function redactSecrets(message: string, url: string | undefined): string {
  if (url === undefined) return message;
  let out = message.split(url).join(redactUrl(url));
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password !== '') out = out.split(password).join('***');
  } catch {
    // not a URL: redactUrl already handled what it could
  }
  return out;
}
