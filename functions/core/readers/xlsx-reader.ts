/**
 * Streaming XLSX tape reader: inflates ZIP entries incrementally and scans the worksheet XML by hand
 * into TapeRecords. Pure: bytes in, records out; must not touch files, S3 or the network, and must
 * never hold a whole inflated sheet in memory.
 */
import { Buffer, isAscii } from 'node:buffer';
import { TapeReadError } from '../errors.ts';
import { DEFAULT_READER_LIMITS, type ByteSource, type ReaderLimits, type TapeRecord } from './types.ts';
import { inflateEntry, ZipStreamReader, type InflateBudget, type ZipEntry } from './zip-stream.ts';
import { endsInsideSequence } from './text-decoding.ts';
import {
  decodeXmlAttribute,
  decodeXmlText,
  formatNumberText,
  isBuiltInDateFormat,
  isDateFormatCode,
  serialTextToIsoDate,
} from './xlsx-values.ts';

/*
 * Why hand-written: exceljs streaming is several times slower (bench/xlsx-reader.ts; figures in
 * bench/README.md, "XLSX"). Worksheet XML is machine-written and regular (<row r><c r s t><v>…</v></c>),
 * so a one-pass scanner over decoded text suffices. Number→shortest-string for full-precision doubles
 * is a noticeable share of the time; values with ≤ 15 significant digits take a fast path. node:zlib and node:buffer
 * (compute-only built-ins) are used for speed: see zip-stream.ts and Utf8Decoder.
 *
 * Memory bound: the shared-string table and the styles are held inflated (they are needed to read any
 * row). When the sheet's entry comes before them in the ZIP (Excel writes sheets before
 * sharedStrings.xml and styles.xml), the sheet's *compressed* bytes are kept until they arrive, so peak
 * memory is about the compressed size of the sheet + inflated shared strings + one row's XML (+ ~1 MiB of buffers).
 * Parts that may be needed before the workbook's relationships are known are kept compressed too
 * (Excel writes the relationships first; exceljs writes workbook.xml last, so there every sheet is
 * kept compressed until the end: memory is about the compressed file).
 */

/** Limits of the XLSX reader, on top of the limits every reader has. */
export interface XlsxLimits extends ReaderLimits {
  /** Most bytes inflated from all parts read (workbook, styles, shared strings, sheet); default 2 GiB. */
  maxUncompressedBytes: number;
  /**
   * Largest inflated/compressed ratio of one part; default 200 (real sheets compress 4–30:1, a zip
   * bomb up to about 1000:1). Parts under 1 MiB inflated are exempt. Checked as bytes come out (and
   * against the sizes a header declares), so a bomb is rejected after a few MB, never inflated whole.
   */
  maxCompressionRatio: number;
  /** Most entries in the shared-string table; default 5,000,000 (roughly 0.3–0.5 GB of strings). */
  maxSharedStrings: number;
  /**
   * Most characters in the shared-string table, all strings together; default 100,000,000. The
   * table is held whole (it is needed to read any row), so this bounds what a workbook costs:
   * each limit above alone admits a table of gigabytes (e.g. 1,900 strings of 1,000,000
   * characters, under the field limit, inflated at 164:1, under the ratio limit).
   */
  maxSharedStringChars: number;
}

/** Defaults of `XlsxLimits`. */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  ...DEFAULT_READER_LIMITS,
  maxUncompressedBytes: 2 * 1024 ** 3,
  maxCompressionRatio: 200,
  maxSharedStrings: 5_000_000,
  maxSharedStringChars: 100_000_000,
};

/** Options of `readXlsx`. */
export interface XlsxReadOptions {
  /** Name of the worksheet to read; default the first worksheet in workbook order. */
  sheet?: string;
  limits?: Partial<XlsxLimits>;
}

/**
 * Guard on XML text buffered while waiting for the end of one row (or shared string), in characters:
 * far beyond any real row, below V8's largest string (2^29 − 24).
 */
const MAX_PENDING_CHARS = 128 * 1024 * 1024;

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

/**
 * Reads one worksheet of an XLSX workbook as tape records: the header (the first non-empty row) first,
 * then every non-empty row, `row` being the sheet's own row number and cells placed by column letter.
 * Numbers come out as the shortest round-tripping decimal without exponent, date-formatted cells as
 * ISO `YYYY-MM-DD` (a time of day is dropped), booleans as `true`/`false`, formulas as their cached
 * value (blank if never calculated), errors as their text (`#N/A`). The first sheet is the first
 * worksheet in workbook order, hidden or not. Source chunks must not be reused after being yielded.
 *
 * Throws `TapeReadError`: `XLSX_INVALID` (not a ZIP, truncated, corrupt, parts missing),
 * `XLSX_SHEET_NOT_FOUND` (lists the sheet names), `TAPE_LIMIT_EXCEEDED`, `TAPE_ENCODING`, `TAPE_EMPTY`.
 *
 * @example
 * import { createReadStream } from 'node:fs'; // in an adapter, not in core
 * for await (const { row, cells } of readXlsx(createReadStream('tape.xlsx', { highWaterMark: 1 << 20 }), { sheet: 'Loans' })) {
 *   console.log(row, cells);
 * }
 */
