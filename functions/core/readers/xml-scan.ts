/**
 * Helpers for scanning machine-written XML text by hand (the worksheet and shared-string scanners):
 * cutting streamed text at whole elements, names, prefixes, rich text. No DOM, no allocation per tag.
 */
import type { TapeReadError } from '../errors.ts';
import { decodeXmlText } from './xlsx-values.ts';

/**
 * Guard on XML text buffered while waiting for the end of one row (or shared string), in characters:
 * far beyond any real row, below V8's largest string (2^29 − 24).
 */
export const MAX_PENDING_CHARS = 128 * 1024 * 1024;

/**
 * Cuts streamed XML text after the last complete `close` tag seen, so the shared-string scanner only
 * ever sees whole strings (a tag split between pushes is complete in the joined text of a later cut).
 * Pieces are joined only when a cut is possible, so a long string over many chunks is copied once.
 */
export class XmlChunker {
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
export const isNameEnd = (c: number): boolean => c === 62 || c === 47 || c === 32 || c === 10 || c === 13 || c === 9;
export const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/** The namespace prefix ('' or 'x:') of the root element, once the text reaches it. */
export function rootPrefix(text: string, root: string): string | undefined {
  const m = new RegExp(`<([A-Za-z_][\\w.-]*:)?${root}[\\s>/]`).exec(text);
  return m ? (m[1] ?? '') : undefined;
}

/** Concatenated <t> texts of rich text from `from` on, skipping phonetic runs; entity-decoded. */
export function richText(content: string, from: number, prefix: string): string {
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

export function skipSpaces(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}
