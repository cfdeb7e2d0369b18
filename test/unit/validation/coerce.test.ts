import { describe, expect, it } from 'vitest';
import { coerceCell, significantDigits } from '../../../functions/core/validation/coerce.ts';
import { compileDatePattern, type ColumnOptions } from '../../../functions/core/mapping/column-mapping.ts';
import { fieldSpec } from '../../../functions/core/schema/loan-tape-schema.ts';
import type { LoanField } from '../../../functions/core/schema/loan-tape-schema.ts';

const PLAIN: ColumnOptions = { percent: false, decimalComma: false };
const c = (field: LoanField, text: string, options: ColumnOptions = PLAIN) => coerceCell(fieldSpec(field), text, options);

describe('no-data codes', () => {
  it('reads ND1..ND5 on optional fields, ND4-YYYY-MM-DD as ND4', () => {
    expect(c('pue', 'ND1')).toEqual({ kind: 'nd', code: 'ND1', caseNormalised: false });
    expect(c('pue', 'ND4-2027-01-31')).toMatchObject({ kind: 'nd', code: 'ND4' });
    expect(c('pue', 'nd5')).toEqual({ kind: 'nd', code: 'ND5', caseNormalised: true });
  });
  it('refuses them on required fields and ND6 is not a code', () => {
    expect(c('currentBalance', 'ND2')).toMatchObject({ kind: 'problem', problem: { code: 'ND_NOT_ALLOWED' } });
    expect(c('pue', 'ND6')).toMatchObject({ kind: 'problem', problem: { code: 'TYPE' } });
    expect(c('pue', 'ND1-2027-01-01')).toMatchObject({ kind: 'problem', problem: { code: 'FORMAT' } });
  });
});

describe('money and decimals', () => {
  it('reads decimal text exactly, -0 as 0', () => {
    expect(c('currentBalance', '1250000.10')).toMatchObject({ value: 1250000.1 });
    expect(c('currentBalance', '-0')).toMatchObject({ value: 0 });
    expect(Object.is((c('currentBalance', '-0') as { value: number }).value, 0)).toBe(true);
    expect(c('dscr', '.5')).toMatchObject({ value: 0.5 });
  });
  it('refuses exponents, separators, NaN and Infinity', () => {
    for (const t of ['1e5', '1,250,000.00', '$100', 'NaN', 'Infinity', '1e400', '--1']) {
      expect(c('currentBalance', t), t).toMatchObject({ problem: { code: 'TYPE' } });
    }
  });
  it('PRECISION: money with more than 2 decimals is read rounded half-even to cents, with a warning', () => {
    expect(c('currentBalance', '1.005')).toEqual({ kind: 'value', value: 1, caseNormalised: false,
      rounded: { code: 'PRECISION', rule: 'has more than 2 decimals; read as 1.00 (rounded half-even, money to cents); write at most 2 decimals and 15 significant digits' } });
    expect(c('currentBalance', '1.015')).toMatchObject({ value: 1.02, rounded: { code: 'PRECISION' } });
    expect(c('currentBalance', '1250000.125')).toMatchObject({ value: 1250000.12 });
    expect(c('currentBalance', '-0.001')).toMatchObject({ value: 0 });
    expect(Object.is((c('currentBalance', '-0.001') as { value: number }).value, 0)).toBe(true);
    // nothing rounded away: no warning
    expect(c('currentBalance', '100.000')).toEqual({ kind: 'value', value: 100, caseNormalised: false });
  });
  it('PRECISION: more than 15 significant digits are read rounded half-even to 15, with a warning', () => {
    expect(significantDigits('0001234.5600')).toBe(8);
    expect(c('dscr', '0.7999999999999999')).toMatchObject({ value: 0.8, rounded: { code: 'PRECISION', rule: expect.stringMatching(/^has more than 15 significant digits; read as 0.8 \(rounded half-even\); write at most 15 significant digits$/) } });
    expect(c('dscr', '1.2345678901234567')).toMatchObject({ value: 1.23456789012346, rounded: { code: 'PRECISION' } });
    expect(c('dscr', '1.234567890123445')).toMatchObject({ value: 1.23456789012344 }); // half-even: ...44|5 -> ...44
    expect(c('dscr', '1.23456789012345')).toEqual({ kind: 'value', value: 1.23456789012345, caseNormalised: false });
    expect(c('dscr', '1.50000000000000000')).toEqual({ kind: 'value', value: 1.5, caseNormalised: false });
    expect(c('interestRate', '5.2500000000000001', { percent: true, decimalComma: false })).toMatchObject({ value: 0.0525, rounded: { code: 'PRECISION' } });
    expect(c('dscr', '1,2345678901234567', { percent: false, decimalComma: true })).toMatchObject({ value: 1.23456789012346 });
  });
  it('underflowing or overflowing number text is a finding, never a value of 0 or infinity', () => {
    const tiny = `0.${'0'.repeat(400)}1`;
    expect(c('dscr', tiny)).toMatchObject({ kind: 'problem', problem: { code: 'TYPE', rule: expect.stringMatching(/too close to 0/) } });
    expect(c('dscr', `${tiny}2345678901234567`)).toMatchObject({ kind: 'problem', problem: { code: 'TYPE', rule: expect.stringMatching(/too close to 0/) } });
    expect(c('currentBalance', '1e-400')).toMatchObject({ problem: { code: 'TYPE', rule: expect.stringMatching(/too close to 0/) } });
    expect(c('currentBalance', '1e400')).toMatchObject({ problem: { code: 'TYPE', rule: expect.stringMatching(/too large/) } });
    expect(c('itCapacityMw', `1${'0'.repeat(400)}`)).toMatchObject({ problem: { code: 'TYPE', rule: expect.stringMatching(/too large/) } });
    expect(c('dscr', '0e-400')).toMatchObject({ problem: { code: 'TYPE', rule: expect.stringMatching(/exponents/) } });
    expect(c('currentBalance', tiny)).toMatchObject({ value: 0, rounded: { code: 'PRECISION' } }); // rounded to cents, not underflowed
  });
  it('reads declared percent columns and decimal commas', () => {
    expect(c('interestRate', '5.25', { percent: true, decimalComma: false })).toMatchObject({ value: 0.0525 });
    expect(c('interestRate', '0,0525', { percent: false, decimalComma: true })).toMatchObject({ value: 0.0525 });
  });
});