export async function* readXlsx(
  source: ByteSource,
  options: XlsxReadOptions = {},
): AsyncGenerator<TapeRecord, void, undefined> {
  const limits: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, ...options.limits };
  const workbook = new WorkbookReader(source, options.sheet, limits);
  try {
    // Records travel in batches (one per inflated chunk) through the inner generators: each
    // generator level costs a promise per item, so only this outermost one pays per record.
    for await (const batch of workbook.records()) yield* batch;
  } finally {
    await workbook.close();
  }
}

/**
 * {@link readXlsx} in batches (the records of each inflated chunk): the same records and errors,
 * without an async step per record. Take what you need from a batch before asking for the next.
 */
export async function* readXlsxBatches(source: ByteSource, options: XlsxReadOptions = {}): AsyncGenerator<TapeRecord[], void, undefined> {
  const limits: XlsxLimits = { ...DEFAULT_XLSX_LIMITS, ...options.limits };
  const workbook = new WorkbookReader(source, options.sheet, limits);
  try {
    yield* workbook.records();
  } finally {
    await workbook.close();
  }
}

const invalid = (reason: string, options: { cause?: unknown; row?: number } = {}): TapeReadError =>
  new TapeReadError('XLSX_INVALID', `The file is not a readable XLSX workbook: ${reason}`, options);

interface SheetRef {
  name: string;
  relId: string;
}

interface Plan {
  sheetName: string;
  sheetPath: string;
  sharedStringsPath: string | undefined;
  stylesPath: string | undefined;
}

type Role = 'rootRels' | 'workbook' | 'workbookRels' | 'sharedStrings' | 'styles' | 'sheet' | 'defer' | 'skip';

interface Deferred {
  name: string;
  entry: ZipEntry;
  chunks: Uint8Array[];
}

/** Walks the ZIP once, learning the workbook's structure as parts arrive, and reads the chosen sheet. */
class WorkbookReader {
  private readonly zip: ZipStreamReader;
  private readonly budget: InflateBudget;
  private rootRelsSeen = false;
  private workbookPath: string | undefined;
  private sheets: SheetRef[] | undefined;
  private date1904 = false;
  private rels: Map<string, { type: string; target: string }> | undefined;
  private plan: Plan | undefined;
  private sharedStrings: string[] | undefined;
  private dateStyles: Uint8Array | undefined;
  private sheetStarted = false;
  private atEnd = false;
  private readonly deferred: Deferred[] = [];

  constructor(
    source: ByteSource,
    private readonly sheetName: string | undefined,
    private readonly limits: XlsxLimits,
  ) {
    this.zip = new ZipStreamReader(source);
    this.budget = {
      remainingBytes: limits.maxUncompressedBytes,
      maxUncompressedBytes: limits.maxUncompressedBytes,
      maxCompressionRatio: limits.maxCompressionRatio,
    };
  }

  async *records(): AsyncGenerator<TapeRecord[], void, undefined> {
    const zip = this.zip;
    for (let entry = await zip.nextEntry(); entry; entry = await zip.nextEntry()) {
      if (this.sheetStarted) break; // the rest is only checked for completeness by finish()
      const name = normalizePartName(entry.name);
      const role = this.roleOf(name);
      if (role === 'skip') {
        await zip.skip();
      } else if (role === 'defer' || (role === 'sheet' && !this.ready())) {
        this.deferred.push({ name, entry, chunks: await copyAll(zip.data()) });
      } else if (role === 'sheet') {
        yield* this.readSheet(entry, zip.data());
      } else {
        await this.readPart(role, entry, zip.data());
        yield* this.resolveDeferred();
      }
    }
    if (!this.sheetStarted) {
      this.atEnd = true;
      yield* this.resolveDeferred();
      if (!this.sheetStarted) {
        this.explainMissing();
        yield* this.resolveDeferred();
      }
      if (!this.sheetStarted) this.explainMissing(true);
    }
    await zip.finish();
  }

  async close(): Promise<void> {
    await this.zip.close();
  }

  /** What to do with a part, given what is known so far. */
  private roleOf(name: string): Role {
    if (name === '_rels/.rels') return this.rootRelsSeen ? 'skip' : 'rootRels';
    // Without package relationships, fall back to the conventional path once everything has been seen.
    const workbookPath = this.workbookPath ?? (this.atEnd && !this.rootRelsSeen ? 'xl/workbook.xml' : undefined);
    if (workbookPath === undefined) return mayBeNeeded(name) ? 'defer' : 'skip';
    if (name === workbookPath) return this.sheets ? 'skip' : 'workbook';
    if (name === relsPathOf(workbookPath)) return this.rels ? 'skip' : 'workbookRels';
    if (!this.plan) return mayBeNeeded(name) ? 'defer' : 'skip';
    if (name === this.plan.sheetPath) return this.sheetStarted ? 'skip' : 'sheet';
    if (name === this.plan.sharedStringsPath) return this.sharedStrings ? 'skip' : 'sharedStrings';
    if (name === this.plan.stylesPath) return this.dateStyles ? 'skip' : 'styles';
    return 'skip';
  }

  /** True when the sheet can be read: its shared strings and styles (if any) are loaded. */
  private ready(): boolean {
    const plan = this.plan;
    return (
      plan !== undefined &&
      (plan.sharedStringsPath === undefined || this.sharedStrings !== undefined) &&
      (plan.stylesPath === undefined || this.dateStyles !== undefined)
    );
  }

