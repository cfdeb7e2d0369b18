// The compute lot's cross-field rules: errors make the lot invalid, warnings do not.
import { describe, expect, it } from 'vitest';
import { checkComputeCrossField } from '../../../../functions/core/kinds/compute/index.ts';
import type { Finding } from '../../../../functions/core/validation/findings.ts';

const ok = {
  reportingDate: '2026-10-31', acquisitionDate: '2026-01-31', inServiceDate: '2026-03-31', energised: true, contractStartDate: '2026-03-31',
  contractExpiryDate: '2029-03-31', currentBalance: 900, originalBalance: 1000, country: 'US', region: 'US-TX',
};
const check = (over: Record<string, unknown>) => {
  const findings: Finding[] = [];
  const bad = checkComputeCrossField({ ...ok, ...over }, 7, findings, (f) => (f === 'region' ? 'State/Province' : undefined));
  return { bad, findings: findings.map((f) => [f.field, f.severity, f.message]) };
};

describe('compute cross-field rules', () => {
  it('accepts a consistent lot', () => {
    expect(check({})).toEqual({ bad: [], findings: [] });
  });

  it('errors: expiry not after start, balance above original, region outside country', () => {
    expect(check({ contractExpiryDate: '2026-03-31', currentBalance: 1000.01, region: 'CA-ON' })).toEqual({
      bad: ['contractExpiryDate', 'currentBalance', 'region'],
      findings: [
        ['contractExpiryDate', 'error', "Row 7, contractExpiryDate: '2026-03-31' must be after contractStartDate 2026-03-31."],
        ['currentBalance', 'error', "Row 7, currentBalance: '1000.01' exceeds originalBalance 1000.00; the balance of a lot does not grow."],
        ['region', 'error', "Row 7, region (column 'State/Province'): 'CA-ON' is not a region of country US; use US-XX."],
      ],
    });
  });

  it('warnings: energised before its in-service date, acquired after service or after the cut-off', () => {
    const r = check({ inServiceDate: '2026-11-30', acquisitionDate: '2026-12-31' });
    expect(r.bad).toEqual([]);
    expect(r.findings.map(([field, severity]) => [field, severity])).toEqual([
      ['inServiceDate', 'warning'], ['acquisitionDate', 'warning'], ['acquisitionDate', 'warning'],
    ]);
    expect(check({ energised: false, inServiceDate: '2026-11-30', acquisitionDate: '2026-10-01' }).findings).toEqual([]);
  });
});
