/**
 * `npm run gen`: writes a deterministic generated tape for benchmarks and manual runs (usage below,
 * printed by `npm run gen -- --help`). Keep generated tapes out of the repository (/tmp).
 */
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { GENERATED_FIELDS, csvCell, streamTape } from './tape-generator.ts';
import { COMPUTE_FIELDS, streamComputeTape } from '../functions/local/compute-tape-generator.ts';
import { xlsxParts, zipParts, type XlsxCell } from './xlsx-writer.ts';

export const GEN_USAGE = `usage: npm run gen -- [--kind loan|compute] [--rows N] [--seed S] [--format csv|xlsx|ndjson] [--out F] [options]

  Writes a deterministic generated DMBS tape: a loan tape (bench/tape-generator.ts) or a compute
  tape of GPU lots (functions/local/compute-tape-generator.ts). CSV and NDJSON are streamed in
  constant memory, XLSX is built in memory: fine up to a few hundred thousand rows.

  --kind K          loan or compute (default loan)
  --rows N          loan or lot rows (default 100000)
  --seed S          generator seed (default 1); the same seed gives the same bytes
  --format F        csv, xlsx or ndjson (default csv)
  --out F           output file (default /tmp/dmbs-tape-N-sS.FORMAT; compute: /tmp/dmbs-compute-N-sS.FORMAT)
  --broken SHARE    rows given exactly one planted defect, duplicated ids included (default 0)
  --quoted SHARE    rows whose facilityName/borrower (compute: borrower) carry a quoted comma,
                    doubled quotes and a line break, as on real issuer tapes (default 0)
  --eol lf|crlf     CSV line ends (default lf); --bom writes a UTF-8 byte-order mark
  --nd-share SHARE  optional cells given an ND code (default 0.02)
  --delimiter C     CSV delimiter (default ,)
  --facilities N    distinct facilities (default: one per 1.25 loans, at most 20,000); loan tapes
  -h, --help        this text`;

export interface GenOptions {
  /** The tape's kind (default loan). */
  readonly kind?: 'loan' | 'compute';
  readonly rows: number;
  readonly seed: number;
  readonly format: 'csv' | 'xlsx' | 'ndjson';
  readonly out: string;
  readonly broken?: number;
  readonly quoted?: number;
  readonly eol?: '\n' | '\r\n';
  readonly bom?: boolean;
  readonly ndShare?: number;
  readonly delimiter?: string;
  /** Distinct facilities (tape-generator.ts `facilities`). */
  readonly facilities?: number;
}

/** The columns of a generated tape of the kind, in the standard's order. */
function fieldsOf(options: GenOptions): readonly string[] {
  return options.kind === 'compute' ? COMPUTE_FIELDS : GENERATED_FIELDS;
}

/** Rows of a generated tape with the `--quoted` decoration applied (deterministic by index). */
function* decoratedRows(options: GenOptions): Generator<Record<string, string>> {
  const quotedEvery = options.quoted && options.quoted > 0 ? Math.max(1, Math.round(1 / options.quoted)) : 0;
  if (options.kind === 'compute') {
    let index = 0;
    for (const row of streamComputeTape({ rows: options.rows, seed: options.seed, ...(options.broken ? { brokenShare: options.broken } : {}), ...(options.ndShare !== undefined ? { ndShare: options.ndShare } : {}) })) {
      if (quotedEvery && index % quotedEvery === quotedEvery - 1) row.borrower = `${row.borrower}, "Equipment" Trust\nSeries ${index % 7}`;
      index++;
      yield row;
    }
    return;
  }
  for (const { index, row } of streamTape({
    rows: options.rows,
    seed: options.seed,
    ...(options.broken ? { brokenShare: options.broken } : {}),
    ...(options.ndShare !== undefined ? { ndShare: options.ndShare } : {}),
    ...(options.facilities !== undefined ? { facilities: options.facilities } : {}),
  })) {
    if (quotedEvery && index % quotedEvery === quotedEvery - 1) {
      row.facilityName = `${row.facilityName}, Building "${String.fromCharCode(65 + (index % 26))}"\nHall ${index % 7}`;
      row.borrower = `${row.borrower}, "Propco"`;
    }
    yield row;
  }
}

