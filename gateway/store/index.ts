/**
 * The diff store: where DiffRecords and comparison tallies go (ndjson files, Postgres, or
 * nowhere), the writer that keeps the hot path off it, and the ndjson readers (records,
 * tallies) `ficus replay` and `ficus report` use.
 */
import { isAbsolute, resolve } from 'node:path';
import type pg from 'pg';
import { FicusError, type Logger } from '../../core/index.js';
import type { GatewayConfigInput } from '../config/schema.js';
import { GatewayErrorCode } from '../errors.js';
import type { DiffStore } from '../model.js';
import { createNdjsonStore } from './ndjson.js';
import { createNoneStore } from './none.js';
import { createPostgresStore } from './postgres.js';

export { createNdjsonStore, DEFAULT_MAX_FILE_BYTES, type NdjsonStoreOptions } from './ndjson.js';
export { readDiffFile, listDiffFiles, type ReadOptions } from './ndjson-files.js';
export { readTallies, tallyFileFor } from './ndjson-tallies.js';
export { sumTallies, TallyCounter } from './tallies.js';
export { createPostgresStore, DEFAULT_TABLE, type PostgresStoreOptions } from './postgres.js';
export { createNoneStore } from './none.js';
export { createDiffWriter, type DiffWriter, type DiffWriterOptions, type DiffWriterStats, type TallyWriterStats, type Timers } from './writer.js';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './query.js';

export type DiffStoreConfig = GatewayConfigInput['diffs'];

export interface OpenDiffStoreOptions {
  /** Folder a relative `diffs.path` is resolved against (the config file's); default the working folder. */
  readonly baseDir?: string;
  readonly logger?: Logger;
  /** A pool for the Postgres store instead of one made from `diffs.url`. */
  readonly pool?: pg.Pool;
}

/**
 * Opens the store `diffs` names. Rejects with GW_DIFF_STORE when it cannot be opened (a folder
 * that cannot be created, Postgres unreachable — retriable — or no url for postgres).
 *
 * @example
 *   const store = await openDiffStore(config.diffs, { baseDir: dirname(configFile), logger });
 */
export async function openDiffStore(diffs: DiffStoreConfig, options: OpenDiffStoreOptions = {}): Promise<DiffStore> {
  switch (diffs.store) {
    case 'none':
      return createNoneStore();
    case 'ndjson': {
      const dir = isAbsolute(diffs.path) ? diffs.path : resolve(options.baseDir ?? '.', diffs.path);
      return createNdjsonStore({ dir, logger: options.logger });
    }
    case 'postgres':
      if ((diffs.url === undefined || diffs.url === '') && options.pool === undefined) {
        throw new FicusError(
          GatewayErrorCode.DIFF_STORE,
          'diffs.url is required when diffs.store is postgres; set it to a postgres:// URL (e.g. ${DIFFS_DATABASE_URL})',
          {
            details: { field: 'diffs.url' },
          },
        );
      }
      return createPostgresStore({ url: diffs.url, table: diffs.table, pool: options.pool, logger: options.logger });
    default:
      throw new FicusError(GatewayErrorCode.DIFF_STORE, `diffs.store ${JSON.stringify(diffs.store)} is not a store; valid: ndjson, postgres, none`, {
        details: { field: 'diffs.store' },
      });
  }
}
