/**
 * fileRangeSource (functions/cli/file-source.ts): a file range read into two buffers used in turn.
 * The bytes must be exactly the range's, and the readers fed by it (CSV and NDJSON ranges, the CSV
 * loanId column scan, the hash) must give what they give on fresh buffers — also with one buffer,
 * each chunk overwritten by the next: a reader that kept a view of a chunk would read other bytes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fileRangeSource, READ_CHUNK_BYTES } from '../../../functions/cli/file-source.ts';
import { checkRange } from '../../../functions/core/parallel/check-range.ts';
import type { RangeTask } from '../../../functions/core/parallel/range-task.ts';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { MeteredSource } from '../../../functions/core/readers/byte-meter.ts';
import { GENERATED_FIELDS, generateTape, rng, toCsv, toNdjson } from '../../../bench/tape-generator.ts';
import { tempDir } from '../../support/tape-files.ts';
import { typedArraysAsText } from '../../support/typed-arrays.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function collect(source: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number }> {
  const copies: Buffer[] = [];
  for await (const chunk of source) copies.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(copies), chunks: copies.length };
}

describe('fileRangeSource', () => {
  const random = rng(5);
  const content = Buffer.from(Array.from({ length: 3 * READ_CHUNK_BYTES + 12345 }, () => Math.floor(random() * 256)));
  const path = tmp.file('bytes.bin', content);

  it('gives exactly the bytes of [start, end), in chunks of at most 1 MiB', async () => {
    for (const [start, end] of [[0, content.length], [1, READ_CHUNK_BYTES], [READ_CHUNK_BYTES - 3, 2 * READ_CHUNK_BYTES + 7], [500, 501], [content.length - 10, content.length]] as const) {
      const { bytes, chunks } = await collect(fileRangeSource(path, start, end));
      expect(bytes.equals(content.subarray(start, end))).toBe(true);
      expect(chunks).toBe(Math.ceil((end - start) / READ_CHUNK_BYTES));
    }
  });

  it('gives nothing for an empty range, and stops at the end of the file', async () => {
    expect((await collect(fileRangeSource(path, 10, 10))).chunks).toBe(0);
    expect((await collect(fileRangeSource(path, content.length - 5, content.length + 100))).bytes.equals(content.subarray(content.length - 5))).toBe(true);
  });

  it('hashes a file as a fresh-buffer stream does', async () => {
    const metered = new MeteredSource(fileRangeSource(path, 0, content.length));
    for await (const _ of metered) { /* drain */ }
    expect(metered.sha256()).toBe(createHash('sha256').update(content).digest('hex'));
  });
});

describe('the range readers on reused buffers give what they give on fresh ones', () => {
  // ≈ 6 MB: records (some with quoted line breaks) straddle many 1 MiB chunk ends.
  const { rows } = generateTape({ rows: 12_000, seed: 31, brokenShare: 0.05, ndShare: 0.05 });
  const random = rng(32);
  rows.forEach((r, i) => {
    if (random() < 0.2) r.facilityName = `Campus "${i}",\nHall ${'é'.repeat(i % 5)}`;
    if (i % 997 === 0 && i > 0) r.loanId = rows[i - 500]!.loanId; // duplicated ids for the pre-pass
  });
  const csvText = toCsv(rows, { eol: '\n' });
  const csv = tmp.file('tape.csv', csvText);
  const ndjson = tmp.file('tape.ndjson', toNdjson(rows));
  const headerEnd = csvText.indexOf('\n') + 1;
  const header = { cells: [...GENERATED_FIELDS] as string[], row: 1 };
  const base = { index: 0, last: true, delimiter: ',', kind: 'loan', settings: { criteria: loadCriteria() }, reportingDate: null, keepFindings: Number.POSITIVE_INFINITY } as const;

  const cases: Array<[string, string, RangeTask]> = [
    ['CSV range', csv, { ...base, format: 'csv', start: 0, end: Buffer.byteLength(csvText), header: null }],
    ['CSV loanId pre-pass (column scan)', csv, { ...base, format: 'csv', start: headerEnd, end: Buffer.byteLength(csvText), header, idsOnly: true, keepFindings: 0 }],
    ['NDJSON range', ndjson, { ...base, format: 'ndjson', start: 0, end: Buffer.byteLength(toNdjson(rows)), header: null }],
    ['NDJSON loanId pre-pass', ndjson, { ...base, format: 'ndjson', start: 0, end: Buffer.byteLength(toNdjson(rows)), header: null, idsOnly: true, keepFindings: 0 }],
  ];
  for (const [name, file, task] of cases) {
    it(name, async () => {
      const fresh = await checkRange(task, createReadStream(file, { start: task.start, end: task.end - 1, highWaterMark: READ_CHUNK_BYTES }) as AsyncIterable<Uint8Array>);
      const strip = (r: typeof fresh) => typedArraysAsText({ ...r, ms: 0 });
      expect(fresh.rows).toBeGreaterThan(11_000);
      // Two buffers as the CLI reads, and one (each chunk overwritten by the next): the readers copy what they keep.
      for (const buffers of [2, 1]) expect(strip(await checkRange(task, fileRangeSource(file, task.start, task.end, buffers)))).toEqual(strip(fresh));
    }, 60_000);
  }
});
