// Entry point: opens the database (DATABASE_URL or embedded PGlite), seeds it if empty, listens.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { buildApp } from './app.js';
import { openDatabase } from './lib/db.js';
import { initDatabase } from './db/init.js';
import { loadConfig } from './lib/config.js';
import { createLogger, type LogLevel } from './lib/logger.js';

export interface RunningShop {
  url: string;
  close(): Promise<void>;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Starts the shop with settings from `env` (PORT, HOST, DATABASE_URL, LOG_LEVEL).
 * @example const shop = await startServer({ PORT: '0' }); await fetch(`${shop.url}/health`);
 */
export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningShop> {
  const config = loadConfig(env);
  const level = LOG_LEVELS.find((l) => l === env.LOG_LEVEL) ?? 'info';
  const logger = createLogger(level);
  const db = await openDatabase(config.databaseUrl);
  try {
    const { seeded } = await initDatabase(db);
    logger.info('database ready', { kind: db.kind, seeded });
    const app = buildApp({ db, logger, config });
    const url = await app.listen({ port: config.port, host: config.host });
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await app.close();
        await db.close();
      })());
    return { url, close };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}

async function main(): Promise<void> {
  const shop = await startServer();
  // the one line on stdout: scripts and tests wait for it
  console.log(`legacy-shop listening on ${shop.url}`);
  const stop = (signal: string) => {
    console.error(`legacy-shop: ${signal} received, shutting down`);
    shop.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('legacy-shop: shutdown failed', err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    console.error('legacy-shop failed to start:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
