/**
 * A small XLSX writer for tests and the tape generator: one or more sheets of strings, numbers,
 * booleans and dates (stored as serials with a date format, as Excel does), shared or inline strings.
 * Test and bench code only: it builds the whole workbook in memory and must not be used by the product.
 */
import { Zip, ZipDeflate, zipSync, type Zippable } from 'fflate';
import { isoDateToExcelSerial } from '../functions/core/readers/xlsx-values.ts';

/** A cell: text, number, boolean, a date (`numFmt` default: built-in 14), a formatted number, or empty. */
export type XlsxCell =
  string | number | boolean | { date: string; numFmt?: string } | { number: number; numFmt: string } | null | undefined;

/** Options of `writeXlsx`. */
export interface WriteXlsxOptions {
  /** Name of the first sheet; default 'Sheet1'. */
  sheetName?: string;
  /** Strings in the shared-string table (Excel's way, default) or inline in the sheet. */
  sharedStrings?: boolean;
  /** Use the 1904 date system (old Mac Excel). */
  date1904?: boolean;
  /** Further sheets, after the first one, in workbook order. */
  moreSheets?: { name: string; rows: Iterable<XlsxCell[]> }[];
  /** Entry order as Excel writes it: sheets before styles.xml and sharedStrings.xml. */
  sheetsFirst?: boolean;
  /** Entries with data descriptors (sizes after the data), as streaming writers (POI, Go) produce. */
  streaming?: boolean;
  /** Deflate level 0–9; default 6. */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
}

