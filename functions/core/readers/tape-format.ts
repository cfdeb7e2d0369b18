/**
 * Which reader a tape needs: by its first bytes (a zip is XLSX; `{` starts NDJSON), else by its
 * name's extension, else CSV. Content wins over the name, so a renamed file is still read right.
 */
import { TapeReadError } from '../errors.ts';

export type TapeFormat = 'csv' | 'xlsx' | 'ndjson';

/**
 * @example detectFormat('tape.xlsx', firstBytes) // 'xlsx'
 * @throws TapeReadError TAPE_FORMAT_UNKNOWN for a JSON array (a common export mistake): one object
 *   per line (NDJSON) is what the standard reads.
 */
export function detectFormat(fileName: string, head: Uint8Array): TapeFormat {
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05) ) return 'xlsx';
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm')) return 'xlsx';
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  if (head[i] === 0x7b) return 'ndjson';
  if (head[i] === 0x5b && (head[i + 1] === 0x7b || head[i + 1] === 0x5b || head[i + 1] === 0x0a || head[i + 1] === 0x0d || head[i + 1] === 0x20)) {
    throw new TapeReadError('TAPE_FORMAT_UNKNOWN', 'the file is a JSON array, not a tape; send NDJSON (one JSON object per line, .ndjson) or CSV');
  }
  return 'csv';
}
