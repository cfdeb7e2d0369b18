import { defineConfig } from 'vitest/config';

/**
 * Two projects. `shared`: test files that set no environment, mock no module and stop what they
 * start (the unit and CDK tests, and the API tests listed) run in worker processes reused from
 * file to file (`isolate: false`), so the modules they share (the core, the AWS SDK, hono,
 * aws-cdk-lib, the synthesized stack of test/cdk/support/synth.ts) load once per worker instead of
 * once per file. `isolated`: the rest (integration and browser tests, api-routes.test.ts and
 * auth-providers.test.ts, which set process.env or mock modules), a fresh process per file; a new
 * file of test/api goes there unless listed here. Timings: bench/README.md "Test suite time".
 */
const SHARED = [
  'test/unit/**/*.test.ts',
  'test/cdk/**/*.test.ts',
  ...['app-errors', 'compute-routes', 'csv-cells', 'large-responses', 'loan-artifacts', 'market-routes', 'no-valid-loans', 'openapi', 'stress-routes'].map((name) => `test/api/${name}.test.ts`),
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two workers even on 2 cores: the integration and browser files wait on child processes,
    // emulators and Chromium much of the time (bench/README.md "Test suite time").
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: SHARED } },
    ],
  },
});
