/** Sniffing a CSV tape's delimiter from its header line, read as the parser reads it. */
import { isLineBreak, QUOTE } from './csv-parser.ts';

/** Delimiters {@link sniffDelimiter} chooses among, in order of preference when counts tie. */
export const SNIFFED_DELIMITERS: readonly string[] = [',', ';', '\t', '|'];

export const SNIFF_MAX_CHARS = 1 << 20;

/**
 * Guesses the delimiter of a CSV from its header: the most frequent of `,` `;` tab `|` outside quotes
 * on the first non-empty line (ties go to that order); `,` when none occurs.
 *
 * @example
 * ```ts
 * sniffDelimiter('loanId;currentBalance;"city; state"\r\n'); // ';'
 * ```
 */
export function sniffDelimiter(headerText: string): string {
  const { counts } = scanHeader(headerText);
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return SNIFFED_DELIMITERS[best]!;
}

/**
 * Reads the first non-empty line as the parser would (a quote opens a quoted field only at the start
 * of a field), counting the candidate delimiters outside quotes. `end` is the index of the line break
 * that ends the header, or -1 if `text` does not contain it yet.
 */
export function scanHeader(text: string): { counts: number[]; end: number } {
  const counts = [0, 0, 0, 0];
  const n = text.length;
  let pos = 0;
  while (pos < n && isLineBreak(text.charCodeAt(pos))) pos++;
  let fieldStart = true;
  while (pos < n) {
    const c = text.charCodeAt(pos);
    if (fieldStart && c === QUOTE) {
      let q = text.indexOf('"', pos + 1);
      while (q !== -1 && text.charCodeAt(q + 1) === QUOTE) q = text.indexOf('"', q + 2);
      if (q === -1) return { counts, end: -1 };
      pos = q + 1;
      fieldStart = false;
      continue;
    }
    const candidate = c === 44 ? 0 : c === 59 ? 1 : c === 9 ? 2 : c === 124 ? 3 : -1;
    if (candidate !== -1) {
      counts[candidate]!++;
      fieldStart = true;
    } else if (isLineBreak(c)) return { counts, end: pos };
    else fieldStart = false;
    pos++;
  }
  return { counts, end: -1 };
}

