/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` strings, exactly as the DMBS standard pins it: strict
 * validity, calendar month addition clamped to the month's last day, and whole-month counts.
 */

/** Days in a month of the proleptic Gregorian calendar (month 1-12). */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when y-m-d is a real date. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** `YYYY-MM-DD` from parts. */
export function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Parses a strict ISO date; undefined when the text is not a real `YYYY-MM-DD` date. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (year < 0 || month < 0 || day < 0 || !isCalendarDate(year, month, day)) return undefined;
  return { year, month, day };
}

function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Calendar addition of months, clamped to the month's last day (the DMBS standard: 2026-08-31 + 6 months = 2027-02-28).
 * @example addMonths('2026-01-31', 1) // '2026-02-28'
 */
export function addMonths(isoDate: string, months: number): string {
  const d = parseIsoDate(isoDate);
  if (!d) throw new RangeError(`not an ISO date: ${isoDate}`);
  const total = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  return formatIsoDate(year, month, Math.min(d.day, daysInMonth(year, month)));
}

/**
 * Whole months from `from` to `to`: 12·(y₂−y₁) + (m₂−m₁) − (d₂ < d₁ ? 1 : 0); negative when `to` is earlier.
 * @example wholeMonthsBetween('2026-10-31', '2029-10-30') // 35
 */
export function wholeMonthsBetween(from: string, to: string): number {
  // Runs several times per loan: read the parts in place, no objects (valid dates assumed, checked below).
  const ay = digits(from, 0, 4), am = digits(from, 5, 7), ad = digits(from, 8, 10);
  const by = digits(to, 0, 4), bm = digits(to, 5, 7), bd = digits(to, 8, 10);
  if (from.length !== 10 || to.length !== 10 || (ay | am | ad | by | bm | bd) < 0 || !isCalendarDate(ay, am, ad) || !isCalendarDate(by, bm, bd) ||
      from.charCodeAt(4) !== 45 || from.charCodeAt(7) !== 45 || to.charCodeAt(4) !== 45 || to.charCodeAt(7) !== 45) {
    throw new RangeError(`not ISO dates: ${from}, ${to}`);
  }
  return 12 * (by - ay) + (bm - am) - (bd < ad ? 1 : 0);
}

/** Days since 0000-03-01 of a valid ISO date (proleptic Gregorian), for differences between dates. */
function dayNumber(isoDate: string): number {
  const d = parseIsoDate(isoDate);
  if (!d) throw new RangeError(`not an ISO date: ${isoDate}`);
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const m = d.month <= 2 ? d.month + 9 : d.month - 3;
  return 365 * y + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + Math.floor((153 * m + 2) / 5) + d.day - 1;
}

/**
 * Calendar days from `from` to `to`; negative when `to` is earlier.
 * @example daysBetween('2026-10-31', '2029-10-31') // 1096
 */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}
