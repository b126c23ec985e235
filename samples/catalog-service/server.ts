/**
 * Entry point of the catalog service: reads PORT (default 3001), HOST (default 127.0.0.1) and
 * DATABASE_URL (a Postgres URL; without it an in-memory PGlite) and CATALOG_COMPAT (1: the
 * compat build, see app.ts), applies the schema, seeds from
 * samples/data/catalog.json when empty, listens, prints one line, and shuts down cleanly on
 * SIGINT/SIGTERM.
 *
 *   PORT=3001 DATABASE_URL=postgres://postgres@127.0.0.1:5432/catalog node dist/samples/catalog-service/server.js
 */
import { buildApp } from './app.js';
import { openDatabase } from './db/pool.js';
import { applySchema } from './db/schema.js';
import { seedCatalog } from './db/seed.js';

interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  compat: boolean;
}

function loadConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const rawPort = env.PORT ?? '3001';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${rawPort}"`);
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    compat: env.CATALOG_COMPAT === '1' || env.CATALOG_COMPAT === 'true',
  };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.databaseUrl);
  await applySchema(db);
  await seedCatalog(db);
  const app = await buildApp({ db, compat: config.compat });
  await app.listen({ port: config.port, host: config.host });

  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  console.log(`catalog-service listening on http://${config.host}:${port} (db: ${db.kind})`);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    app
      .close()
      .then(() => db.close())
      .catch((err: unknown) => {
        console.error(`catalog-service: shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = 1;
      });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(`catalog-service: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
