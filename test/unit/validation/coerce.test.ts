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
  it('refuses more than 2 decimals on money, exponents, separators, NaN and Infinity', () => {
    expect(c('currentBalance', '1.005')).toMatchObject({ problem: { code: 'FORMAT' } });
    for (const t of ['1e5', '1,250,000.00', '$100', 'NaN', 'Infinity', '1e400', '--1']) {
      expect(c('currentBalance', t), t).toMatchObject({ problem: { code: 'TYPE' } });
    }
  });
  it('refuses more than 15 significant digits (they would not survive as exact numbers)', () => {
    expect(significantDigits('0001234.5600')).toBe(8);
    expect(c('dscr', '1.2345678901234567')).toMatchObject({ problem: { code: 'FORMAT' } });
    expect(c('dscr', '1.23456789012345')).toMatchObject({ value: 1.23456789012345 });
  });
  it('reads declared percent columns and decimal commas', () => {
    expect(c('interestRate', '5.25', { percent: true, decimalComma: false })).toMatchObject({ value: 0.0525 });
    expect(c('interestRate', '0,0525', { percent: false, decimalComma: true })).toMatchObject({ value: 0.0525 });
  });
});

describe('dates', () => {
  it('accepts real ISO dates only', () => {
    expect(c('maturityDate', '2028-02-29')).toMatchObject({ value: '2028-02-29' });
    for (const t of ['2027-02-29', '2026-13-01', '2026-1-01', '31/12/2026', '2026-04-31']) {
      expect(c('maturityDate', t), t).toMatchObject({ problem: { code: 'FORMAT', rule: expect.stringMatching(/use YYYY-MM-DD/) } });
    }
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