/** Writes the tape; resolves with its size in bytes. */
export async function generateFile(options: GenOptions): Promise<number> {
  const fields = fieldsOf(options);
  if (options.format === 'xlsx') {
    const header: XlsxCell[] = [...fields];
    const bytes = zipParts(xlsxParts((function* () {
      yield header;
      for (const row of decoratedRows(options)) yield fields.map((f) => xlsxCell(f, row[f] ?? ''));
    })(), { sheetName: options.kind === 'compute' ? 'Lots' : 'Loans', sheetsFirst: true }));
    writeFileSync(options.out, bytes);
    return bytes.length;
  }
  const out = createWriteStream(options.out);
  let bytes = 0;
  let buffer = '';
  const flush = async () => {
    const chunk = Buffer.from(buffer, 'utf8');
    bytes += chunk.length;
    buffer = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const eol = options.eol ?? '\n';
  const d = options.delimiter ?? ',';
  if (options.format === 'csv') buffer += `${options.bom ? '\ufeff' : ''}${fields.map((c) => csvCell(c, d)).join(d)}${eol}`;
  for (const row of decoratedRows(options)) {
    if (options.format === 'csv') buffer += fields.map((c) => csvCell(row[c] ?? '', d)).join(d) + eol;
    else buffer += `${JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '')))}\n`;
    if (buffer.length >= 1 << 20) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** A cell as a spreadsheet would hold it: numbers as numbers, dates as date serials, the rest as text. */
function xlsxCell(field: string, text: string): XlsxCell {
  if (text === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && field.endsWith('Date')) return { date: text };
  if (/^-?\d+(\.\d+)?$/.test(text) && !field.endsWith('Id')) return Number(text);
  return text;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kind: { type: 'string', default: 'loan' },
      rows: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      format: { type: 'string', default: 'csv' },
      out: { type: 'string' },
      broken: { type: 'string', default: '0' },
      quoted: { type: 'string', default: '0' },
      eol: { type: 'string', default: 'lf' },
      bom: { type: 'boolean', default: false },
      'nd-share': { type: 'string' },
      delimiter: { type: 'string', default: ',' },
      facilities: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${GEN_USAGE}\n`);
    return;
  }
  const format = values.format as GenOptions['format'];
  if (!['csv', 'xlsx', 'ndjson'].includes(format)) throw new Error(`--format must be csv, xlsx or ndjson, not ${format}`);
  const kind = values.kind as NonNullable<GenOptions['kind']>;
  if (kind !== 'loan' && kind !== 'compute') throw new Error(`--kind must be loan or compute, not ${kind}`);
  if (kind === 'compute' && values.facilities !== undefined) throw new Error('--facilities is for loan tapes (a compute tape has sites, not facilities)');
  const rows = Number(values.rows);
  const out = values.out ?? `/tmp/dmbs-${kind === 'compute' ? 'compute' : 'tape'}-${rows}-s${values.seed}.${format}`;
  const started = performance.now();
  const bytes = await generateFile({
    kind,
    rows,
    seed: Number(values.seed),
    format,
    out,
    broken: Number(values.broken),
    quoted: Number(values.quoted),
    eol: values.eol === 'crlf' ? '\r\n' : '\n',
    bom: values.bom,
    ...(values['nd-share'] !== undefined ? { ndShare: Number(values['nd-share']) } : {}),
    delimiter: values.delimiter,
    ...(values.facilities !== undefined ? { facilities: Number(values.facilities) } : {}),
  });
  console.log(`${out}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  try {
    await main();
  } catch (err) {
    // Bad usage is one line and the usage text, not a stack trace.
    process.stderr.write(`gen: ${(err as Error).message}\n${GEN_USAGE}\n`);
    process.exitCode = 2;
  }
}
