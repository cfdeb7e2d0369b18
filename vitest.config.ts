import { defineConfig } from 'vitest/config';

/**
 * Two projects. `shared`: the unit and CDK tests, which start no servers or stacks and set no
 * environment, run in worker processes reused from file to file (`isolate: false`), so the
 * modules they share (the core, the AWS SDK, aws-cdk-lib, the synthesized stack of
 * test/cdk/support/synth.ts) are loaded once per worker instead of once per file. `isolated`: the
 * rest (API, integration, browser tests; some set process.env or mock modules), a fresh process
 * per file. Timings: bench/README.md "Test suite time".
 */
const SHARED = ['test/unit/**/*.test.ts', 'test/cdk/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'shared', include: SHARED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['test/**/*.test.ts'], exclude: SHARED } },
    ],
  },
});
