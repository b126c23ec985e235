/**
 * Classifying MySQL/MariaDB errors (as mysql2 reports them: `errno`, `code`, `sqlState`,
 * `fatal`) for the MySQL sink, onto the sink error codes of errors.ts:
 * - retriable: deadlock (1213), lock wait timeout (1205), lost or refused connections
 *   (PROTOCOL_CONNECTION_LOST, ECONNRESET, ECONNREFUSED …, client errors 2006/2013, SQLSTATE
 *   08xxx, any error mysql2 marks `fatal`), a killed connection or query (1927, 1317), a
 *   server shutting down or read-only during a failover (1053, 1290, 1836), too many
 *   connections (1040): nothing was committed, the pipeline retries the batch;
 * - data: SQLSTATE classes 22 and 23 and the strict-mode value errors MySQL reports as HY000
 *   (1366 incorrect integer value, 1364 no default, 1292 bad datetime …): the batch falls back
 *   to change by change and the failing changes are dead-lettered;
 * - schema: unknown table, column or database, a statement the server cannot parse (a
 *   Postgres-only expression in the mapping), a function that does not exist;
 * - fatal: anything else, including access denied.
 */
import { FicusError } from '../../core/index.js';
import { SinkErrorCode, type ErrorClass } from './errors.js';

interface MysqlErrorLike {
  readonly errno?: unknown;
  readonly code?: unknown;
  readonly sqlState?: unknown;
  readonly fatal?: unknown;
}

const RETRIABLE_ERRNOS = new Set([
  1040, // too many connections
  1053, // server shutdown in progress
  1152, // aborted connection
  1158, // network read error
  1159, // network read timeout
  1160, // network write error
  1161, // network write timeout
  1180, // error during COMMIT
  1181, // error during ROLLBACK
  1203, // too many user connections
  1205, // lock wait timeout
  1213, // deadlock
  1290, // --read-only (a replica during a failover)
  1317, // query interrupted (KILL QUERY)
  1615, // prepared statement needs re-preparation
  1637, // too many active concurrent transactions
  1792, // read-only transaction
  1836, // read-only mode
  1927, // MariaDB: connection was killed
  2002, // client: cannot connect (socket)
  2003, // client: cannot connect (TCP)
  2006, // client: server has gone away
  2013, // client: lost connection during query
  2055, // client: lost connection at reading
]);

const RETRIABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Value errors strict mode raises with SQLSTATE HY000 (classes 22/23 are caught by their SQLSTATE). */
const DATA_ERRNOS = new Set([
  1048, 1062, 1138, 1169, 1216, 1217, 1263, 1264, 1265, 1292, 1364, 1365, 1366, 1367, 1406, 1411, 1416, 1451, 1452, 1690, 3140, 3156, 3819, 4025,
]);

const SCHEMA_ERRNOS = new Set([
  1049, // unknown database
  1051, // unknown table
  1054, // unknown column
  1064, // syntax error (e.g. a Postgres-only expression)
  1109, // unknown table in a statement
  1110, // column specified twice
  1136, // column count does not match
  1146, // table does not exist
  1305, // function does not exist
  1582, // wrong parameter count to a native function
  1583, // wrong parameters to a native function
  1630, // MariaDB: function does not exist
  4078, // MariaDB: illegal parameter data types for an operation
]);

const ACCESS_ERRNOS = new Set([1044, 1045, 1142, 1143, 1698]);

export function classifyMysqlError(err: unknown): ErrorClass {
  if (err instanceof FicusError)
    return err.retriable ? 'retriable' : err.code === SinkErrorCode.SCHEMA ? 'schema' : err.code === SinkErrorCode.DATA ? 'data' : 'fatal';
  const e = (typeof err === 'object' && err !== null ? err : {}) as MysqlErrorLike;
  const errno = typeof e.errno === 'number' ? e.errno : undefined;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const state = typeof e.sqlState === 'string' ? e.sqlState : undefined;
  if (errno !== undefined && ACCESS_ERRNOS.has(errno)) return 'fatal';
  if ((errno !== undefined && RETRIABLE_ERRNOS.has(errno)) || (code !== undefined && RETRIABLE_CODES.has(code))) return 'retriable';
  if (state !== undefined && (state.startsWith('08') || state === '40001')) return 'retriable';
  if (errno !== undefined && DATA_ERRNOS.has(errno)) return 'data';
  if (state !== undefined && (state.startsWith('22') || state.startsWith('23'))) return 'data';
  if (errno !== undefined && SCHEMA_ERRNOS.has(errno)) return 'schema';
  // mysql2 marks errors after which the connection is unusable as fatal: the batch can be retried on a new one.
  if (e.fatal === true) return 'retriable';
  if (errno === undefined) {
    const message = err instanceof Error ? err.message : String(err);
    if (/connection.*(lost|closed|destroyed)|Can't add new command when connection is in closed state|timeout/i.test(message)) return 'retriable';
  }
  return 'fatal';
}

/** Wraps a MySQL error as a FicusError with the right code and `retriable` flag; details carry `errno` and `sqlstate`. */
export function mysqlSinkError(err: unknown, what: string): FicusError {
  if (err instanceof FicusError) return err;
  const kind = classifyMysqlError(err);
  const code =
    kind === 'retriable' ? SinkErrorCode.RETRIABLE : kind === 'data' ? SinkErrorCode.DATA : kind === 'schema' ? SinkErrorCode.SCHEMA : SinkErrorCode.FAILED;
  const e = (typeof err === 'object' && err !== null ? err : {}) as MysqlErrorLike;
  const message = err instanceof Error ? err.message : String(err);
  const details: Record<string, unknown> = {};
  if (typeof e.errno === 'number') details.errno = e.errno;
  if (typeof e.sqlState === 'string') details.sqlstate = e.sqlState;
  if (typeof e.code === 'string') details.driverCode = e.code;
  const where =
    typeof e.errno === 'number'
      ? ` (MySQL error ${e.errno}${typeof e.sqlState === 'string' ? `, SQLSTATE ${e.sqlState}` : ''})`
      : typeof e.code === 'string'
        ? ` (${e.code})`
        : '';
  const hint =
    kind === 'schema' && e.errno === 1064
      ? '; mapping expressions are sent to MySQL as written, so Postgres-only syntax (value::type, date_trunc, to_char …) must be rewritten (CAST(value AS DECIMAL(12,2)))'
      : '';
  return new FicusError(code, `${what}: ${message}${where}${hint}`, { cause: err, retriable: kind === 'retriable', details });
}
