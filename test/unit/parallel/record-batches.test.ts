import { describe, expect, it } from 'vitest';
import { cellText } from '../../../functions/core/readers/csv-reader.ts';
import { forEachRecord, KeptBatches, RecordBatcher, type RecordBatch } from '../../../functions/core/parallel/record-batches.ts';

/** The records of a batch as [row, cells]. */
function records(batch: RecordBatch): Array<[number, string[]]> {
  const out: Array<[number, string[]]> = [];
  forEachRecord(batch, (row, cells) => out.push([row, Array.from({ length: cells.count }, (_, k) => cellText(cells, k))]));
  return out;
}

function batchOf(rows: Array<[number, string[]]>): RecordBatch {
  const batcher = new RecordBatcher();
  for (const [row, cells] of rows) batcher.push({ row, cells });
  return batcher.take();
}

describe('RecordBatcher and KeptBatches', () => {
  const first: Array<[number, string[]]> = [[1, ['loanId', 'note']], [2, ['L-1', 'x'.repeat(300)]], [4, ['L-2', '']]];
  const second: Array<[number, string[]]> = [[5, ['L-3', 'Zürich ☃ 𝔘']], [6, ['L-4', 'y'.repeat(70000)]]];

  it('a batch gives back its records, cells of any length and any characters', () => {
    expect(records(batchOf(first))).toEqual(first);
    expect(records(batchOf(second))).toEqual(second);
  });

  it('keeps batches (lengths narrowed where they fit) and gives them back as they came', () => {
    const kept = new KeptBatches(1 << 20);
    kept.keep(batchOf(first));
    kept.keep(batchOf(second));
    expect(kept.complete).toBe(true);
    expect([...kept.batches()].flatMap(records)).toEqual([...first, ...second]);
  });

  it('over its budget it lets every batch go and says so', () => {
    const kept = new KeptBatches(1000);
    kept.keep(batchOf(first));
    expect(kept.complete).toBe(true);
    kept.keep(batchOf(second));
    expect(kept.complete).toBe(false);
    expect([...kept.batches()]).toEqual([]);
    kept.keep(batchOf(first));
    expect(kept.complete).toBe(false);
  });
});
