/**
 * The test harness: real services for integration tests (Postgres databases, a Kafka mock
 * cluster, headless Chromium, nginx) and where tests write their artefacts.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export { createTestDatabase, walLevel, PG_ADMIN_URL, type TestDatabase } from './postgres.js';
export { startMockKafka, type MockKafka } from './kafka.js';
export { createMysqlTestDatabase, mysqlAdmin, MYSQL_ADMIN_URL, type MysqlTestDatabase } from './mariadb.js';
export { launchChromium, chromiumPath } from './chromium.js';
export { nginxPath } from './nginx.js';
export { MissingServiceError, uniqueName } from './services.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A folder under test-output/ for screenshots and reports a test writes. */
export function testOutputDir(name: string): string {
  const dir = join(REPO_ROOT, 'test-output', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
