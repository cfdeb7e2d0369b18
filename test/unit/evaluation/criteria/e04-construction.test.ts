import { describe, expect, it } from 'vitest';
import { e04 } from '../../../../functions/core/evaluation/criteria/e04-construction.ts';
import { loadCriteria } from '../../../../functions/core/evaluation/criteria.ts';
import { loan } from '../loans.ts';
import { expectFailure, expectSwitchedOff, outcome } from './check.ts';

// reportingDate 2026-10-31: + 24 months = 2028-10-31. itCapacityMw 60: 75 % = 45 MW.
const building = (over: Parameters<typeof loan>[0] = {}) =>
  loan({ constructionStatus: 'UNDER_CONSTRUCTION', expectedCompletionDate: '2028-10-31', leasedMw: 45, ...over });

describe('E04 operational, or completing within 24 months and at least 75 % leased', () => {
  it('does not apply to an OPERATIONAL facility', () => {
    expect(outcome(e04, loan({ leasedMw: 1 }))).toEqual({ status: 'n/a', reason: 'facility is OPERATIONAL' });
  });

  it('passes construction completing exactly at reportingDate + 24 months and exactly 75 % leased', () => {
    expect(outcome(e04, building())).toEqual({ status: 'pass' });
    expect(outcome(e04, building({ constructionStatus: 'COMMISSIONING' }))).toEqual({ status: 'pass' });
  });

  it('fails completion one day late', () => {
    expectFailure(e04, building({ expectedCompletionDate: '2028-11-01' }), 'expectedCompletionDate 2028-11-01 > 2028-10-31 (reportingDate + 24 months)');
  });

  it('fails a facility less than 75 % leased (45.6 / 61 = 0.747541)', () => {
    expectFailure(e04, building({ itCapacityMw: 61, leasedMw: 45.6 }), 'leasedMw / itCapacityMw 0.747541 < 0.75');
  });

  it('says every reason at once', () => {
    expectFailure(e04, building({ expectedCompletionDate: '2029-01-15', leasedMw: 30 }),
      'expectedCompletionDate 2029-01-15 > 2028-10-31 (reportingDate + 24 months); leasedMw / itCapacityMw 0.50 < 0.75');
  });

  it('fails a PLANNED facility whatever its dates', () => {
    expectFailure(e04, building({ constructionStatus: 'PLANNED' }), 'constructionStatus PLANNED is not one of OPERATIONAL, UNDER_CONSTRUCTION, COMMISSIONING');
  });

  it('clamps to the month\'s last day: Jan 31 + 1 month = Feb 28', () => {
    const oneMonth = loadCriteria({ eligibility: { E04: { maxMonthsToCompletion: 1 } } });
    const jan31 = (date: string) => building({ reportingDate: '2027-01-31', expectedCompletionDate: date });
    expect(outcome(e04, jan31('2027-02-28'), oneMonth)).toEqual({ status: 'pass' });
    expectFailure(e04, jan31('2027-03-01'), 'expectedCompletionDate 2027-03-01 > 2027-02-28 (reportingDate + 1 months)', oneMonth);
  });

  it('counts leap days: Jan 31 2028 + 1 month = Feb 29, Feb 29 2028 + 24 months = Feb 28 2030', () => {
    const oneMonth = loadCriteria({ eligibility: { E04: { maxMonthsToCompletion: 1 } } });
    expect(outcome(e04, building({ reportingDate: '2028-01-31', expectedCompletionDate: '2028-02-29' }), oneMonth)).toEqual({ status: 'pass' });
    expect(outcome(e04, building({ reportingDate: '2028-02-29', expectedCompletionDate: '2030-02-28' }))).toEqual({ status: 'pass' });
    expectFailure(e04, building({ reportingDate: '2028-02-29', expectedCompletionDate: '2030-03-01' }),
      'expectedCompletionDate 2030-03-01 > 2030-02-28 (reportingDate + 24 months)');
  });

  it('follows the deal\'s statuses: with none listed, only OPERATIONAL qualifies', () => {
    const deal = loadCriteria({ eligibility: { E04: { constructionStatuses: [] } } });
    expectFailure(e04, building(), 'constructionStatus UNDER_CONSTRUCTION is not OPERATIONAL', deal);
  });

  it('does not apply when switched off', () => expectSwitchedOff(e04, building({ constructionStatus: 'PLANNED' })));
});
