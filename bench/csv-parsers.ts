/**
 * Bench: which CSV parser should the tape reader stand on? Checks every candidate against the reader's
 * requirements, then times parse-only throughput on a wide, realistically quoted tape (1 MiB chunks).
 * Prints figures and writes bench/results/csv-parsers.json; it asserts nothing.
 *
 *   npx tsx bench/csv-parsers.ts [--rows 200000] [--runs 3] [--only readCsv,udsv]
 *
 * Each timed parser runs in its own child process (same tsx loader), so JIT state and peak RSS are its
 * own. The tape is written once to the OS temp directory and streamed from there in 1 MiB chunks.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse as csvParse, type Options as CsvParseOptions } from 'csv-parse';
import Papa from 'papaparse';
import { inferSchema, initParser } from 'udsv';
import { readCsv } from '../functions/core/readers/csv-reader.ts';

const CHUNK = 1 << 20;
const COLUMNS = 60;
const here = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------------
// Tape generator: 60 columns like a DMBS tape (ids, names, money, rates, dates, free text).
// About 1 row in 8 has a quoted comma, 1 in 25 doubled quotes, 1 in 40 a quoted line break; CRLF rows.

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Ashburn', 'Campus', 'Hyperscale', 'North', 'Data', 'Center', 'Loudoun', 'Phoenix', 'Edge', 'Core', 'Power', 'Ridge', 'Tower', 'Atlas', 'Quincy', 'Dallas'];

function quote(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function generateRow(i: number, r: () => number): string {
  const word = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const cells: string[] = [];
  for (let c = 0; c < COLUMNS; c++) {
    switch (c % 10) {
      case 0: cells.push(c === 0 ? `DMBS-${String(i).padStart(7, '0')}` : String(Math.floor(r() * 1e6))); break;
      case 1: cells.push((r() * 5e8).toFixed(2)); break;
      case 2: cells.push((r() * 0.09).toFixed(5)); break;
      case 3: cells.push(`20${10 + Math.floor(r() * 20)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 10)}`); break;
      case 4: {
        const x = r();
        cells.push(quote(x < 0.125 ? `${word()} ${word()}, LLC` : x < 0.165 ? `The "${word()}" ${word()}` : `${word()} ${word()}`));
        break;
      }
      case 5: cells.push(r() < 0.2 ? '' : (r() * 300).toFixed(1)); break;
      case 6: cells.push(r() < 0.5 ? 'Y' : 'N'); break;
      case 7: cells.push(quote(r() < 0.025 ? `${Math.floor(r() * 9999)} ${word()} Pkwy\nSuite ${Math.floor(r() * 900)}` : `${word()}, VA`)); break;
      case 8: cells.push((r() * 3).toFixed(2)); break;
      default: cells.push(String(Math.floor(r() * 1000)));
    }
  }
  return cells.join(',');
}

async function generateTape(rows: number): Promise<string> {
  const path = join(tmpdir(), `dmbs-bench-csv-v1-${rows}.csv`);
  if (existsSync(path)) return path;
  const out = createWriteStream(path + '.tmp');
  const r = rng(42);
  const header = Array.from({ length: COLUMNS }, (_, c) => (c === 0 ? 'loanId' : `field${c}`)).join(',');
  let buffer = header + '\r\n';
  for (let i = 1; i < rows; i++) {
    buffer += generateRow(i, r) + '\r\n';
    if (buffer.length < CHUNK) continue;
    const flushed = out.write(buffer);
    buffer = '';
    if (!flushed) await once(out, 'drain');
  }
  out.end(buffer);
  await once(out, 'finish');
  renameSync(path + '.tmp', path);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Candidates: each turns byte chunks into records. Row numbers where the library can give them.

interface Parsed {
  records: { row: number; cells: string[] }[];
  error?: string;
  /** Chunks the parser pulled from the source before it finished or failed. */
  pulled: number;
}

type Candidate = (chunks: Iterable<Uint8Array>, limitChars?: number) => Promise<Parsed>;

function counting(chunks: Iterable<Uint8Array>, state: { pulled: number }): Generator<Uint8Array> {
  return (function* () {
    for (const chunk of chunks) {
      state.pulled++;
      yield chunk;
    }
  })();
}

function* decoded(chunks: Iterable<Uint8Array>): Generator<string> {
  const decoder = new TextDecoder();
  for (const chunk of chunks) yield decoder.decode(chunk, { stream: true });
  yield decoder.decode();
}

/** csv-parse with the options that meet the reader's requirements. */
const CSV_PARSE_READER_OPTIONS: CsvParseOptions = {
  bom: true,
  record_delimiter: ['\r\n', '\n', '\r'],
  relax_quotes: true,
  relax_column_count: true,
  skip_empty_lines: true,
  info: true,
};

