// The terminal form of a compute tape's report, on the standard's worked example (docs/compute-tape.md).
import { describe, expect, it } from 'vitest';
import { renderComputeReport, type ComputeReport } from '../../../functions/cli/compute-render.ts';
import { ComputePoolAccumulator, buildComputeSections, loadComputeCriteria, loadResidualCurve } from '../../../functions/core/kinds/compute/index.ts';
import { WORKED_EXAMPLE } from '../kinds/compute/worked-example.ts';
import { lot } from '../kinds/compute/lots.ts';

function reportOf(lots = WORKED_EXAMPLE): ComputeReport {
  const acc = new ComputePoolAccumulator({ criteria: loadComputeCriteria(), curve: loadResidualCurve() });
  lots.forEach((l, i) => acc.add(l, i + 2));
  return {
    tape: { kind: 'compute', fileName: 'example.csv', sha256: '0'.repeat(64), format: 'csv', reportingDate: '2026-10-31', dealId: 'gpu-1' },
    validation: {
      rowCount: lots.length + 1, validRowCount: lots.length, invalidRowCount: 1, errorCount: 1, warningCount: 0, dataQualityScore: '95.00',
      errors: [{ row: 6, field: 'gpuModel', code: 'ENUM', severity: 'error', message: "gpuModel 'A100X' is not one of H100, ...", value: 'A100X' }],
    },
    ...buildComputeSections(acc),
  };
}

describe('renderComputeReport', () => {
  const text = renderComputeReport(reportOf(), { currency: 'USD' }).join('\n');

  it('starts with the tape and its findings, as for a loan tape', () => {
    expect(text).toMatch(/^example\.csv {2}\(csv, 5 rows, reportingDate 2026-10-31, deal gpu-1\)$/m);
    expect(text).toMatch(/^validation: 4 valid, 1 invalid rows/m);
    expect(text).toMatch(/^ {2}6 +gpuModel +ENUM +gpuModel 'A100X'/m);
  });

  it('writes eligibility and the pool with the deal currency', () => {
    expect(text).toContain('eligibility: 4 eligible, 0 ineligible lots · eligible balance USD 40,400,000.00');
    expect(text).toContain('pool: 4 lots, USD 40,400,000.00 · residual value now USD 78,540,000.00 · PV of contracted revenue USD 62,565,479.76');
  });

  it('writes K01-K07 with pass or FAIL, in their units', () => {
    expect(text).toMatch(/^ {2}K01 +FAIL +49\.51 % +<= 35\.00 % +-14\.51 %/m);
    expect(text).toMatch(/^ {2}K04 +FAIL +64\.36 % +<= 30\.00 %/m);
    expect(text).toMatch(/^ {2}K05 +pass +1\.55x +>= 1\.10x +0\.45x/m);
    expect(text).toMatch(/^ {2}K06 +pass +0\.51x +<= 0\.85x/m);
  });

  it('writes the residual LTV path of step 4, the worst point marked', () => {
    const rows = text.split('\n').filter((l) => /^ {2}20\d\d-/.test(l)).map((l) => l.trim().split(/ {2,}/));
    expect(rows).toEqual([
      ['2026-10-31', 'USD 40,400,000.00', 'USD 78,540,000.00', '51.44 %', '<- worst'],
      ['2026-12-31', 'USD 37,412,045.74', 'USD 74,953,333.33', '49.91 %'],
      ['2027-12-31', 'USD 21,358,096.43', 'USD 46,526,666.67', '45.91 %'],
      ['2028-12-31', 'USD 8,875,912.41', 'USD 23,626,666.67', '37.57 %'],
    ]);
    expect(text).toContain('residual LTV path (balance outstanding / residual value; K06 limit 85.00 %):');
  });

  it('writes the score with each factor in its unit', () => {
    expect(text).toContain('score: 74.3 / 100 — AA range (indicative, not a credit rating)');
    expect(text).toMatch(/^ {2}residualLeverage +51\.44 % +88\.6 +25\.00 %/m);
    expect(text).toMatch(/^ {2}hardwareAge +4\.0 months +93\.3/m);
  });

  it('says why there is no pool and no path', () => {
    const empty = renderComputeReport(reportOf([lot({ paymentStatus: 'DEFAULT' })])).join('\n');
    expect(empty).toContain('pool: 0 lots (no eligible pool: none of the 1 valid lots is eligible)');
    expect(empty).toContain('residual LTV path: none (no eligible pool: none of the 1 valid lots is eligible)');
    expect(empty).toMatch(/^ {2}K01 +FAIL +- /m);
  });
});
