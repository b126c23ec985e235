/**
 * Connections to the source database. Both kinds run with the session settings the value
 * decoders expect (ISO dates, UTC, ISO-8601 intervals, C money, hex bytea), since pgoutput and
 * the snapshot query print values with the session's settings:
 * - a replication connection (`replication=database`) for slot commands and the CopyBoth stream;
 * - a query connection, for the catalog and the snapshot (whose queries keep values as text, TEXT_TYPES).
 * A connection failure is a retriable CDC_PG_CONNECT naming the (redacted) URL.
 */
import pg from 'pg';
import { redactUrl } from '../../../core/index.js';
import { pgSourceError, PgSourceErrorCode } from './errors.js';

export const SESSION_OPTIONS = '-c datestyle=ISO,YMD -c timezone=UTC -c intervalstyle=iso_8601 -c lc_monetary=C -c bytea_output=hex -c extra_float_digits=1';

const asText = (v: string): string => v;
/** Per-query `types` that keep every value as the text the server sent (for the snapshot). */
export const TEXT_TYPES = { getTypeParser: () => asText } as unknown as pg.CustomTypesConfig;

async function connect(client: pg.Client, url: string, what: string): Promise<pg.Client> {
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw pgSourceError(PgSourceErrorCode.CONNECT, `cannot open a ${what} to ${redactUrl(url)}: ${(err as Error).message}`, {
      cause: err,
      retriable: true,
    });
  }
}

export function openReplicationConnection(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    replication: 'database',
    options: SESSION_OPTIONS,
    application_name: 'ficus-cdc',
    keepAlive: true,
  } as pg.ClientConfig);
  return connect(client, url, 'replication connection');
}

export function openQueryConnection(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, options: SESSION_OPTIONS, application_name: 'ficus-cdc', keepAlive: true });
  return connect(client, url, 'connection');
}

/** The database name in a postgres:// URL (the default for events' `source.db`). */
export function databaseOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
  } catch {
    return 'postgres';
  }
}