  /** Processes kept parts that have become useful (or useless) now that more is known. */
  private async *resolveDeferred(): AsyncGenerator<TapeRecord[], void, undefined> {
    for (let progress = true; progress && !this.sheetStarted;) {
      progress = false;
      for (let i = 0; i < this.deferred.length; i++) {
        const part = this.deferred[i]!;
        const role = this.roleOf(part.name);
        if (role === 'defer' || (role === 'sheet' && !this.ready())) continue;
        this.deferred.splice(i, 1);
        progress = true;
        if (role === 'sheet') yield* this.readSheet(part.entry, replay(part.chunks));
        else if (role !== 'skip') await this.readPart(role, part.entry, replay(part.chunks));
        break;
      }
    }
    if (this.sheetStarted) this.deferred.length = 0;
  }

  /** Called at the end of the archive when the sheet could not be read: says which part is missing. */
  private explainMissing(final = false): void {
    if (!this.sheets) {
      throw invalid(`it has no workbook part (${this.workbookPath ?? 'xl/workbook.xml'}).`);
    }
    if (!this.rels) throw invalid(`it has no workbook relationships part (${relsPathOf(this.workbookPath!)}).`);
    const plan = this.plan!;
    const present = (path: string | undefined): boolean =>
      path !== undefined && this.deferred.some((part) => part.name === path);
    if (plan.stylesPath !== undefined && !this.dateStyles && !present(plan.stylesPath)) {
      this.dateStyles = new Uint8Array(0); // lenient: without styles no cell is a date
      if (!final) return;
    }
    if (plan.sharedStringsPath !== undefined && !this.sharedStrings && !present(plan.sharedStringsPath)) {
      throw invalid(`its shared-string table (${plan.sharedStringsPath}) is missing.`);
    }
    throw invalid(`the part of sheet '${plan.sheetName}' (${plan.sheetPath}) is missing.`);
  }

  /** Reads a metadata part (whole, it is small) or the shared strings (streamed) and learns from it. */
  private async readPart(role: Role, entry: ZipEntry, compressed: AsyncIterable<Uint8Array>): Promise<void> {
    const name = normalizePartName(entry.name);
    if (role === 'sharedStrings') {
      const scanner = new SharedStringScanner(this.limits);
      await decodeEntry(entry, compressed, this.budget, (text) => scanner.push(text));
      this.sharedStrings = scanner.end();
      return;
    }
    const pieces: string[] = [];
    await decodeEntry(entry, compressed, this.budget, (text) => pieces.push(text));
    const xml = pieces.join('');
    if (role === 'rootRels') {
      this.rootRelsSeen = true;
      const office = parseRelationships(xml, '').find((rel) => REL_OFFICE_DOCUMENT.test(rel.type));
      if (!office) throw invalid('its package relationships (_rels/.rels) name no workbook.');
      this.workbookPath = office.target;
    } else if (role === 'workbook') {
      this.workbookPath ??= name;
      this.readWorkbook(xml);
    } else if (role === 'workbookRels') {
      const base = this.workbookPath!.slice(0, this.workbookPath!.lastIndexOf('/') + 1);
      this.rels = new Map(parseRelationships(xml, base).map((rel) => [rel.id, rel]));
    } else if (role === 'styles') {
      this.dateStyles = parseDateStyles(xml);
    }
    if (this.sheets && this.rels && !this.plan) this.plan = this.makePlan();
  }

  private readWorkbook(xml: string): void {
    const pr = /<(?:[\w.-]+:)?workbookPr\b([^>]*)>/.exec(xml);
    const date1904 = pr ? attributes(pr[1]!).get('date1904') : undefined;
    this.date1904 = date1904 === '1' || date1904 === 'true';
    const sheets: SheetRef[] = [];
    for (const m of xml.matchAll(/<(?:[\w.-]+:)?sheet\b([^>]*)>/g)) {
      const attrs = attributes(m[1]!);
      let relId = '';
      for (const [key, value] of attrs) if (key.endsWith(':id')) relId = value;
      sheets.push({ name: attrs.get('name') ?? '', relId });
    }
    if (sheets.length === 0) throw invalid('its workbook lists no sheets.');
    this.sheets = sheets;
    if (this.sheetName !== undefined) this.findSheet(this.sheetName); // fail fast on an unknown name
  }

  private findSheet(wanted: string): SheetRef {
    const sheets = this.sheets!;
    const found =
      sheets.find((sheet) => sheet.name === wanted) ??
      sheets.find((sheet) => sheet.name.toLowerCase() === wanted.toLowerCase());
    if (!found) {
      throw new TapeReadError(
        'XLSX_SHEET_NOT_FOUND',
        `The workbook has no sheet named '${wanted}'; its sheets are: ${sheets.map((s) => `'${s.name}'`).join(', ')}.`,
      );
    }
    return found;
  }

