/**
 * Monthly versions of one demo deal in which the same loans evolve, so the compare view (and the
 * surveillance views to come) show something real: balances amortise, a few loans leave and a few
 * join, and some loans get planted events a reviewer watches for (coverage falling, a missed
 * payment, a tenant downgrade, construction slipping, debt back on a tenant's balance sheet).
 * Deterministic by seed. Rows stay valid: the ratios the standard recomputes are recomputed.
 */
import { addMonths } from '../core/validation/calendar.ts';
import { generateTape, rng, type GeneratedRow } from './tape-generator.ts';

const SCALE = ['AAA', 'AA+', 'AA', 'AA-', 'A+', 'A', 'A-', 'BBB+', 'BBB', 'BBB-', 'BB+', 'BB', 'BB-', 'B+', 'B', 'B-', 'CCC+', 'CCC', 'CCC-', 'CC', 'C', 'D'];

/** Options of {@link monthlyVersions}. */
export interface DemoHistory {
  readonly rows: number;
  readonly seed: number;
  readonly dealId: string;
  /** One tape per reporting date, oldest first. */
  readonly reportingDates: readonly string[];
  /** Share of the first tape's rows with a planted defect, carried into later tapes as issuers' data problems are. */
  readonly brokenShare?: number;
}

const MONEY = /^\d+(\.\d{1,2})?$/;
const isMoney = (text: string | undefined): text is string => text !== undefined && MONEY.test(text);

/** Money text times a factor, in whole cents (half up: demo data only). */
function scaleMoney(text: string, numerator: bigint, denominator: bigint): string {
  const [int = '0', dec = ''] = text.split('.');
  const cents = BigInt(int) * 100n + BigInt((dec + '00').slice(0, 2));
  const scaled = (cents * numerator * 2n + denominator) / (denominator * 2n);
  return `${scaled / 100n}.${String(scaled % 100n).padStart(2, '0')}`;
}

const ratio = (a: string, b: string) => (Number(b) === 0 ? '0' : (Number(a) / Number(b)).toFixed(4));

/** The deal's tapes, one per reporting date: the first generated, each next one evolved from it. */
export function monthlyVersions(history: DemoHistory): GeneratedRow[][] {
  const random = rng(history.seed * 7919);
  const [first, ...later] = history.reportingDates;
  if (first === undefined) return [];
  let current = generateTape({ rows: history.rows, seed: history.seed, reportingDate: first, dealId: history.dealId, brokenShare: history.brokenShare ?? 0 }).rows;
  const versions = [current];
  later.forEach((reportingDate, k) => {
    const kept = current.filter(() => random() >= 0.02).map((row) => amortised({ ...row, reportingDate }));
    const joining = generateTape({ rows: Math.max(1, Math.round(history.rows * 0.02)), seed: history.seed * 100 + k + 1, reportingDate, dealId: history.dealId }).rows
      .map((row, i) => ({ ...row, loanId: `${row.loanId.slice(0, 6)}-N${k + 1}-${String(i + 1).padStart(3, '0')}` }));
    plantEvents(kept, random);
    current = [...kept, ...joining];
    versions.push(current);
  });
  return versions;
}

function amortised(row: GeneratedRow): GeneratedRow {
  if (!isMoney(row.currentBalance) || !isMoney(row.appraisedValue)) return row; // a planted defect stays as it is
  const currentBalance = scaleMoney(row.currentBalance, 996n, 1000n);
  return { ...row, currentBalance, ltv: ratio(currentBalance, row.appraisedValue) };
}

/** A few loans a month get an event the watchlist codes look for. */
function plantEvents(rows: GeneratedRow[], random: () => number): void {
  const pick = (ok: (r: GeneratedRow) => boolean) => {
    const candidates = rows.filter(ok);
    return candidates.length === 0 ? undefined : candidates[Math.floor(random() * candidates.length)];
  };
  for (let n = Math.max(1, Math.round(rows.length * 0.01)); n > 0; n--) {
    const r = pick((x) => x.paymentStatus === 'CURRENT' && isMoney(x.underwrittenNcf) && isMoney(x.underwrittenNoi) && isMoney(x.annualDebtService));
    if (!r) break;
    // Coverage falls by a quarter (the reported ratio follows the cash flow).
    r.underwrittenNcf = scaleMoney(r.underwrittenNcf, 3n, 4n);
    r.underwrittenNoi = scaleMoney(r.underwrittenNoi, 3n, 4n);
    r.dscr = ratio(r.underwrittenNcf, r.annualDebtService);
  }
  const late = pick((x) => x.paymentStatus === 'CURRENT');
  if (late) late.paymentStatus = 'DPD_30';
  const downgraded = pick((x) => SCALE.indexOf(x.largestTenantRating) >= 0 && SCALE.indexOf(x.largestTenantRating) <= SCALE.length - 3);
  if (downgraded) downgraded.largestTenantRating = SCALE[SCALE.indexOf(downgraded.largestTenantRating) + 2]!;
  const slipping = pick((x) => /^\d{4}-\d{2}-\d{2}$/.test(x.expectedCompletionDate ?? ''));
  if (slipping) slipping.expectedCompletionDate = addMonths(slipping.expectedCompletionDate, 4);
  const onBalanceSheet = pick((x) => x.offBalanceSheet === 'true');
  if (onBalanceSheet) onBalanceSheet.offBalanceSheet = 'false';
}
