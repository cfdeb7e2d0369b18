// Bundles the TypeScript entry points with esbuild (no Docker, no tsc emit): the CLI now; the local
// stack and Lambda handlers add their entries here. Runs on `npm ci` (prepare), `npm test` and `npm start`.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
// dmbs-check-worker: the worker thread of `dmbs check --workers N`, spawned from beside dist/dmbs.mjs.
const entries = { dmbs: 'functions/cli/entry.ts', 'dmbs-check-worker': 'functions/cli/check-worker.ts', 'dmbs-local': 'functions/local/main.ts' };

const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
  write: false,
});
// Each file replaced at once (written aside, then renamed): a process starting from dist/ while
// another builds (a test running `npm start` beside tests that run dist/dmbs.mjs) never reads half a file.
await Promise.all(outputFiles.map(async (file) => {
  await mkdir(dirname(file.path), { recursive: true });
  const aside = `${file.path}.${process.pid}.tmp`;
  await writeFile(aside, file.contents);
  await rename(aside, file.path);
}));
