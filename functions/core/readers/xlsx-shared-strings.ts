/** Scans sharedStrings.xml text, pushed in any chunking, into the string table (within its limits). */
import type { XlsxLimits } from './xlsx-reader.ts';
import { TapeReadError } from '../errors.ts';
import { invalid } from './xlsx-parts.ts';
import { isNameEnd, MAX_PENDING_CHARS, richText, rootPrefix, XmlChunker } from './xml-scan.ts';

/** Scans sharedStrings.xml text, pushed in any chunking, into the string table. */
export class SharedStringScanner {
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

