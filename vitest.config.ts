import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Three MariaDB Galera nodes, HAProxy and eight platform processes: it runs
 * alone, after every other file, as it did when the suite ran in one fork.
 * (Beside other files it showed a real race: a department's first connection,
 * routed to a node still applying the GRANT another node committed, was
 * refused; `retryWhileGrantsSpread` in server/database now absorbs it.)
 */
const CLUSTER_TEST = 'test/e2e/galeraCluster.test.ts';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build for everyone (the libraries
    // that build schemas require it); Vite would give source files the ES
    // module build, a second graphql whose instanceof checks reject schemas
    // made by the first. One graphql, as in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // A folder for the database templates test platforms are copied from.
    globalSetup: ['./test/support/globalSetup.ts'],
    reporters: ['default', './test/support/summaryReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['**/__tests__/**/*.test.ts', 'test/**/*.test.ts'],
          // Also bench/node_modules: the benchmark's own packages ship tests of their own.
          exclude: ['**/node_modules/**', CLUSTER_TEST],
          // Vitest's default is one fork less than the cores: a single fork on a
          // 2-core machine. The files spend most of their time waiting on the
          // processes, databases and sockets they start, so two run side by side there.
          maxWorkers: Math.max(2, availableParallelism() - 1),
        },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: [CLUSTER_TEST],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
