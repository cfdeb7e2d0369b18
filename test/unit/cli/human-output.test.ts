import { describe, expect, it } from 'vitest';
import { formatFigure, formatMoney, renderReport } from '../../../functions/cli/human-output.ts';
import { checkTape } from '../../../functions/core/check-tape.ts';
import { validRow } from '../../support/rows.ts';
import { toCsv } from '../../../bench/tape-generator.ts';

async function reportOf(csv: string) {
  const bytes = Buffer.from(csv);
  const { report } = await checkTape({ fileName: 't.csv', open: async function* () { yield bytes; } });
  return report;
}

describe('human output', () => {
  it('writes money with the currency and thousands separators, from the text', () => {
    expect(formatMoney('90000000.00', 'USD')).toBe('USD 90,000,000.00');
    expect(formatMoney('-1234.5', 'EUR')).toBe('EUR -1,234.5');
    expect(formatMoney('9999999999999.99', 'USD')).toBe('USD 9,999,999,999,999.99');
    expect(formatMoney(null, 'USD')).toBe('-');
  });

  it('writes each figure in its unit', () => {
    expect(formatFigure('0.300000', 'fraction of eligible balance')).toBe('30.00 %');
    expect(formatFigure('0.123456', 'fraction')).toBe('12.35 %');
    expect(formatFigure('1.600000', 'ratio')).toBe('1.60x');
    expect(formatFigure('115.000000', 'months')).toBe('115.0 months');
    expect(formatFigure('9.950000', 'loans')).toBe('10.0');
    expect(formatFigure(null, 'ratio')).toBe('-');
  });

  it('renders a report: formatted pool and tests, the deal currency', async () => {
    const cols = Object.keys(validRow());
    const report = await reportOf(toCsv([validRow(), validRow({ loanId: 'L-2', currentBalance: '1234567.89' })], { columns: cols }));
    const text = renderReport(report, { currency: 'EUR' }).join('\n');
    expect(text).toContain('eligible balance EUR 91,234,567.89');
    expect(text).toMatch(/^pool: 2 loans, EUR 91,234,567\.89 · WA DSCR 1\.60x · WA LTV 60\.00 %/m);
    expect(text).toMatch(/^ {2}C01 +FAIL +100\.00 % +<= 30\.00 % +-70\.00 %/m);
  });

  it('does not headline a data-quality figure when no row is valid', async () => {
    const cols = Object.keys(validRow()).filter((c) => c !== 'currentBalance');
    const report = await reportOf(toCsv([validRow()], { columns: cols }));
    expect(report.validation.validRowCount).toBe(0);
    const first = renderReport(report).slice(0, 2).join('\n');
    expect(first).toContain('· no valid row');
    expect(first).not.toContain('data quality');
  });
});
