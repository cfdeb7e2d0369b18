/** Scans worksheet XML text, pushed in any chunking, into tape records (cells placed by column letter). */
import type { TapeRecord } from './types.ts';
import type { XlsxLimits } from './xlsx-reader.ts';
import { TapeReadError } from '../errors.ts';
import { invalid } from './xlsx-parts.ts';
import { isNameEnd, isSpace, MAX_PENDING_CHARS, richText, rootPrefix, skipSpaces } from './xml-scan.ts';
import { decodeXmlText, formatNumberText, serialTextToIsoDate } from './xlsx-values.ts';

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

export interface SheetContext {
  sheetName: string;
  sharedStrings: string[];
  dateStyles: Uint8Array;
  date1904: boolean;
  limits: XlsxLimits;
}

/** Scans worksheet XML text, pushed in any chunking, into records (`out`). */
export class SheetScanner {
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
