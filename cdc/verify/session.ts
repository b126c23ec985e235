/**
 * Connections for verify: one small pool per database, every session in the same canonical
 * settings so that a value prints the same text on both sides (ISO dates, shortest exact
 * floats, hex bytea, standard intervals, and one TimeZone: the target's default, which is the
 * zone the sink's sessions read zone-less date/time text in). The settings travel in the
 * startup packet (`options`), so no query can run before they apply.
 */
import pg from 'pg';
import type { Logger } from '../../core/index.js';

const SESSION = ['DateStyle=ISO,MDY', 'IntervalStyle=postgres', 'extra_float_digits=1', 'bytea_output=hex'];

export interface VerifyPool {
  readonly pool: pg.Pool;
  /** Which database, for messages: 'source' or 'target'. */
  readonly side: 'source' | 'target';
  end(): Promise<void>;
}

/** `options` escapes spaces and backslashes with a backslash. */
const escapeOption = (s: string): string => s.replace(/[\\ ]/g, (c) => `\\${c}`);

export function openVerifyPool(options: { url: string; side: 'source' | 'target'; logger: Logger; timeZone?: string; max?: number }): VerifyPool {
  const settings = options.timeZone === undefined ? SESSION : [...SESSION, `TimeZone=${options.timeZone}`];
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max ?? 3,
    options: settings.map((s) => `-c ${escapeOption(s)}`).join(' '),
    application_name: `ficus-cdc-verify-${options.side}`,
  });
  let ending = false;
  // Kept after end(): pool.end() resolves before the connections have closed, and an error the
  // server sends meanwhile (a terminated backend) still reaches the pool.
  pool.on('error', (err: Error) => {
    if (ending) options.logger.debug({ err: err.message, side: options.side }, 'connection lost while closing');
    else options.logger.warn({ err: err.message, side: options.side }, 'idle connection lost');
  });
  return {
    pool,
    side: options.side,
    async end() {
      ending = true;
      await pool.end();
    },
  };
}

/** The session's TimeZone (for the target: the server's or database's default). */
export async function sessionTimeZone(p: VerifyPool): Promise<string> {
  const r = await p.pool.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz");
  return r.rows[0]?.tz ?? 'UTC';
}
