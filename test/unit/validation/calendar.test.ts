import { describe, expect, it } from 'vitest';
import { addMonths, daysBetween, parseIsoDate, wholeMonthsBetween } from '../../../functions/core/validation/calendar.ts';

describe('calendar (the DMBS standard, pinned definitions)', () => {
  it('adds months clamped to the month end', () => {
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-10-31', 24)).toBe('2028-10-31');
    expect(addMonths('2026-10-31', 60)).toBe('2031-10-31');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });
  it('counts whole months', () => {
    expect(wholeMonthsBetween('2026-10-31', '2029-10-30')).toBe(35);
    expect(wholeMonthsBetween('2026-10-31', '2029-10-31')).toBe(36);
    expect(wholeMonthsBetween('2026-10-31', '2026-09-30')).toBe(-2);
    expect(wholeMonthsBetween('2028-02-29', '2029-02-28')).toBe(11);
  });
  it('parses only real dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('1900-02-29')).toBeUndefined();
    expect(parseIsoDate('2000-02-29')).toBeDefined();
    expect(parseIsoDate('2024-2-29')).toBeUndefined();
  });
});

describe('daysBetween', () => {
  it('counts calendar days across month ends, leap days and centuries', () => {
    expect(daysBetween('2026-10-31', '2029-10-31')).toBe(1096); // 2028-02-29 inside
    expect(daysBetween('2026-10-31', '2027-06-30')).toBe(242);
    expect(daysBetween('2000-02-28', '2000-03-01')).toBe(2); // 2000 is a leap year
    expect(daysBetween('1900-02-28', '1900-03-01')).toBe(1); // 1900 is not
    expect(daysBetween('2027-06-30', '2026-10-31')).toBe(-242);
    expect(() => daysBetween('2026-02-30', '2026-03-01')).toThrow(RangeError);
  });
});