const candidates: Record<string, Candidate> = {
  async readCsv(chunks, limitChars) {
    const state = { pulled: 0 };
    const records: Parsed['records'] = [];
    try {
      const source = (async function* () { yield* counting(chunks, state); })();
      for await (const r of readCsv(source, limitChars ? { maxFieldChars: limitChars } : {})) records.push(r);
      return { records, pulled: state.pulled };
    } catch (e) {
      return { records, pulled: state.pulled, error: (e as Error).message };
    }
  },
  async 'csv-parse'(chunks, limitChars) {
    const state = { pulled: 0 };
    const records: Parsed['records'] = [];
    const parser = Readable.from(counting(chunks, state)).pipe(
      csvParse({ ...CSV_PARSE_READER_OPTIONS, ...(limitChars ? { max_record_size: limitChars } : {}) }),
    );
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number; empty_lines: number } }>) {
        records.push({ row: info.records + info.empty_lines, cells: record });
      }
      return { records, pulled: state.pulled };
    } catch (e) {
      return { records, pulled: state.pulled, error: (e as Error).message };
    }
  },
  papaparse(chunks) {
    const state = { pulled: 0 };
    const records: Parsed['records'] = [];
    let index = 0;
    const errors: string[] = [];
    return new Promise((resolve) => {
      Papa.parse(Readable.from(decoded(counting(chunks, state))), {
        chunk(result: Papa.ParseResult<string[]>) {
          // Papaparse yields an empty line as [''], so rows can be counted; it has no size limit.
          for (const cells of result.data) {
            index++;
            if (!(cells.length === 1 && cells[0] === '')) records.push({ row: index, cells });
          }
          for (const error of result.errors) if (error.type !== 'Delimiter') errors.push(error.message);
        },
        complete: () => resolve({ records, pulled: state.pulled, ...(errors.length ? { error: errors.join('; ') } : {}) }),
        error: (error: Error) => resolve({ records, pulled: state.pulled, error: error.message }),
      } as never);
    });
  },
  async udsv(chunks) {
    const state = { pulled: 0 };
    const records: Parsed['records'] = [];
    try {
      let parser: ReturnType<typeof initParser> | undefined;
      // udsv reports no blank lines and no row numbers: the best a wrapper can do is count records.
      const onRow = (cells: string[]) => void records.push({ row: records.length + 1, cells: cells.slice() });
      for (const text of decoded(counting(chunks, state))) {
        if (text === '') continue;
        if (parser === undefined) {
          const schema = inferSchema(text);
          (schema as { skip?: number }).skip = 0;
          parser = initParser(schema);
        }
        parser.chunk<string[]>(text, parser.stringArrs, onRow);
      }
      parser?.end();
      return { records, pulled: state.pulled };
    } catch (e) {
      return { records, pulled: state.pulled, error: (e as Error).message };
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Requirement checks: each feeds small inputs and compares with what the reader must yield.

const enc = (s: string) => new TextEncoder().encode(s);
type Rec = [number, ...string[]];
const recs = (p: Parsed): Rec[] => p.records.map((r) => [r.row, ...r.cells]);
const cellsOnly = (p: Parsed): string[][] => p.records.map((r) => r.cells);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every split of `text` into two chunks at each byte, then one byte per chunk. */
function chunkings(text: string): Uint8Array[][] {
  const bytes = enc(text);
  const out: Uint8Array[][] = [[bytes]];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  out.push(Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)));
  return out;
}

function spectrumCases(): { name: string; csv: Uint8Array; expected: string[][] }[] {
  const root = join(here, '..', 'node_modules', 'csv-spectrum');
  return readdirSync(join(root, 'csvs')).map((file) => {
    const name = basename(file, '.csv');
    const csv = readFileSync(join(root, 'csvs', file));
    let json = JSON.parse(readFileSync(join(root, 'json', `${name}.json`), 'utf8')) as Record<string, string> | Record<string, string>[];
    if (!Array.isArray(json)) json = [json];
    // csv-spectrum 2.0.0 fixture defect: location_coordinates.json has a different phone number than its CSV.
    if (name === 'location_coordinates') json = json.map((o) => ({ ...o, 'Contact Phone Number': '2095257564' }));
    const header = Object.keys(json[0]!);
    return { name, csv, expected: [header, ...json.map((o) => header.map((h) => o[h]!))] };
  });
}

interface Check {
  name: string;
  run: (c: Candidate) => Promise<string | undefined>; // undefined = pass, else what went wrong
}