  private makePlan(): Plan {
    const rels = this.rels!;
    let sheet: SheetRef | undefined;
    if (this.sheetName !== undefined) {
      sheet = this.findSheet(this.sheetName);
      if (!REL_WORKSHEET.test(rels.get(sheet.relId)?.type ?? '')) {
        throw invalid(`sheet '${sheet.name}' is not a worksheet (a chart sheet or dialog sheet has no rows).`);
      }
    } else {
      sheet = this.sheets!.find((s) => REL_WORKSHEET.test(rels.get(s.relId)?.type ?? ''));
      if (!sheet) throw invalid('its workbook has no worksheet.');
    }
    const target = (pattern: RegExp): string | undefined =>
      [...rels.values()].find((rel) => pattern.test(rel.type))?.target;
    return {
      sheetName: sheet.name,
      sheetPath: rels.get(sheet.relId)!.target,
      sharedStringsPath: target(REL_SHARED_STRINGS),
      stylesPath: target(REL_STYLES),
    };
  }

  private async *readSheet(
    entry: ZipEntry,
    compressed: AsyncIterable<Uint8Array>,
  ): AsyncGenerator<TapeRecord[], void, undefined> {
    this.sheetStarted = true;
    const scanner = new SheetScanner({
      sheetName: this.plan!.sheetName,
      sharedStrings: this.sharedStrings ?? [],
      dateStyles: this.dateStyles ?? new Uint8Array(0),
      date1904: this.date1904,
      limits: this.limits,
    });
    const decoder = new Utf8Decoder(normalizePartName(entry.name));
    for await (const bytes of inflateEntry(entry, compressed, this.budget)) {
      scanner.push(decoder.decode(bytes));
      if (scanner.out.length > 0) {
        yield scanner.out;
        scanner.out = [];
      }
    }
    scanner.push(decoder.end());
    scanner.end();
    if (scanner.out.length > 0) yield scanner.out;
    scanner.out = [];
  }
}

/** Part names compare case-insensitively (OPC), without a leading slash. */
function normalizePartName(name: string): string {
  return name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
}

/** Parts that might be the workbook, its relationships, styles, shared strings or a sheet. */
function mayBeNeeded(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.rels');
}

