/**
 * Benchmark of the XLSX tape reader on a generated ~60-column tape, beside exceljs's streaming reader.
 * Each measurement runs in a fresh child process reading the file from disk in 1 MiB chunks, so the
 * peak RSS printed is the reader's own. Writes bench/results/xlsx-reader.json. Bench code only.
 *
 *   npx tsx bench/xlsx-reader.ts --rows 200000 [--exceljs-rows 50000] [--runs 3] [--level 6]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readXlsx } from '../functions/core/readers/xlsx-reader.ts';
import { xlsxParts, zipParts, type XlsxCell } from './xlsx-writer.ts';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    'exceljs-rows': { type: 'string', default: '50000' },
    runs: { type: 'string', default: '3' },
    level: { type: 'string', default: '6' },
    child: { type: 'string' },
    reader: { type: 'string', default: 'readXlsx' },
  },
});
const CHUNK = 1 << 20; // 1 MiB reads, as the adapters read files (docs/design.md)
const here = dirname(fileURLToPath(import.meta.url));

const STATES = ['TX', 'VA', 'AZ', 'OR', 'GA', 'IL', 'OH', 'NV', 'NC', 'UT'];
const TENANTS = ['Hyperscaler A', 'Hyperscaler B', 'Cloud C & Co', 'AI Lab <D>', 'Colo "E"', 'Bank F'];
const TIERS = ['Tier III', 'Tier IV', 'Tier II'];

/**
 * One loan row of 60 columns: 12 text (3 unique per row, so the shared-string table grows with the
 * tape), 32 numbers (money with 2 decimals, rates, integers, and 8 full-precision doubles, the slow
 * case), 10 dates, 4 booleans, 1 blank and 1 sparse note.
 */
