// The derived figures of one lot: age, straight-line balance, present value, path dates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Exact } from '../../../../functions/core/evaluation/exact.ts';
import { ageMonths, balanceCentsAt, pathDates, pvContractedCents } from '../../../../functions/core/kinds/compute/index.ts';
import { addMonths } from '../../../../functions/core/validation/calendar.ts';
import { lot } from './lots.ts';

describe('lot figures', () => {
  it('ages from inServiceDate in whole months, 0 before service or without a date', () => {
    expect(ageMonths(lot({ inServiceDate: '2026-08-31' }), '2026-10-30')).toBe(1);
    expect(ageMonths(lot({ inServiceDate: '2027-01-31' }), '2026-10-31')).toBe(0);
    expect(ageMonths(lot({ inServiceDate: undefined, energised: true }), '2026-10-31')).toBe(0);
    expect(ageMonths(lot({ inServiceDate: 'ND2' }), '2026-10-31')).toBe(0);
  });

  it('amortises in a straight line by days: all of it at reportingDate, none at maturity', () => {
    const l = lot({ currentBalance: 1000, maturityDate: '2026-11-30' });
    expect(balanceCentsAt(l, '2026-10-31').toFixed()).toBe('100000');
    expect(balanceCentsAt(l, '2026-11-15').toFixed(6)).toBe('50000.000000'); // 15 of 30 days left
    expect(balanceCentsAt(l, '2026-11-30').toFixed()).toBe('0');
    expect(balanceCentsAt(l, '2026-12-31').toFixed()).toBe('0');
  });

  it('discounts contracted revenue; monthly × m at rate 0; nothing when expired or ON_DEMAND', () => {
    const l = lot({ monthlyContractedRevenue: 1000, contractExpiryDate: '2027-10-31' });
    expect(pvContractedCents(l, 0).toFixed()).toBe('1200000');
    expect(pvContractedCents({ ...l, contractExpiryDate: '2026-10-30' }, 0.1).toFixed()).toBe('0');
    expect(pvContractedCents({ ...l, contractType: 'ON_DEMAND' }, 0.1).toFixed()).toBe('0');
    // 11 whole months: the day of expiry is before the cut-off's day
    expect(pvContractedCents({ ...l, contractExpiryDate: '2027-10-30' }, 0).toFixed()).toBe('1100000');
  });

  it('agrees with the closed form in 200-digit decimals for any rate and term', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 240 }), fc.integer({ min: 1, max: 10_000_000 }), (bps, months, monthlyCents) => {
      const rate = bps / 10_000;
      // from the 1st, so `months` calendar months are `months` whole months (no month-end clamping)
      const l = lot({ reportingDate: '2026-10-01', monthlyContractedRevenue: monthlyCents / 100, contractExpiryDate: addMonths('2026-10-01', months) });
      const r = new Exact(rate).div(12);
      const closed = new Exact(monthlyCents).times(new Exact(1).minus(new Exact(1).plus(r).pow(-months))).div(r);
      expect(pvContractedCents(l, rate).minus(closed).abs().lt('1e-55')).toBe(true);
    }), { numRuns: 100 });
  });

  it('puts reportingDate and each 31 December strictly between it and the latest maturity on the path', () => {
    expect(pathDates('2026-12-31', '2028-01-01')).toEqual(['2026-12-31', '2027-12-31']);
    expect(pathDates('2026-12-31', '2027-12-31')).toEqual(['2026-12-31']);
    expect(pathDates('2026-10-31', '2026-11-30')).toEqual(['2026-10-31']);
  });
});