/** xl/workbook.xml → xl/_rels/workbook.xml.rels */
function relsPathOf(partPath: string): string {
  const slash = partPath.lastIndexOf('/');
  return `${partPath.slice(0, slash + 1)}_rels/${partPath.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the folder of its source part (`base` ends with '/'). */
function resolveTarget(base: string, target: string): string {
  const path = target.startsWith('/') ? target.slice(1) : base + target;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '.' && segment !== '') out.push(segment);
  }
  return normalizePartName(out.join('/'));
}

function parseRelationships(xml: string, base: string): { id: string; type: string; target: string }[] {
  const rels: { id: string; type: string; target: string }[] = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?Relationship\b([^>]*)>/g)) {
    const attrs = attributes(m[1]!);
    if (attrs.get('TargetMode') === 'External') continue;
    rels.push({
      id: attrs.get('Id') ?? '',
      type: attrs.get('Type') ?? '',
      target: resolveTarget(base, attrs.get('Target') ?? ''),
    });
  }
  return rels;
}

/** Attributes of one start tag's attribute text, entity-decoded. */
function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of text.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    map.set(m[1]!, decodeXmlAttribute(m[2] ?? m[3] ?? ''));
  }
  return map;
}

/** For each cell style (cellXfs index): 1 when its number format shows a date. */
function parseDateStyles(xml: string): Uint8Array {
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?numFmt\b([^>]*)>/g)) {
    const attrs = attributes(m[1]!);
    custom.set(Number(attrs.get('numFmtId')), attrs.get('formatCode') ?? '');
  }
  const section = /<((?:[\w.-]+:)?)cellXfs\b[^>]*?(?:\/>|>([\s\S]*?)<\/\1cellXfs>)/.exec(xml);
  const xfs = [...(section?.[2] ?? '').matchAll(/<(?:[\w.-]+:)?xf\b([^>]*)>/g)];
  const dates = new Uint8Array(xfs.length);
  xfs.forEach((m, i) => {
    const id = Number(attributes(m[1]!).get('numFmtId') ?? 0);
    const code = custom.get(id);
    dates[i] = (code !== undefined ? isDateFormatCode(code) : isBuiltInDateFormat(id)) ? 1 : 0;
  });
  return dates;
}

async function copyAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk.slice());
  return out;
}

async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  while (chunks.length > 0) yield chunks.shift()!; // release each kept chunk as it is inflated
}

/**
 * Streaming UTF-8 decoding with a fast path: a chunk that is pure ASCII (most sheet XML) and does not
 * continue a multi-byte sequence is read as Latin-1, several times faster than TextDecoder.
 */
class Utf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** True when the last chunk given to `decoder` may have ended inside a multi-byte sequence. */
  private pending = false;

  constructor(private readonly part: string) {}

  decode(bytes: Uint8Array): string {
    if (!this.pending && isAscii(bytes)) {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
    }
    this.pending = endsInsideSequence(bytes);
    return this.run(bytes, true);
  }

  end(): string {
    return this.run(new Uint8Array(0), false);
  }

  private run(bytes: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(bytes, { stream });
    } catch (error) {
      throw new TapeReadError(
        'TAPE_ENCODING',
        `The workbook part ${this.part} is not valid UTF-8; re-save the workbook.`,
        {
          cause: error,
        },
      );
    }
  }
}


/** Inflates an entry and hands its text, decoded chunk by chunk, to `sink`. */
async function decodeEntry(
  entry: ZipEntry,
  compressed: AsyncIterable<Uint8Array>,
  budget: InflateBudget,
  sink: (text: string) => void,
): Promise<void> {
  const decoder = new Utf8Decoder(normalizePartName(entry.name));
  for await (const bytes of inflateEntry(entry, compressed, budget)) sink(decoder.decode(bytes));
  sink(decoder.end());
}

/**
 * Cuts streamed XML text after the last complete `close` tag seen, so the shared-string scanner only
 * ever sees whole strings (a tag split between pushes is complete in the joined text of a later cut).
 * Pieces are joined only when a cut is possible, so a long string over many chunks is copied once.
 */
class XmlChunker {
  private pieces: string[] = [];
  private length = 0;

  constructor(
    private readonly close: string,
    private readonly tooLong: () => TapeReadError,
  ) {}

  push(text: string): string {
    const k = text.lastIndexOf(this.close);
    this.pieces.push(text);
    this.length += text.length;
    if (k < 0) {
      if (this.length > MAX_PENDING_CHARS) throw this.tooLong();
      return '';
    }
    const cut = this.length - text.length + k + this.close.length;
    const all = this.pieces.length === 1 ? text : this.pieces.join('');
    const rest = all.slice(cut);
    this.pieces = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return all.slice(0, cut);
  }

  /** Everything not yet returned. */
  flush(): string {
    const all = this.pieces.join('');
    this.pieces = [];
    this.length = 0;
    return all;
  }
}

/** Whitespace, '>' or '/': what may follow an element name in a start tag. */
const isNameEnd = (c: number): boolean => c === 62 || c === 47 || c === 32 || c === 10 || c === 13 || c === 9;
const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The namespace prefix ('' or 'x:') of the root element, once the text reaches it. */
function rootPrefix(text: string, root: string): string | undefined {
  const m = new RegExp(`<([A-Za-z_][\\w.-]*:)?${root}[\\s>/]`).exec(text);
  return m ? (m[1] ?? '') : undefined;
}

/** Column letters of a 0-based index (for messages). */
function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

function parseDigits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return to > from ? n : -1;
}

const CELL_NUMBER = 0;
const CELL_SHARED = 1;
const CELL_STR = 2;
const CELL_INLINE = 3;
const CELL_BOOL = 4;
const CELL_ERROR = 5;
const CELL_DATE = 6;

/** The cell type of a `t` attribute value `s[from..to)`. */
function cellType(s: string, from: number, to: number): number {
  const c = s.charCodeAt(from);
  if (c === 115) return to - from === 1 ? CELL_SHARED : CELL_STR; // s, str
  if (c === 105) return CELL_INLINE; // inlineStr
  if (c === 98) return CELL_BOOL; // b
  if (c === 101) return CELL_ERROR; // e
  if (c === 100) return CELL_DATE; // d
  return CELL_NUMBER; // n
}

interface SheetContext {
  sheetName: string;
  sharedStrings: string[];
  dateStyles: Uint8Array;
  date1904: boolean;
  limits: XlsxLimits;
}

/** Scans worksheet XML text, pushed in any chunking, into records (`out`). */
class SheetScanner {
  out: TapeRecord[] = [];
  private prolog = '';
  private started = false;
  private ended = false;
  private complete = false;
  private lastRow = 0;
  /** Text after the last complete row, waiting for the rest of its row (usually one partial row). */
  private carry: string[] = [];
  private carryLength = 0;
  private prefix = '';
  private rowOpen = '<row';
  private rowClose = '</row>';
  private cellOpen = '<c';
  private inlineOpen = '<is';
  private cellClose = '</c>';
  private valueOpen = '<v';
  private valueClose = '</v>';
  private formulaOpen = '<f';
  private formulaClose = '</f>';
  private sheetDataEnd = '</sheetData>';
  private sheetDataEmpty = '<sheetData/>';

  constructor(private readonly ctx: SheetContext) {}

  push(text: string): void {
    if (this.ended || text.length === 0) return;
    if (!this.started) {
      this.prolog += text;
      const prefix = rootPrefix(this.prolog, 'worksheet');
      if (prefix === undefined) {
        if (this.prolog.length > MAX_PENDING_CHARS)
          throw invalid(`sheet '${this.ctx.sheetName}' is not worksheet XML.`);
        return;
      }
      this.start(prefix);
      text = this.prolog;
      this.prolog = '';
    }
    // Scan up to the end of the last complete row in `text`; keep the rest for the next push. A
    // </row> split between two pushes is found in a later push's head (head below), so no straddle
    // logic is needed.
    const close = this.rowClose;
    const last = text.lastIndexOf(close);
    if (last < 0) {
      this.keep(text);
    } else {
      const lastEnd = last + close.length;
      let from = 0;
      if (this.carryLength > 0) {
        // Rows begun in earlier pushes end in the head of this text: scan them apart, so the
        // (large) text itself is never copied.
        from = text.indexOf(close) + close.length;
        const head = this.carry.join('') + text.slice(0, from);
        this.carry = [];
        this.carryLength = 0;
        this.scanRows(head, 0, head.length);
      }
      this.scanRows(text, from, lastEnd);
      if (lastEnd < text.length) this.keep(text.slice(lastEnd));
    }
    // </sheetData> can only follow the last complete row: look in the (short) carry only.
    if (this.carryLength > 0 && this.carryLength < 1 << 16) {
      const rest = this.carry.length === 1 ? this.carry[0]! : this.carry.join('');
      const end = rest.indexOf(this.sheetDataEnd);
      if (end >= 0) this.finish(rest, end);
    }
  }

  /** Call after the last text: scans what is left and checks the sheet XML is complete. */
  end(): void {
    if (!this.started) throw invalid(`sheet '${this.ctx.sheetName}' is not worksheet XML.`);
    if (!this.ended) {
      const rest = this.carry.join('');
      const end = rest.indexOf(this.sheetDataEnd);
      if (end >= 0) this.finish(rest, end);
      else if (rest.includes(this.sheetDataEmpty)) this.finish(rest, rest.length);
    }
    if (!this.complete) {
      throw invalid(`sheet '${this.ctx.sheetName}' ends before </sheetData>: the file is truncated or corrupt.`);
    }
  }

  private finish(rest: string, end: number): void {
    this.scanRows(rest, 0, end);
    this.carry = [];
    this.carryLength = 0;
    this.ended = true;
    this.complete = true;
  }

  private keep(text: string): void {
    this.carry.push(text);
    this.carryLength += text.length;
    if (this.carryLength > MAX_PENDING_CHARS) {
      throw new TapeReadError(
        'TAPE_LIMIT_EXCEEDED',
        `Sheet '${this.ctx.sheetName}': row ${this.lastRow + 1} has more than ${MAX_PENDING_CHARS} characters of XML.`,
      );
    }
  }

  private start(prefix: string): void {
    this.started = true;
    this.prefix = prefix;
    const p = prefix;
    this.rowOpen = `<${p}row`;
    this.rowClose = `</${p}row>`;
    this.cellOpen = `<${p}c`;
    this.cellClose = `</${p}c>`;
    this.inlineOpen = `<${p}is`;
    this.valueOpen = `<${p}v`;
    this.valueClose = `</${p}v>`;
    this.formulaOpen = `<${p}f`;
    this.formulaClose = `</${p}f>`;
    this.sheetDataEnd = `</${p}sheetData>`;
    this.sheetDataEmpty = `<${p}sheetData/>`;
  }

  /** Scans the rows that start in `s[from..end)`; `end` is just after a </row> (or the end of sheetData). */
  private scanRows(s: string, from: number, end: number): void {
    const rowOpen = this.rowOpen;
    let pos = from;
    for (;;) {
      const start = s.indexOf(rowOpen, pos);
      if (start < 0 || start >= end) return;
      let i = start + rowOpen.length;
      if (!isNameEnd(s.charCodeAt(i))) {
        pos = i;
        continue;
      }
      // Attributes: only r matters (the row number).
      let row = -1;
      let selfClosing = false;
      while (i < end) {
        let c = s.charCodeAt(i);
        if (c === 62) break;
        if (c === 47 || c <= 32) {
          selfClosing = c === 47;
          i++;
          continue;
        }
        const nameStart = i;
        while (i < end && c !== 61 && c > 32) c = s.charCodeAt(++i);
        const isR = i - nameStart === 1 && s.charCodeAt(nameStart) === 114;
        while (i < end && c !== 34 && c !== 39) c = s.charCodeAt(++i);
        const quote = c;
        const valueStart = ++i;
        while (i < end && s.charCodeAt(i) !== quote) i++;
        if (isR) row = parseDigits(s, valueStart, i);
        i++;
      }
      if (i >= end) throw invalid(`sheet '${this.ctx.sheetName}' has an unfinished row after row ${this.lastRow}.`);
      if (row < 0) row = this.lastRow + 1;
      this.lastRow = row;
      if (selfClosing) {
        pos = i + 1;
        continue;
      }
      pos = this.scanCells(s, i + 1, end, row);
      if (pos < 0) throw invalid(`sheet '${this.ctx.sheetName}' row ${row} is not closed.`, { row });
    }
  }

  /**
   * Walks one row's content from `from` to its </row>, pushing the record if it has a value; returns
   * the index after </row>, or -1. Gaps are filled with '', trailing blanks dropped. This is the hot
   * loop of the reader: a cell's attributes are parsed in one pass and its value is sliced once.
   */
  private scanCells(s: string, from: number, end: number, row: number): number {
    const cells: string[] = [];
    const { sharedStrings, dateStyles, date1904, limits } = this.ctx;
    const plain = this.prefix === '';
    const openLength = this.cellOpen.length;
    let previousColumn = -1;
    let pos = from;
    for (;;) {
      if (s.charCodeAt(pos) !== 60) {
        pos = s.indexOf('<', pos);
        if (pos < 0 || pos >= end) return -1;
      }
      const c1 = s.charCodeAt(pos + 1);
      if (c1 === 47) {
        // a closing tag: </c> (most often), </row>, or the end of something else
        if (plain && s.charCodeAt(pos + 2) === 99 && s.charCodeAt(pos + 3) === 62) {
          pos += 4;
          continue;
        }
        if (s.startsWith(this.rowClose, pos)) {
          if (cells.length > 0) this.out.push({ row, cells });
          return pos + this.rowClose.length;
        }
        pos = s.indexOf('>', pos) + 1;
        if (pos === 0 || pos > end) return -1;
        continue;
      }
      let i = pos + openLength;
      let c = s.charCodeAt(i);
      const isCell =
        (plain ? c1 === 99 : s.startsWith(this.cellOpen, pos)) && (c === 32 || c === 62 || c === 47 || isSpace(c));
      if (!isCell) {
        pos = s.indexOf('>', pos) + 1; // another element (extLst): skip its start tag
        if (pos === 0 || pos > end) return -1;
        continue;
      }
      let column = -1;
      let style = 0;
      let type = CELL_NUMBER;
      let selfClosing = false;
      while (i < end) {
        c = s.charCodeAt(i);
        if (c === 62) break;
        if (c === 47 || c <= 32) {
          selfClosing = c === 47;
          i++;
          continue;
        }
        const nameStart = i;
        while (i < end && c !== 61 && c > 32) c = s.charCodeAt(++i);
        const name = i - nameStart === 1 ? s.charCodeAt(nameStart) : 0;
        while (i < end && c !== 34 && c !== 39) c = s.charCodeAt(++i);
        const quote = c;
        const valueStart = ++i;
        c = s.charCodeAt(i);
        if (name === 114) {
          // r="AB12": the letters give the column
          let index = 0;
          for (;;) {
            if (c >= 97 && c <= 122) c -= 32;
            if (c < 65 || c > 90) break;
            index = index * 26 + c - 64;
            c = s.charCodeAt(++i);
          }
          if (i > valueStart) column = index - 1;
        } else if (name === 115) {
          let n = 0;
          while (c >= 48 && c <= 57) {
            n = n * 10 + c - 48;
            c = s.charCodeAt(++i);
          }
          style = n;
        }
        while (i < end && c !== quote) c = s.charCodeAt(++i);
        if (name === 116) type = cellType(s, valueStart, i);
        i++;
      }
      if (i >= end) return -1;
      if (column < 0) column = previousColumn + 1;
      previousColumn = column;
      pos = i + 1;
      if (selfClosing) continue;
      let value = '';
      if (type === CELL_INLINE) {
        let close = s.indexOf(this.cellClose, pos);
        if (close < 0 || close > end) close = end;
        const is = s.indexOf(this.inlineOpen, pos);
        if (is >= 0 && is < close) value = richText(s.slice(is, close), 0, this.prefix);
        pos = close;
      } else {
        // Content is f?, v?, is?, extLst? in that order (ECMA-376 CT_Cell): no unbounded search for <v>.
        let valueStart = -1;
        let p = pos;
        if (plain && s.charCodeAt(p) === 60 && s.charCodeAt(p + 1) === 118 && s.charCodeAt(p + 2) === 62) {
          valueStart = p + 3; // <v>
        } else {
          p = skipSpaces(s, p);
          if (s.startsWith(this.formulaOpen, p) && isNameEnd(s.charCodeAt(p + this.formulaOpen.length))) {
            const fgt = s.indexOf('>', p);
            p = s.charCodeAt(fgt - 1) === 47 ? fgt + 1 : s.indexOf(this.formulaClose, fgt) + this.formulaClose.length;
            p = skipSpaces(s, p);
            pos = p;
          }
          if (s.startsWith(this.valueOpen, p) && isNameEnd(s.charCodeAt(p + this.valueOpen.length))) {
            const vgt = s.indexOf('>', p);
            if (s.charCodeAt(vgt - 1) !== 47) valueStart = vgt + 1;
            else pos = vgt + 1;
          }
        }
        if (valueStart >= 0) {
          const close = s.indexOf('<', valueStart); // character data has no '<': this is </v>
          if (close < 0 || close >= end) return -1;
          const raw = s.slice(valueStart, close);
          pos = close + this.valueClose.length;
          if (type === CELL_NUMBER) {
            let date: string | undefined;
            if (style < dateStyles.length && dateStyles[style] === 1) date = serialTextToIsoDate(raw, date1904);
            value = date ?? formatNumberText(raw);
          } else if (type === CELL_SHARED) {
            const text = sharedStrings[parseDigits(raw, 0, raw.length)];
            if (text === undefined) {
              throw invalid(
                `row ${row}, column ${columnName(column)} refers to shared string #${raw}, but the table has ${sharedStrings.length}.`,
                { row },
              );
            }
            value = text;
          } else {
            value = otherValue(raw, type);
          }
        }
      }
      if (value.length === 0) continue;
      if (column >= limits.maxColumns) {
        throw new TapeReadError(
          'TAPE_LIMIT_EXCEEDED',
          `Row ${row}, column ${columnName(column)}: more than ${limits.maxColumns} columns; remove the extra columns or raise limits.maxColumns.`,
          { row },
        );
      }
      if (value.length > limits.maxFieldChars) {
        throw new TapeReadError(
          'TAPE_LIMIT_EXCEEDED',
          `Row ${row}, column ${columnName(column)}: the cell has ${value.length} characters, more than ${limits.maxFieldChars}.`,
          { row },
        );
      }
      if (column === cells.length) {
        cells.push(value);
      } else if (column > cells.length) {
        while (cells.length < column) cells.push('');
        cells.push(value);
      } else {
        cells[column] = value;
      }
    }
  }
}