function loanRow(i: number): XlsxCell[] {
  const r = (k: number): number => ((i * 2654435761 + k * 40503) % 1000003) / 1000003;
  const cells: XlsxCell[] = [
    `L${String(i).padStart(8, '0')}`,
    `Facility ${i}`,
    `Borrower ${i % 9973} LLC`,
    STATES[i % STATES.length]!,
    TENANTS[i % TENANTS.length]!,
    TIERS[i % TIERS.length]!,
    'USD',
    i % 7 === 0 ? 'Floating' : 'Fixed',
    i % 5 === 0 ? 'IO' : 'Amortizing',
    'Data center',
    `Market ${i % 40}`,
    i % 3 === 0 ? 'Single-tenant' : 'Multi-tenant',
  ];
  for (let k = 0; k < 32; k++) {
    if (k % 4 === 0) cells.push(Math.round(r(k) * 5e10) / 100);
    else if (k % 4 === 1) cells.push(Math.round(r(k) * 1e6) / 1e6);
    else if (k % 4 === 2) cells.push(Math.floor(r(k) * 500));
    else cells.push(r(k) * 100);
  }
  for (let k = 0; k < 10; k++) {
    const day = 1 + Math.floor(r(100 + k) * 27);
    const month = 1 + Math.floor(r(200 + k) * 12);
    const year = 2015 + Math.floor(r(300 + k) * 20);
    cells.push({ date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` });
  }
  for (let k = 0; k < 4; k++) cells.push(r(400 + k) > 0.5);
  cells.push(null, i % 11 === 0 ? 'note: review' : null);
  return cells;
}

function* tape(rows: number): Generator<XlsxCell[]> {
  yield Array.from({ length: 60 }, (_, c) => `column${c + 1}`);
  for (let i = 1; i <= rows; i++) yield loanRow(i);
}

/**
 * Child process: reads one file once, prints {rows, seconds, peakRssMB} as JSON. Peak RSS is sampled
 * (every 1,000 rows): getrusage's maxRSS would include the parent's memory, inherited across fork+exec.
 */
async function child(path: string, reader: string): Promise<void> {
  const source = createReadStream(path, { highWaterMark: CHUNK });
  let peak = process.memoryUsage.rss();
  const sample = (rows: number): void => {
    if (rows % 1000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
  };
  const start = performance.now();
  let rows = 0;
  if (reader === 'exceljs') {
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.stream.xlsx.WorkbookReader(source, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
    });
    for await (const worksheet of workbook) {
      for await (const _row of worksheet as AsyncIterable<unknown>) sample(++rows);
      break;
    }
  } else {
    for await (const record of readXlsx(source)) if (record.cells.length > 0) sample(++rows);
  }
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(JSON.stringify({ rows, seconds, peakRssMB: Math.round(peak / 1e6) }));
}

interface Measure {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  fileMBPerSecond: number;
  sheetXmlMBPerSecond: number;
  peakRssMB: number;
}

const round = (n: number, digits: number): number => Math.round(n * 10 ** digits) / 10 ** digits;

function measure(
  name: string,
  path: string,
  fileBytes: number,
  xmlBytes: number,
  reader: string,
  runs: number,
): Measure {
  const results: { rows: number; seconds: number; peakRssMB: number }[] = [];
  for (let run = 0; run < runs; run++) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', path, '--reader', reader],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    results.push(JSON.parse(out.trim().split('\n').at(-1)!));
  }
  results.sort((a, b) => a.seconds - b.seconds);
  const best = results[0]!;
  const m: Measure = {
    rows: best.rows,
    seconds: round(best.seconds, 3),
    rowsPerSecond: Math.round(best.rows / best.seconds),
    fileMBPerSecond: round(fileBytes / 1e6 / best.seconds, 1),
    sheetXmlMBPerSecond: round(xmlBytes / 1e6 / best.seconds, 1),
    peakRssMB: Math.max(...results.map((r) => r.peakRssMB)),
  };
  console.log(
    `${name.padEnd(46)} ${String(m.rows).padStart(8)} rows ${m.seconds.toFixed(2).padStart(7)} s ` +
      `${String(m.rowsPerSecond).padStart(8)} rows/s ${m.fileMBPerSecond.toFixed(1).padStart(6)} MB/s file ` +
      `${m.sheetXmlMBPerSecond.toFixed(0).padStart(5)} MB/s XML  peak RSS ${m.peakRssMB} MB`,
  );
  return m;
}

interface Tape {
  path: string;
  fileBytes: number;
  xmlBytes: number;
}

function writeTape(dir: string, name: string, rows: number, level: number, sheetsFirst: boolean): Tape {
  const parts = xlsxParts(tape(rows), { sheetName: 'Loans', sheetsFirst });
  const xmlBytes = parts
    .filter((p) => p.name.startsWith('xl/worksheets/'))
    .reduce((n, p) => n + p.data.reduce((m, c) => m + c.length, 0), 0);
  const bytes = zipParts(parts, { level: level as 6 });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, fileBytes: bytes.length, xmlBytes };
}

async function main(): Promise<void> {
  const rowCount = Number(values.rows);
  const exceljsRows = Math.min(Number(values['exceljs-rows']), rowCount);
  const runs = Number(values.runs);
  const level = Number(values.level);
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-bench-'));
  try {
    console.log(`Writing a ${rowCount}-row × 60-column tape (deflate level ${level}) …`);
    const t = performance.now();
    const excel = writeTape(dir, 'excel-order.xlsx', rowCount, level, true);
    const streamed = writeTape(dir, 'strings-first.xlsx', rowCount, level, false);
    console.log(
      `  ${(excel.fileBytes / 1e6).toFixed(1)} MB xlsx, sheet XML ${(excel.xmlBytes / 1e6).toFixed(1)} MB ` +
        `(${Math.round(excel.xmlBytes / (rowCount + 1))} bytes/row), written in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
    );
    const command = `npx tsx bench/xlsx-reader.ts --rows ${rowCount} --exceljs-rows ${exceljsRows} --runs ${runs} --level ${level}`;
    const results: Record<string, unknown> = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      loadAverage: (await import('node:os')).loadavg().map((n) => round(n, 2)),
      command,
      tape: {
        rows: rowCount,
        columns: 60,
        fileMB: round(excel.fileBytes / 1e6, 1),
        sheetXmlMB: round(excel.xmlBytes / 1e6, 1),
        level,
      },
    };
    results.readXlsx_excelEntryOrder = measure(
      'readXlsx, Excel entry order (sheet kept compressed)',
      excel.path,
      excel.fileBytes,
      excel.xmlBytes,
      'readXlsx',
      runs,
    );
    results.readXlsx_stringsFirst = measure(
      'readXlsx, strings/styles first (sheet streamed)',
      streamed.path,
      streamed.fileBytes,
      streamed.xmlBytes,
      'readXlsx',
      runs,
    );
    if (exceljsRows > 0) {
      const small = writeTape(dir, 'exceljs.xlsx', exceljsRows, level, true);
      try {
        results.exceljsStreaming = measure(
          'exceljs stream.xlsx.WorkbookReader',
          small.path,
          small.fileBytes,
          small.xmlBytes,
          'exceljs',
          1,
        );
        results.readXlsx_sameTapeAsExceljs = measure(
          'readXlsx, same tape as exceljs',
          small.path,
          small.fileBytes,
          small.xmlBytes,
          'readXlsx',
          runs,
        );
      } catch (error) {
        console.log(`exceljs comparison skipped: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    const out = join(here, 'results', 'xlsx-reader.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
    console.log(`\nwrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.child) await child(values.child, values.reader);
else await main();
