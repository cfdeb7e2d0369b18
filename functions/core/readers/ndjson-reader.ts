/**
 * Streaming NDJSON reader: one JSON object per line, `row` = line number (first line 1). A line
 * that is not a JSON object is yielded as a malformed record (a finding, not a crash); blank lines
 * are skipped but counted. Keys such as `__proto__` stay plain own keys (JSON.parse, no merging).
 */
import { TapeReadError } from '../errors.ts';
import { decodeText } from './text-decoding.ts';
import { DEFAULT_READER_LIMITS, type ByteSource, type ReaderLimits } from './types.ts';

/** One line of an NDJSON tape: the object, or why it could not be read. */
export type NdjsonRecord =
  | { readonly row: number; readonly object: Record<string, unknown>; readonly error?: undefined }
  | { readonly row: number; readonly object?: undefined; readonly error: string };

/**
 * Reads NDJSON objects from bytes in any chunking.
 * @example for await (const r of readNdjson(source)) if (r.object) use(r.object);
 */
export async function* readNdjson(source: ByteSource, limits: Partial<ReaderLimits> = {}): AsyncGenerator<NdjsonRecord> {
  for await (const batch of readNdjsonBatches(source, limits)) for (const record of batch) yield record;
}

/**
 * {@link readNdjson} in batches (the records of each chunk read; the array is reused). `range`:
 * the bytes are a range of a file starting at a line start other than the file's first byte (no BOM
 * is looked for; lines count from the range's start). `end.rows`: lines read, once finished.
 */
export function readNdjsonBatches(
  source: ByteSource,
  limits: Partial<ReaderLimits> = {},
  range = false,
  end: { rows: number } = { rows: 0 },
): AsyncGenerator<NdjsonRecord[]> {
  return lineBatches(source, limits, range, end, parseLine);
}

/** One line of an NDJSON tape as the text the reader parses (trimmed, not blank; not parsed). */
export interface NdjsonLine {
  readonly row: number;
  readonly text: string;
}

/**
 * The lines of an NDJSON tape (or range) as the text the reader parses — trimmed, BOM left out,
 * blank lines skipped but counted — for a reader that parses only the lines it must: the validator
 * (TapeValidator.ndjson, which scans the others: ndjson-scan.ts) and the loanId pre-pass
 * (check-range.ts). Same limits, decoding and numbering as {@link readNdjsonBatches};
 * {@link parseNdjsonLine} of a text gives the reader's record.
 */
export function readNdjsonTexts(
  source: ByteSource,
  limits: Partial<ReaderLimits> = {},
  range = false,
  end: { rows: number } = { rows: 0 },
): AsyncGenerator<NdjsonLine[]> {
  return lineBatches(source, limits, range, end, (raw, row) => {
    const text = lineText(raw);
    return text === '' ? undefined : { row, text };
  });
}

/** Parses an NDJSON line as the reader does: the object, why it is not one, or undefined when blank. */
export function parseNdjsonLine(raw: string, row: number): NdjsonRecord | undefined {
  return parseLine(raw, row);
}

async function* lineBatches<T>(
  source: ByteSource,
  limits: Partial<ReaderLimits>,
  range: boolean,
  end: { rows: number },
  parseLine: (raw: string, row: number) => T | undefined,
): AsyncGenerator<T[]> {
  const maxLine = (limits.maxFieldChars ?? DEFAULT_READER_LIMITS.maxFieldChars) * 4;
  let line = 0;
  let carry = '';
  const out: T[] = [];
  for await (const text of decodeText(pieces(source), () => `line ${line + 1}`, range ? 'utf-8' : undefined)) {
    let buffer = carry + text;
    let start = 0;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n', start)) {
      line++;
      const record = parseLine(buffer.slice(start, nl), line);
      if (record) out.push(record);
      start = nl + 1;
    }
    if (out.length > 0) {
      yield out;
      out.length = 0;
    }
    carry = buffer.slice(start);
    buffer = '';
    if (carry.length > maxLine) {
      throw new TapeReadError('TAPE_LIMIT_EXCEEDED', `line ${line + 1}: longer than ${maxLine} characters; one loan per line is expected`);
    }
  }
  end.rows = line;
  if (carry.length > 0) {
    end.rows = line + 1;
    const record = parseLine(carry, line + 1);
    if (record) yield [record];
  }
}

/**
 * The source's chunks in pieces of at most 64 KiB, so that each decoded text lives and dies in
 * V8's young generation (a 1 MiB text goes to the large-object space until a full GC).
 */
async function* pieces(source: ByteSource): AsyncGenerator<Uint8Array> {
  const PIECE = 64 << 10;
  for await (const chunk of source) {
    if (chunk.length <= PIECE) yield chunk;
    else for (let at = 0; at < chunk.length; at += PIECE) yield chunk.subarray(at, at + PIECE);
  }
}

/** The text of a line that is parsed: trimmed, a BOM left out. */
function lineText(raw: string): string {
  return raw.charCodeAt(0) === 0xfeff ? raw.slice(1).trim() : raw.trim();
}

function parseLine(raw: string, row: number): NdjsonRecord | undefined {
  const text = lineText(raw);
  if (text === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { row, error: `is not valid JSON (${(e as Error).message}); write one JSON object per line` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { row, error: `is ${Array.isArray(value) ? 'an array' : `a ${value === null ? 'null' : typeof value}`}, not a JSON object; write one object per loan` };
  }
  // (only a line with a bracket or a brace after its first character can nest)
  if ((text.indexOf('[') > 0 || text.indexOf('{', 1) > 0) && deeperThan(value, MAX_NDJSON_DEPTH)) {
    return { row, error: `nests values more than ${MAX_NDJSON_DEPTH} levels deep; write one flat JSON object per loan (text, numbers, true/false or null)` };
  }
  return { row, object: value as Record<string, unknown> };
}

/**
 * Deepest nesting of a line's values (the object itself is level 1): beyond it the line is a
 * MALFORMED_ROW. Values nested a million levels deep parse, but recursive code over them
 * (JSON.stringify for a finding's text) would overflow the stack.
 */
export const MAX_NDJSON_DEPTH = 64;

/** Whether `root` nests containers more than `limit` levels deep (walked without recursion). */
function deeperThan(root: object, limit: number): boolean {
  const stack: Array<{ value: object; depth: number }> = [{ value: root, depth: 1 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    for (const child of Object.values(value)) {
      if (child === null || typeof child !== 'object') continue;
      if (depth + 1 > limit) return true;
      stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