/** Value of a boolean, ISO-date, formula-string or error cell. */
function otherValue(raw: string, type: number): string {
  if (type === CELL_BOOL) return raw === '1' ? 'true' : raw === '0' ? 'false' : decodeXmlText(raw);
  if (type === CELL_DATE) {
    const m = /^(\d{4}-\d{2}-\d{2})(?:T00:00(?::00(?:\.0+)?)?Z?)?$/.exec(raw);
    if (m) return m[1]!;
  }
  return decodeXmlText(raw); // str, e (error text such as #N/A), or a date-time
}

/** Concatenated <t> texts of rich text from `from` on, skipping phonetic runs; entity-decoded. */
function richText(content: string, from: number, prefix: string): string {
  const tOpen = `<${prefix}t`;
  const tClose = `</${prefix}t>`;
  const phOpen = `<${prefix}rPh`;
  const phClose = `</${prefix}rPh>`;
  let text = '';
  let pos = from;
  let phonetic = content.indexOf(phOpen, pos);
  for (;;) {
    const t = content.indexOf(tOpen, pos);
    if (t < 0) break;
    if (phonetic >= 0 && phonetic < t) {
      const phEnd = content.indexOf(phClose, phonetic);
      pos = phEnd < 0 ? content.length : phEnd + phClose.length;
      phonetic = content.indexOf(phOpen, pos);
      continue;
    }
    if (!isNameEnd(content.charCodeAt(t + tOpen.length))) {
      pos = t + tOpen.length;
      continue;
    }
    const gt = content.indexOf('>', t);
    if (content.charCodeAt(gt - 1) === 47) {
      pos = gt + 1;
      continue;
    }
    const close = content.indexOf(tClose, gt);
    if (close < 0) break;
    text += content.slice(gt + 1, close);
    pos = close + tClose.length;
  }
  return decodeXmlText(text);
}

