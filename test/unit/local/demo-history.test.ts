import { describe, expect, it } from 'vitest';
import { checkTape } from '../../../functions/core/check-tape.ts';
import { monthlyVersions } from '../../../functions/local/demo-history.ts';
import { toCsv } from '../../../functions/local/tape-generator.ts';

const history = { rows: 300, seed: 11, dealId: 'deal-h', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'] };

async function reportOf(csv: string) {
  const bytes = Buffer.from(csv);
  return (await checkTape({ fileName: 'v.csv', open: async function* () { yield bytes; } })).report;
}

describe('demo history: monthly tapes in which the same loans evolve', () => {
  const versions = monthlyVersions(history);
  const byId = versions.map((v) => new Map(v.map((r) => [r.loanId, r])));

  it('one tape per reporting date, each row dated with it', () => {
    expect(versions).toHaveLength(3);
    versions.forEach((v, i) => expect(new Set(v.map((r) => r.reportingDate))).toEqual(new Set([history.reportingDates[i]])));
  });

  it('most loans stay, a few leave and a few join; the staying ones amortise', () => {
    const [a, b] = [byId[0]!, byId[1]!];
    const stayed = [...a.keys()].filter((id) => b.has(id));
    expect(stayed.length).toBeGreaterThan(a.size * 0.9);
    expect(stayed.length).toBeLessThan(a.size);
    expect([...b.keys()].some((id) => !a.has(id))).toBe(true);
    const amortised = stayed.filter((id) => Number(b.get(id)!.currentBalance) < Number(a.get(id)!.currentBalance));
    expect(amortised.length).toBe(stayed.length);
  });

  it('plants the events surveillance watches: coverage falling, a missed payment, a downgrade', () => {
    const [a, b] = [byId[0]!, byId[1]!];
    const both = [...b.keys()].filter((id) => a.has(id)).map((id) => [a.get(id)!, b.get(id)!] as const);
    expect(both.some(([x, y]) => Number(y.dscr) <= Number(x.dscr) * 0.8)).toBe(true);
    expect(both.some(([x, y]) => x.paymentStatus === 'CURRENT' && y.paymentStatus === 'DPD_30')).toBe(true);
    expect(both.some(([x, y]) => x.largestTenantRating !== y.largestTenantRating)).toBe(true);
  });

  it('every version is as valid as the first: evolved ratios are recomputed', async () => {
    for (const v of versions) {
      const report = await reportOf(toCsv(v));
      expect(report.validation.errorCount, report.validation.errors.slice(0, 3).map((f) => f.message).join('\n')).toBe(0);
      expect(report.validation.validRowCount).toBe(v.length);
    }
  });

  it('is deterministic', () => {
    expect(monthlyVersions(history)).toEqual(versions);
  });
});
