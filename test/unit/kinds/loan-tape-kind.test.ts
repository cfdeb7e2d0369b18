import { describe, expect, it } from 'vitest';
import { checkTape } from '../../../functions/core/check-tape.ts';
import { LOAN_TAPE_KIND } from '../../../functions/core/kinds/index.ts';
import { buildEvaluationSections } from '../../../functions/core/evaluation/evaluation-sections.ts';
import { loadCriteria } from '../../../functions/core/evaluation/criteria.ts';
import { PoolAccumulator } from '../../../functions/core/evaluation/pool-accumulator.ts';
import loanTapeSchema from '../../../schemas/dmbs-loan-tape.v1.schema.json' with { type: 'json' };
import { generateTape, toCsv } from '../../../bench/tape-generator.ts';
import { chunked } from '../../support/tape-files.ts';

const fieldNames = new Set(Object.keys(loanTapeSchema.properties));

describe('the loan tape as a tape kind', () => {
  it('names its identity key and evaluated fields from its own schema, and its cross-field rules as declared there', () => {
    expect(fieldNames.has(LOAN_TAPE_KIND.idField)).toBe(true);
    expect(LOAN_TAPE_KIND.evaluatedFields.filter((f) => !fieldNames.has(f))).toEqual([]);
    expect(LOAN_TAPE_KIND.evaluatedFields).toContain(LOAN_TAPE_KIND.idField);
    expect(LOAN_TAPE_KIND.fields.map((f) => f.name)).toEqual([...fieldNames]);
    expect(LOAN_TAPE_KIND.crossFieldRules.map((r) => r.id)).toEqual(loanTapeSchema['x-cross-field-rules'].map((r) => r.id));
    for (const rule of LOAN_TAPE_KIND.crossFieldRules) expect(rule.fields.filter((f) => !fieldNames.has(f))).toEqual([]);
  });

  it('recognises a header by its mapped fields: loanId makes a loan tape, lotId alone does not', () => {
    expect(LOAN_TAPE_KIND.detect(new Set(['loanId', 'currentBalance']))).toBe(true);
    expect(LOAN_TAPE_KIND.detect(new Set(['lotId', 'gpuModel']))).toBe(false);
  });

  it('builds, stores and reports its aggregate as the evaluation modules do', () => {
    const settings = LOAN_TAPE_KIND.loadSettings({ criteria: { eligibility: { E05: { minDscr: 1.3 } } } });
    expect(settings.criteria).toEqual(loadCriteria({ eligibility: { E05: { minDscr: 1.3 } } }));
    const { rows } = generateTape({ rows: 200, seed: 7 });
    const direct = new PoolAccumulator(settings.criteria);
    const viaKind = LOAN_TAPE_KIND.createAccumulator(settings);
    return checkTape({ fileName: 't.csv', open: () => chunked(new TextEncoder().encode(toCsv(rows)), 4096), onLoan: (loan) => { direct.add(loan); viaKind.add(loan); }, evaluate: false }).then(() => {
      const stored = LOAN_TAPE_KIND.accumulatorFromJSON(JSON.parse(JSON.stringify(viaKind.toJSON())), settings);
      expect(LOAN_TAPE_KIND.buildSections(stored, '0.9')).toEqual(buildEvaluationSections(direct, settings.criteria, '0.9'));
    });
  });

  it('checkTape given the kind gives the report it gives by default', async () => {
    const { rows } = generateTape({ rows: 300, seed: 11, brokenShare: 0.05 });
    const bytes = new TextEncoder().encode(toCsv(rows));
    const now = () => new Date('2026-12-01T00:00:00Z');
    const byDefault = await checkTape({ fileName: 't.csv', open: () => chunked(bytes, 1000), now });
    const withKind = await checkTape({ fileName: 't.csv', open: () => chunked(bytes, 1000), now, kind: LOAN_TAPE_KIND });
    expect(withKind.report).toEqual(byDefault.report);
    expect(byDefault.report.validation.invalidRowCount).toBeGreaterThan(0);
  });
});
