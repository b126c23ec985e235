import { defineConfig } from 'vitest/config';

// Two projects so each kind runs alone: `unit` (beside the code, no servers) and
// `integration` (starts real Postgres databases, Kafka mock clusters, HTTP servers, Chromium).
const integration = ['test/**/*.test.ts', '**/*.int.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{analyzer,gateway,cdc,reports,core,cli,samples,bench}/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**', ...integration],
        },
      },
      {
        test: {
          name: 'integration',
          include: integration,
          exclude: ['**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
