// G01-G09 on single lots: a pass, a fail saying why, and each limit exactly.
import { describe, expect, it } from 'vitest';
import { evaluateLot, loadComputeCriteria } from '../../../../functions/core/kinds/compute/index.ts';
import { lot } from './lots.ts';

const criteria = loadComputeCriteria();
const failures = (over: Parameters<typeof lot>[0], c = criteria) => evaluateLot(lot(over), c).failures;

describe('compute eligibility', () => {
  it('passes the default lot', () => {
    expect(evaluateLot(lot(), criteria)).toEqual({ lotId: 'L-1', eligible: true, failures: [] });
  });

  it('G01 and G02: payment status and lien', () => {
    expect(failures({ paymentStatus: 'DPD_30', lienPosition: 'SECOND' })).toEqual([
      { criterion: 'G01', reason: 'paymentStatus DPD_30 is not CURRENT' },
      { criterion: 'G02', reason: 'lienPosition SECOND is not FIRST' },
    ]);
  });

  it('G03: not energised, in service exactly at reportingDate + 6 months (clamped) passes, a day later fails', () => {
    expect(failures({ energised: false, inServiceDate: '2027-04-30' })).toEqual([]);
    expect(failures({ energised: false, inServiceDate: '2027-05-01' })).toEqual([
      { criterion: 'G03', reason: 'not energised and inServiceDate 2027-05-01 > 2027-04-30 (reportingDate + 6 months)' },
    ]);
    // clamped: 2026-08-31 + 6 months = 2027-02-28
    expect(failures({ reportingDate: '2026-08-31', energised: false, inServiceDate: '2027-02-28', contractExpiryDate: '2029-10-31' })).toEqual([]);
    expect(failures({ reportingDate: '2026-08-31', energised: false, inServiceDate: '2027-03-01' }).map((f) => f.criterion)).toEqual(['G03']);
  });

  it('G03: not energised without an inServiceDate fails; energised passes whatever the date', () => {
    expect(failures({ energised: false, inServiceDate: undefined })).toEqual([{ criterion: 'G03', reason: 'not energised and inServiceDate holds no value' }]);
    expect(failures({ energised: true, inServiceDate: '2030-01-01' })).toEqual([]);
  });

  it('G04: approved jurisdictions only', () => {
    expect(failures({ country: 'BR' })).toEqual([{ criterion: 'G04', reason: 'country BR is not an approved jurisdiction' }]);
    expect(failures({ country: 'BR' }, loadComputeCriteria({ eligibility: { G04: { countries: ['BR'] } } }))).toEqual([]);
  });

  it('G05: 36 whole months passes, 37 fails; no inServiceDate is age 0', () => {
    expect(failures({ inServiceDate: '2023-10-31' })).toEqual([]);
    expect(failures({ inServiceDate: '2023-09-30' })).toEqual([{ criterion: 'G05', reason: 'hardware age 37 months > 36' }]);
    // one day short of 37 months is still 36 whole months
    expect(failures({ inServiceDate: '2023-10-01' })).toEqual([]);
    expect(failures({ energised: false, inServiceDate: undefined }).map((f) => f.criterion)).toEqual(['G03']);
  });

  it('G06: expiry exactly maturity − 12 months passes, a day earlier fails (calendar, clamped)', () => {
    expect(failures({ maturityDate: '2029-10-31', contractExpiryDate: '2028-10-31' })).toEqual([]);
    expect(failures({ maturityDate: '2029-10-31', contractExpiryDate: '2028-10-30' })).toEqual([
      { criterion: 'G06', reason: 'contractExpiryDate 2028-10-30 < 2028-10-31 (maturityDate − 12 months)' },
    ]);
    // 2029-02-28 − 12 months = 2028-02-28 (not the 29th): the leap day passes
    expect(failures({ maturityDate: '2029-02-28', contractExpiryDate: '2028-02-28' })).toEqual([]);
    expect(failures({ maturityDate: '2028-02-29', contractExpiryDate: '2027-02-28' })).toEqual([]);
    expect(failures({ maturityDate: '2028-02-29', contractExpiryDate: '2027-02-27' }).map((f) => f.criterion)).toEqual(['G06']);
  });

  it('G07: CCC+ and below fail, B- passes, an investment-grade guarantor cures, a sub-IG one does not', () => {
    expect(failures({ customerRating: 'B-' })).toEqual([]);
    expect(failures({ customerRating: 'CCC+' })).toEqual([{ criterion: 'G07', reason: 'customerRating CCC+ is below the floor and no guarantorRating' }]);
    expect(failures({ customerRating: 'D', guarantorRating: 'BBB-' })).toEqual([]);
    expect(failures({ customerRating: 'CCC', guarantorRating: 'BB+' })).toEqual([
      { criterion: 'G07', reason: 'customerRating CCC is below the floor and guarantorRating BB+ does not cure it' },
    ]);
    const noCure = loadComputeCriteria({ eligibility: { G07: { guarantorRatings: [] } } });
    expect(failures({ customerRating: 'CCC', guarantorRating: 'AAA' }, noCure).map((f) => f.criterion)).toEqual(['G07']);
    // NR is not below the floor (it counts in K02 instead)
    expect(failures({ customerRating: 'NR' })).toEqual([]);
  });

  it('G08: the deal currency', () => {
    expect(failures({ currency: 'EUR' })).toEqual([{ criterion: 'G08', reason: 'currency EUR is not the deal currency USD' }]);
  });

  it('G09: zero balance, or maturity on reportingDate, fails', () => {
    expect(failures({ currentBalance: 0 })).toEqual([{ criterion: 'G09', reason: 'currentBalance is 0' }]);
    expect(failures({ maturityDate: '2026-10-31', contractExpiryDate: '2026-10-31' })).toEqual([
      { criterion: 'G09', reason: 'maturityDate 2026-10-31 is not after reportingDate 2026-10-31' },
    ]);
    expect(failures({ maturityDate: '2026-11-01', contractExpiryDate: '2026-11-01' })).toEqual([]);
  });

  it('skips criteria the deal switched off', () => {
    const off = loadComputeCriteria({ eligibility: { G01: { enabled: false } } });
    expect(failures({ paymentStatus: 'DEFAULT' }, off)).toEqual([]);
  });
});