/** One ZIP entry of a workbook: its name and content (in chunks, a sheet may be hundreds of MB). */
export interface XlsxPart {
  name: string;
  data: Uint8Array[];
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const encoder = new TextEncoder();

/**
 * Writes a workbook as XLSX bytes.
 *
 * @example
 * const bytes = writeXlsx([['loanId', 'balance', 'maturityDate'], ['L1', 1250000.5, { date: '2031-06-30' }]]);
 */
export function writeXlsx(rows: Iterable<XlsxCell[]>, options: WriteXlsxOptions = {}): Uint8Array {
  return zipParts(xlsxParts(rows, options), options);
}

/**
 * The parts of a workbook in entry order, so a test can alter one (e.g. swap in hand-written sheet
 * XML) before zipping them with `zipParts`.
 *
 * @example
 * const parts = xlsxParts([['a']]);
 * parts.find((p) => p.name === 'xl/worksheets/sheet1.xml')!.data = [new TextEncoder().encode(xml)];
 * const bytes = zipParts(parts);
 */
export function xlsxParts(rows: Iterable<XlsxCell[]>, options: WriteXlsxOptions = {}): XlsxPart[] {
  const useShared = options.sharedStrings ?? true;
  const date1904 = options.date1904 ?? false;
  const sheets = [{ name: options.sheetName ?? 'Sheet1', rows }, ...(options.moreSheets ?? [])];
  const styles = new StyleTable();
  const shared = new Map<string, number>();
  const sharedList: string[] = [];
  const sheetParts: XlsxPart[] = sheets.map((sheet, i) => ({
    name: `xl/worksheets/sheet${i + 1}.xml`,
    data: sheetXml(sheet.rows, { useShared, date1904, styles, shared, sharedList }),
  }));
  const relsXml =
    HEAD +
    `<Relationships xmlns="${PKG_REL_NS}">` +
    sheets
      .map(
        (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join('') +
    `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>` +
    (useShared
      ? `<Relationship Id="rId${sheets.length + 2}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`
      : '') +
    '</Relationships>';
  const workbookXml =
    HEAD +
    `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    `<workbookPr${date1904 ? ' date1904="1"' : ''}/>` +
    '<sheets>' +
    sheets.map((s, i) => `<sheet name="${escapeXml(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const contentTypes =
    HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    sheets
      .map(
        (_, i) =>
          `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
      )
      .join('') +
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
    (useShared
      ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      : '') +
    '</Types>';
  const rootRels =
    HEAD +
    `<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
    '</Relationships>';
  const text = (name: string, xml: string): XlsxPart => ({ name, data: [encoder.encode(xml)] });
  const head = [
    text('[Content_Types].xml', contentTypes),
    text('_rels/.rels', rootRels),
    text('xl/workbook.xml', workbookXml),
    text('xl/_rels/workbook.xml.rels', relsXml),
  ];
  const tail = [text('xl/styles.xml', styles.xml())];
  if (useShared) tail.push({ name: 'xl/sharedStrings.xml', data: sharedStringsXml(sharedList) });
  return options.sheetsFirst ? [...head, ...sheetParts, ...tail] : [...head, ...tail, ...sheetParts];
}

/**
 * Zips parts in the given order (deflate; with data descriptors if `streaming`).
 *
 * @example
 * const bytes = zipParts(xlsxParts(rows), { streaming: true });
 */
export function zipParts(parts: XlsxPart[], options: Pick<WriteXlsxOptions, 'streaming' | 'level'> = {}): Uint8Array {
  const level = options.level ?? 6;
  if (!options.streaming) {
    const files: Zippable = {};
    for (const part of parts) files[part.name] = concat(part.data);
    return zipSync(files, { level });
  }
  const out: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    out.push(chunk);
  });
  for (const part of parts) {
    const file = new ZipDeflate(part.name, { level });
    zip.add(file);
    part.data.forEach((chunk, i) => file.push(chunk, i === part.data.length - 1));
    if (part.data.length === 0) file.push(new Uint8Array(0), true);
  }
  zip.end();
  return concat(out);
}

/** Concatenates byte chunks. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** Column letters of a 0-based index: 0 → A, 26 → AA. */
export function columnLetters(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** Text for XML character data and attributes, with OOXML `_xHHHH_` escapes for what XML cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_')
    .replace(
      /[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]/g,
      (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
    );
}

class StyleTable {
  private readonly formats = new Map<string, number>();
  private readonly xfs: number[] = [0];
  private readonly byFormat = new Map<number, number>();

  /** cellXfs index for a number format (built-in id or custom code). */
  style(format: number | string): number {
    let id: number;
    if (typeof format === 'number') {
      id = format;
    } else {
      id = this.formats.get(format) ?? 164 + this.formats.size;
      this.formats.set(format, id);
    }
    let index = this.byFormat.get(id);
    if (index === undefined) {
      index = this.xfs.length;
      this.xfs.push(id);
      this.byFormat.set(id, index);
    }
    return index;
  }

  xml(): string {
    const numFmts = [...this.formats].map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`);
    return (
      HEAD +
      `<styleSheet xmlns="${MAIN_NS}">` +
      (numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` : '') +
      '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${this.xfs.length}">` +
      this.xfs
        .map(
          (id) =>
            `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"${id ? ' applyNumberFormat="1"' : ''}/>`,
        )
        .join('') +
      '</cellXfs>' +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

interface SheetContext {
  useShared: boolean;
  date1904: boolean;
  styles: StyleTable;
  shared: Map<string, number>;
  sharedList: string[];
}

function textElement(text: string): string {
  const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : '';
  return `<t${space}>${escapeXml(text)}</t>`;
}

function sheetXml(rows: Iterable<XlsxCell[]>, ctx: SheetContext): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const letters: string[] = [];
  let batch = HEAD + `<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData>`;
  let rowNumber = 0;
  for (const cells of rows) {
    rowNumber += 1;
    let row = '';
    cells.forEach((cell, c) => {
      if (cell === null || cell === undefined) return;
      const ref = (letters[c] ??= columnLetters(c)) + rowNumber;
      row += cellXml(ref, cell, ctx);
    });
    if (row) batch += `<row r="${rowNumber}">${row}</row>`;
    if (batch.length > 1 << 20) {
      chunks.push(encoder.encode(batch));
      batch = '';
    }
  }
  chunks.push(encoder.encode(batch + '</sheetData></worksheet>'));
  return chunks;
}

function cellXml(ref: string, cell: Exclude<XlsxCell, null | undefined>, ctx: SheetContext): string {
  if (typeof cell === 'string') {
    if (!ctx.useShared) return `<c r="${ref}" t="inlineStr"><is>${textElement(cell)}</is></c>`;
    let index = ctx.shared.get(cell);
    if (index === undefined) {
      index = ctx.sharedList.length;
      ctx.shared.set(cell, index);
      ctx.sharedList.push(cell);
    }
    return `<c r="${ref}" t="s"><v>${index}</v></c>`;
  }
  if (typeof cell === 'number') return `<c r="${ref}"><v>${numberText(cell)}</v></c>`;
  if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`;
  if ('date' in cell) {
    const style = ctx.styles.style(cell.numFmt ?? 14);
    return `<c r="${ref}" s="${style}"><v>${isoDateToExcelSerial(cell.date, ctx.date1904)}</v></c>`;
  }
  return `<c r="${ref}" s="${ctx.styles.style(cell.numFmt)}"><v>${numberText(cell.number)}</v></c>`;
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`XLSX cannot store ${n}`);
  return String(n).toUpperCase(); // Excel writes exponents as 1E-7
}

function sharedStringsXml(strings: string[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let batch = HEAD + `<sst xmlns="${MAIN_NS}" count="${strings.length}" uniqueCount="${strings.length}">`;
  for (const s of strings) {
    batch += `<si>${textElement(s)}</si>`;
    if (batch.length > 1 << 20) {
      chunks.push(encoder.encode(batch));
      batch = '';
    }
  }
  chunks.push(encoder.encode(batch + '</sst>'));
  return chunks;
}