describe('dates', () => {
  it('accepts real ISO dates only', () => {
    expect(c('maturityDate', '2028-02-29')).toMatchObject({ value: '2028-02-29' });
    for (const t of ['2026-1-01', '31/12/2026', '2026-10-31T00:00']) {
      expect(c('maturityDate', t), t).toMatchObject({ problem: { code: 'FORMAT', rule: 'is not a date; use YYYY-MM-DD' } });
    }
  });
  it('an impossible date says which part is impossible', () => {
    const rule = (t: string) => (c('maturityDate', t) as { problem: { rule: string } }).problem.rule;
    expect(rule('2030-13-01')).toBe('is not a calendar date: there is no month 13; check the date');
    expect(rule('2030-00-10')).toBe('is not a calendar date: there is no month 0; check the date');
    expect(rule('2031-02-30')).toBe('is not a calendar date: there is no day 30 in February 2031 (it has 28 days); check the date');
    expect(rule('2027-02-29')).toBe('is not a calendar date: there is no day 29 in February 2027 (2027 is not a leap year); check the date');
    expect(rule('2026-04-31')).toBe('is not a calendar date: there is no day 31 in April 2026 (it has 30 days); check the date');
    expect(rule('2026-04-00')).toBe('is not a calendar date: there is no day 0; check the date');
    expect(rule('0000-01-01')).toBe('is not a calendar date: there is no year 0; check the date');
    expect(c('maturityDate', '02-30-2030', { ...PLAIN, datePattern: compileDatePattern('MM-DD-YYYY') }))
      .toMatchObject({ problem: { rule: 'is not a calendar date: there is no day 30 in February 2030 (it has 28 days); check the date' } });
  });
  it('reads declared patterns (Schedule AL MM-DD-YYYY, IRP YYYYMMDD)', () => {
    expect(c('maturityDate', '02-28-2030', { ...PLAIN, datePattern: compileDatePattern('MM-DD-YYYY') })).toMatchObject({ value: '2030-02-28' });
    expect(c('maturityDate', '20300228', { ...PLAIN, datePattern: compileDatePattern('YYYYMMDD') })).toMatchObject({ value: '2030-02-28' });
    expect(c('maturityDate', '02-30-2030', { ...PLAIN, datePattern: compileDatePattern('MM-DD-YYYY') })).toMatchObject({ problem: { code: 'FORMAT' } });
  });
});

describe('codes, booleans, integers', () => {
  it('matches codes ignoring case, with a warning', () => {
    expect(c('paymentStatus', 'CURRENT')).toEqual({ kind: 'value', value: 'CURRENT', caseNormalised: false });
    expect(c('paymentStatus', 'Current')).toEqual({ kind: 'value', value: 'CURRENT', caseNormalised: true });
    expect(c('paymentStatus', 'LATE')).toMatchObject({ problem: { code: 'ENUM' } });
    expect(c('region', 'us-va')).toEqual({ kind: 'value', value: 'US-VA', caseNormalised: true });
  });
  it('applies a mapping value map first (Schedule AL 0 -> CURRENT)', () => {
    expect(c('paymentStatus', '0', { ...PLAIN, values: new Map([['0', 'CURRENT']]) })).toMatchObject({ value: 'CURRENT', caseNormalised: false });
  });
  it('reads booleans in any case and nothing else', () => {
    for (const [t, v] of [['TRUE', true], ['no', false], ['1', true], ['0', false], ['Yes', true]] as const) expect(c('offBalanceSheet', t)).toMatchObject({ value: v });
    for (const t of ['y', '__proto__', 'constructor', '2']) expect(c('offBalanceSheet', t), t).toMatchObject({ problem: { code: 'TYPE' } });
  });
  it('reads whole numbers only', () => {
    expect(c('tenantCount', '3')).toMatchObject({ value: 3 });
    expect(c('tenantCount', '3.5')).toMatchObject({ problem: { code: 'TYPE' } });
    expect(c('tenantCount', '99999999999999999999')).toMatchObject({ problem: { code: 'TYPE' } });
  });
  it('treats an empty cell as blank', () => expect(c('pue', '')).toEqual({ kind: 'blank' }));
});