function skipSpaces(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Scans sharedStrings.xml text, pushed in any chunking, into the string table. */
class SharedStringScanner {
  private readonly strings: string[] = [];
  private chars = 0;
  private prolog = '';
  private started = false;
  private prefix = '';
  private chunker!: XmlChunker;

  constructor(private readonly limits: XlsxLimits) {}

  push(text: string): void {
    if (text.length === 0) return;
    if (!this.started) {
      this.prolog += text;
      const prefix = rootPrefix(this.prolog, 'sst');
      if (prefix === undefined) {
        if (this.prolog.length > MAX_PENDING_CHARS) throw invalid('its shared-string table is not valid XML.');
        return;
      }
      this.started = true;
      this.prefix = prefix;
      this.chunker = new XmlChunker(
        `</${prefix}si>`,
        () =>
          new TapeReadError(
            'TAPE_LIMIT_EXCEEDED',
            `Shared string #${this.strings.length + 1} has more than ${MAX_PENDING_CHARS} characters of XML.`,
          ),
      );
      text = this.prolog;
      this.prolog = '';
    }
    const ready = this.chunker.push(text);
    if (ready.length > 0) this.scan(ready);
  }

  end(): string[] {
    if (!this.started) throw invalid('its shared-string table is not valid XML.');
    this.scan(this.chunker.flush());
    return this.strings;
  }

  private scan(s: string): void {
    const open = `<${this.prefix}si`;
    const close = `</${this.prefix}si>`;
    const { maxSharedStrings, maxFieldChars, maxSharedStringChars } = this.limits;
    let pos = 0;
    for (;;) {
      const start = s.indexOf(open, pos);
      if (start < 0) return;
      if (!isNameEnd(s.charCodeAt(start + open.length))) {
        pos = start + open.length;
        continue;
      }
      const gt = s.indexOf('>', start);
      let text = '';
      if (s.charCodeAt(gt - 1) === 47) {
        pos = gt + 1;
      } else {
        const end = s.indexOf(close, gt);
        if (end < 0) throw invalid(`shared string #${this.strings.length} is not closed.`);
        text = richText(s.slice(gt + 1, end), 0, this.prefix);
        pos = end + close.length;
      }
      if (this.strings.length >= maxSharedStrings) {
        throw new TapeReadError(
          'TAPE_LIMIT_EXCEEDED',
          `The workbook has more than ${maxSharedStrings} shared strings; split the tape or raise limits.maxSharedStrings.`,
        );
      }
      if (text.length > maxFieldChars) {
        throw new TapeReadError(
          'TAPE_LIMIT_EXCEEDED',
          `Shared string #${this.strings.length} has ${text.length} characters, more than ${maxFieldChars}.`,
        );
      }
      this.chars += text.length;
      if (this.chars > maxSharedStringChars) {
        throw new TapeReadError(
          'TAPE_LIMIT_EXCEEDED',
          `The workbook's shared strings hold more than ${maxSharedStringChars} characters (reached at shared string #${this.strings.length}); `
            + 'a loan tape needs far fewer. Save it without the long texts, split it into several tapes, or raise limits.maxSharedStringChars.',
        );
      }
      this.strings.push(text);
    }
  }
}
