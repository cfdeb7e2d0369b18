/**
 * `npm run bench -- --compute`: `dmbs check` end to end over generated compute tapes (GPU lots,
 * functions/local/compute-tape-generator.ts), on 1 and 2 threads, beside the loan tape's rows of
 * bench/README.md: rows/s, MB/s and peak RSS (the whole process, worker threads included), the best
 * of --runs with the load average before it. Table on stdout, JSON in bench/results/compute-check.json.
 * Tapes are generated once into the OS temp folder. Asserts nothing.
 *
 *   npm run bench -- --compute [--rows 100000,1000000] [--workers 1,2] [--runs 3] [--formats csv,ndjson]
 *                              [--broken 0.02] [--quoted 0.05] [--out F]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cachedTape, checkRun, load, table, type Row } from './check-runs.ts';
import type { GenOptions } from './gen.ts';

const here = dirname(fileURLToPath(import.meta.url));

export async function runComputeBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      rows: { type: 'string', default: '100000,1000000' },
      workers: { type: 'string', default: '1,2' },
      runs: { type: 'string', default: '3' },
      formats: { type: 'string', default: 'csv' },
      broken: { type: 'string', default: '0.02' },
      quoted: { type: 'string', default: '0.05' },
      out: { type: 'string', default: join(here, 'results', 'compute-check.json') },
    },
  });
  const list = (s: string) => s.split(',').filter(Boolean);
  const runs = Number(values.runs);
  console.log(`dmbs compute bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${load().join(' ')}`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: join(here, '..'), stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const results: Row[] = [];
  for (const format of list(values.formats) as Array<GenOptions['format']>) {
    for (const rows of list(values.rows).map(Number)) {
      const path = await cachedTape({
        kind: 'compute', rows, seed: 1, format, out: '', eol: '\n',
        broken: Number(values.broken), quoted: format === 'csv' ? Number(values.quoted) : 0,
      });
      console.log(`compute ${format.toUpperCase()} ${rows} lots (${(statSync(path).size / 1e6).toFixed(0)} MB; ${Number(values.broken) * 100}% broken lots incl. duplicated lotIds)`);
      for (const workers of list(values.workers).map(Number)) {
        const r = await checkRun(`dmbs check compute ${format}, ${workers} ${workers === 1 ? 'thread' : 'threads'}`, path, rows, workers, runs);
        results.push(r);
        console.log(`  ${r.name.padEnd(36)} ${r.seconds.toFixed(2).padStart(7)} s ${String(r.rowsPerSecond).padStart(7)} rows/s ${String(r.mbPerSecond).padStart(6)} MB/s  peak RSS ${r.peakRssMB} MB  (load ${r.load[0]}; runs ${r.runs.join(' ')})`);
      }
    }
  }
  console.log(`\n${table(results)}`);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    command: `npm run bench -- --compute ${args.join(' ')}`.trim(),
    tapes: { kind: 'compute', columns: 39, seed: 1, broken: Number(values.broken), quoted: Number(values.quoted) },
    results,
    loadAfter: load(),
  }, null, 2)}\n`);
  console.log(`\nwrote ${values.out}`);
}
