/**
 * The stress section is part of the mergeable pool aggregate: one pass, byte ranges merged in any
 * number (through structured clone, as worker threads receive them) and a duplicated-id second
 * read all give the same section for the same model, and per-loan figures come with the loan results.
 */
import { describe, expect, it } from 'vitest';
import { checkTape, type CheckTapeOptions } from '../../../functions/core/check-tape.ts';
import { checkRange } from '../../../functions/core/parallel/check-range.ts';
import { checkTapeParallel, type RangeRunner } from '../../../functions/core/parallel/check-tape-parallel.ts';
import { loadStressModel } from '../../../functions/core/stress/index.ts';
import { generateTape, toCsv } from '../../../bench/tape-generator.ts';
import { chunked } from '../../support/tape-files.ts';

const bytes = new TextEncoder().encode(toCsv(generateTape({ rows: 1500, seed: 5, brokenShare: 0.03 }).rows));
const model = loadStressModel({
  capRate: { base: 0.09, marketAdd: { 'northern virginia': 0.005, Dallas: 0.0125 } },
  tranches: [{ name: 'A', share: 0.58 }, { name: 'B', share: 0.22 }, { name: 'C', share: 0.12 }, { name: 'D', share: 0.08 }],
}, 'deal-stress.json');

const runner: RangeRunner = {
  async run(task, onProgress) {
    const t = structuredClone(task);
    return structuredClone(await checkRange(t, chunked(bytes.subarray(t.start, t.end), 65536), (bytesRead, rows) => onProgress({ index: t.index, bytesRead, rows })));
  },
};
const options = (extra: Partial<CheckTapeOptions> = {}): CheckTapeOptions => ({ fileName: 't.csv', open: () => chunked(bytes, 1 << 16), now: () => new Date(0), ...extra });

describe('the stress section through every route', () => {
  it('one pass and 2 or 3 merged ranges give the same section, under a deal model', async () => {
    const one = (await checkTape(options({ stress: model }))).report.stress!;
    expect(one.model.id).toBe('dmbs-stress-default');
    expect(one.tranches.map((t) => t.name)).toEqual(['A', 'B', 'C', 'D']);
    expect(one.pool.stressedValue).not.toBeNull();
    for (const ranges of [2, 3]) {
      const many = await checkTapeParallel({ ...options({ stress: model }), tape: { size: bytes.length, read: async (o, n) => bytes.slice(o, o + n) }, runner, ranges });
      expect(many.report.stress).toEqual(one);
    }
    // the default model differs: the model reaches the ranges
    expect((await checkTape(options())).report.stress!.pool.stressedValue).not.toBe(one.pool.stressedValue);
  });

  it('the loan results carry stressed figures for eligible loans and nulls for the others', async () => {
    const results: Array<{ eligible: boolean; stressedNcf: string | null; stressedValue: string | null }> = [];
    await checkTape(options({ stress: model, onLoanEvaluation: (e) => results.push(e) }));
    const eligible = results.filter((r) => r.eligible);
    expect(eligible.length).toBeGreaterThan(0);
    expect(eligible.every((r) => /^-?\d+\.\d\d$/.test(r.stressedNcf!) && r.stressedValue !== null)).toBe(true);
    expect(results.filter((r) => !r.eligible).every((r) => r.stressedNcf === null && r.stressedValue === null)).toBe(true);
  });
});