const checks: Check[] = [
  {
    name: 'csv-spectrum (12 files)',
    async run(c) {
      const failed: string[] = [];
      for (const t of spectrumCases()) if (!same(cellsOnly(await c([t.csv])), t.expected)) failed.push(t.name);
      return failed.length ? `fails ${failed.join(', ')}` : undefined;
    },
  },
  {
    name: 'chunk boundary anywhere',
    async run(c) {
      const cases: [string, string[][]][] = [
        ['a,b\r\n1,"x ""q"" y\r\nz"\r\n2,é€😀\r\n', [['a', 'b'], ['1', 'x "q" y\r\nz'], ['2', 'é€😀']]],
        ['a,b\r1,"x\ry"\r2,3\r', [['a', 'b'], ['1', 'x\ry'], ['2', '3']]],
        ['a,b\n1,"x ""q""\ny"\n2,3\n', [['a', 'b'], ['1', 'x "q"\ny'], ['2', '3']]],
      ];
      const failures: string[] = [];
      for (const [text, want] of cases) {
        const wrong: string[] = [];
        let example = '';
        const all = chunkings(text);
        for (const chunks of all) {
          const got = await c(chunks);
          if (same(cellsOnly(got), want)) continue;
          wrong.push(chunks.length === 2 ? `|${chunks[0]!.length}` : 'one-byte chunks');
          example ||= JSON.stringify(got.error ?? cellsOnly(got)).slice(0, 70);
        }
        if (wrong.length) failures.push(`${JSON.stringify(text)} wrong when split at ${wrong.join(' ')} (e.g. ${example})`);
      }
      return failures.length ? failures.join(' | ') : undefined;
    },
  },
  ...(
    [
      ['CR-only line endings', 'a,b\r1,2\r3,4\r', [[1, 'a', 'b'], [2, '1', '2'], [3, '3', '4']]],
      ['mixed CRLF/LF/CR', 'a,b\r\n1,2\n3,4\r5,6\n', [[1, 'a', 'b'], [2, '1', '2'], [3, '3', '4'], [4, '5', '6']]],
      ['row numbers (blank lines, quoted breaks)', 'a,b\n\n1,"x\ny"\n\n2,3\n', [[1, 'a', 'b'], [3, '1', 'x\ny'], [5, '2', '3']]],
      ['ragged rows kept as written', 'a,b,c\n1,2\n1,2,3,4\n', [[1, 'a', 'b', 'c'], [2, '1', '2'], [3, '1', '2', '3', '4']]],
      ['header without line break', 'a,b', [[1, 'a', 'b']]],
      ['lenient quote inside unquoted field', 'a,b\n1,ab"c\n', [[1, 'a', 'b'], [2, '1', 'ab"c']]],
    ] as [string, string, Rec[]][]
  ).map(([name, text, want]): Check => ({
    name,
    async run(c) {
      const got = await c([enc(text)]);
      return !got.error && same(recs(got), want) ? undefined : JSON.stringify(got.error ?? recs(got)).slice(0, 100);
    },
  })),
  {
    name: 'unterminated quote reported',
    async run(c) {
      const got = await c([enc('a,b\n1,"abc\n2,3\n')]);
      return got.error ? undefined : `no error: ${JSON.stringify(recs(got))}`;
    },
  },
  {
    name: 'bounded memory (1 MiB field limit)',
    async run(c) {
      // A quote never closed, then 64 MiB: the parser must give up early, not buffer to the end.
      const chunk = enc('x'.repeat(CHUNK));
      const chunks = [enc('a,b\n1,"'), ...Array.from({ length: 64 }, () => chunk)];
      const got = await c(chunks, CHUNK);
      return got.error && got.pulled < chunks.length ? undefined : `read all ${got.pulled} MiB chunks${got.error ? ' before failing' : ' without error'}`;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Timed runs (in a child process per parser).

interface Timing {
  parser: string;
  rows: number;
  cells: number;
  chars: number;
  seconds: number[];
  maxRssMB: number;
}

const timed: Record<string, (path: string) => Promise<{ rows: number; cells: number; chars: number }>> = {
  async readCsv(path) {
    let rows = 0, cells = 0, chars = 0;
    for await (const r of readCsv(createReadStream(path, { highWaterMark: CHUNK }))) {
      rows++;
      cells += r.cells.length;
      for (const cell of r.cells) chars += cell.length;
    }
    return { rows, cells, chars };
  },
  async 'csv-parse'(path) {
    let rows = 0, cells = 0, chars = 0;
    const parser = createReadStream(path, { highWaterMark: CHUNK }).pipe(csvParse({ bom: true }));
    for await (const record of parser as AsyncIterable<string[]>) {
      rows++;
      cells += record.length;
      for (const cell of record) chars += cell.length;
    }
    return { rows, cells, chars };
  },
  async 'csv-parse (reader options)'(path) {
    let rows = 0, cells = 0, chars = 0;
    const parser = createReadStream(path, { highWaterMark: CHUNK }).pipe(csvParse({ ...CSV_PARSE_READER_OPTIONS, max_record_size: CHUNK }));
    for await (const { record } of parser as AsyncIterable<{ record: string[] }>) {
      rows++;
      cells += record.length;
      for (const cell of record) chars += cell.length;
    }
    return { rows, cells, chars };
  },
  papaparse(path) {
    let rows = 0, cells = 0, chars = 0;
    return new Promise((resolve, reject) => {
      Papa.parse(createReadStream(path, { highWaterMark: CHUNK, encoding: 'utf8' }), {
        chunk(result: Papa.ParseResult<string[]>) {
          for (const record of result.data) {
            rows++;
            cells += record.length;
            for (const cell of record) chars += cell.length;
          }
        },
        complete: () => resolve({ rows, cells, chars }),
        error: reject,
      } as never);
    });
  },
  async udsv(path) {
    let rows = 0, cells = 0, chars = 0;
    const decoder = new TextDecoder();
    let parser: ReturnType<typeof initParser> | undefined;
    const onRow = (record: string[]) => {
      rows++;
      cells += record.length;
      for (const cell of record) chars += cell.length;
    };
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
      const text = decoder.decode(chunk as Buffer, { stream: true });
      if (parser === undefined) {
        const schema = inferSchema(text);
        (schema as { skip?: number }).skip = 0;
        parser = initParser(schema);
      }
      parser.chunk<string[]>(text, parser.stringArrs, onRow);
    }
    parser?.end();
    return { rows, cells, chars };
  },
};

async function worker(name: string, path: string, runs: number): Promise<void> {
  const parse = timed[name]!;
  const seconds: number[] = [];
  let result = { rows: 0, cells: 0, chars: 0 };
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = await parse(path);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const timing: Timing = { parser: name, ...result, seconds, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
  process.stdout.write(`RESULT ${JSON.stringify(timing)}\n`);
}

// ---------------------------------------------------------------------------------------------

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const workerName = arg('worker');
  if (workerName) return worker(workerName, arg('file')!, Number(arg('runs') ?? 3));

  const rows = Number(arg('rows') ?? 200_000);
  const runs = Number(arg('runs') ?? 3);
  const only = arg('only')?.split(',');

  console.log('Requirement checks (each candidate fed the same bytes):');
  const requirements: Record<string, Record<string, string>> = {};
  for (const [name, candidate] of Object.entries(candidates)) {
    requirements[name] = {};
    for (const check of checks) requirements[name]![check.name] = (await check.run(candidate)) ?? 'pass';
  }
  for (const check of checks) {
    console.log(`  ${check.name}`);
    for (const name of Object.keys(candidates)) console.log(`    ${name.padEnd(10)} ${requirements[name]![check.name]}`);
  }

  const path = await generateTape(rows);
  const bytes = statSync(path).size;
  console.log(`\nTape: ${path} — ${rows} rows × ${COLUMNS} columns, ${(bytes / 1e6).toFixed(1)} MB; ${runs} runs each, median shown.`);
  const timings: Timing[] = [];
  for (const name of Object.keys(timed)) {
    if (only && !only.includes(name)) continue;
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--worker', name, '--file', path, '--runs', String(runs)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(`  ${name}: failed\n${child.stderr}`);
      continue;
    }
    timings.push(JSON.parse(line.slice(7)) as Timing);
  }

  const reference = timings.find((t) => t.parser === 'readCsv');
  console.log('\n  parser                       rows/s    MB/s   median s  max RSS MB  same result as readCsv');
  const table = timings.map((t) => {
    const s = median(t.seconds);
    const row = {
      parser: t.parser,
      rowsPerSecond: Math.round(t.rows / s),
      mbPerSecond: Math.round((bytes / 1e6 / s) * 10) / 10,
      medianSeconds: Math.round(s * 1000) / 1000,
      maxRssMB: t.maxRssMB,
      sameAsReadCsv: reference ? t.rows === reference.rows && t.cells === reference.cells && t.chars === reference.chars : undefined,
      rows: t.rows,
      cells: t.cells,
      chars: t.chars,
      seconds: t.seconds,
    };
    console.log(
      `  ${t.parser.padEnd(26)} ${String(row.rowsPerSecond).padStart(8)} ${String(row.mbPerSecond).padStart(7)} ${row.medianSeconds.toFixed(3).padStart(10)} ${String(row.maxRssMB).padStart(11)}  ${row.sameAsReadCsv}`,
    );
    return row;
  });

  const results = join(here, 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(
    join(results, 'csv-parsers.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        command: `npx tsx bench/csv-parsers.ts --rows ${rows} --runs ${runs}`,
        tape: { rows, columns: COLUMNS, bytes, chunkBytes: CHUNK },
        requirements,
        throughput: table,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`\nWrote ${join('bench', 'results', 'csv-parsers.json')}`);
}

await main();
