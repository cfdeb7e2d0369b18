// Prints the slowest test files of a vitest JSON report (`--reporter=json --outputFile.json=F`),
// each with its slowest test: where to look when the suite gets slow. Used by .ci/run.
// usage: node scripts/slowest-tests.mjs REPORT.json [COUNT=10]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, count = '10'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/slowest-tests.mjs REPORT.json [COUNT]\n');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const files = report.testResults.map((t) => {
  const slowest = t.assertionResults.reduce((a, b) => ((b.duration ?? 0) > (a?.duration ?? -1) ? b : a), undefined);
  return { name: relative(process.cwd(), t.name), ms: t.endTime - t.startTime, status: t.status, slowest };
}).sort((a, b) => b.ms - a.ms).slice(0, Number(count));
const wall = Math.max(...report.testResults.map((t) => t.endTime)) - report.startTime;
process.stdout.write(`\nSlowest ${files.length} test files (of ${report.testResults.length}; suite ${seconds(wall)} wall clock):\n`);
for (const f of files) {
  const test = f.slowest ? `  slowest test ${seconds(f.slowest.duration ?? 0)}: ${f.slowest.title}` : '';
  process.stdout.write(`${seconds(f.ms).padStart(8)}  ${f.name}${f.status === 'passed' ? '' : ` (${f.status})`}${test}\n`);
}
