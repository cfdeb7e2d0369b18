/**
 * Compares two scored tape versions of one deal: loans added, removed and with a changed
 * balance (streamed from each tape's canonical loans; memory: one entry per loan of the older
 * tape), and the report's pool figures, eligibility, test results and score before and after.
 * Differences are exact (decimal.js, balances in integer cents).
 */
import { Decimal } from 'decimal.js';
import type { TapeRecord } from '../aws/results-repository.ts';
import type { DmbsReport } from '../core/generated/report.ts';
import type { Comparison, FigureChange, TapeRef, TestOutcome } from './generated/api.ts';
import type { ArtifactReader } from './ports.ts';

type ScoredTape = TapeRecord & { readonly artifacts: NonNullable<TapeRecord['artifacts']> };

/** Money as cents; same rounding as the evaluation (functions/core/evaluation/exact.ts). */
const toCents = (amount: unknown): bigint => {
  if (typeof amount === 'number' && Number.isFinite(amount)) return BigInt(Math.round(amount * 100));
  if (typeof amount === 'string' && /^-?\d+(\.\d{1,2})?$/.test(amount)) return BigInt(new Decimal(amount).times(100).toFixed(0));
  return 0n;
};
const money = (cents: bigint): string => {
  const sign = cents < 0n ? '-' : '';
  const a = cents < 0n ? -cents : cents;
  return `${sign}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
};

async function loanBalances(artifacts: ArtifactReader, key: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for await (const line of artifacts.readLines(key, { gzip: true })) {
    const { loan } = JSON.parse(line) as { loan: { loanId: string; currentBalance: unknown } };
    // A loan id on several rows is excluded from evaluation; the first row stands for it here.
    if (!out.has(loan.loanId)) out.set(loan.loanId, toCents(loan.currentBalance));
  }
  return out;
}

function figure(name: string, from: string | number | null | undefined, to: string | number | null | undefined): FigureChange {
  const f = from ?? null;
  const t = to ?? null;
  let change: string | number | null = null;
  if (typeof f === 'number' && typeof t === 'number') change = t - f;
  else if (f !== null && t !== null) {
    try {
      const d = new Decimal(String(t)).minus(new Decimal(String(f)));
      const places = Math.max(decimals(String(f)), decimals(String(t)));
      change = d.toFixed(places);
    } catch {
      change = null;
    }
  }
  return { name, from: f, to: t, change };
}

const decimals = (text: string) => (text.includes('.') ? text.length - text.indexOf('.') - 1 : 0);

function ref(tape: TapeRecord, report: DmbsReport): TapeRef {
  return { tapeId: tape.tapeId, fileName: tape.fileName ?? '', uploadedAt: tape.uploadedAt, reportingDate: report.tape.reportingDate ?? null };
}

/**
 * @example const diff = await compareTapes(artifacts, older, newer, { listLimit: 100 });
 */
export async function compareTapes(artifacts: ArtifactReader, from: ScoredTape, to: ScoredTape, options: { listLimit: number }): Promise<Comparison> {
  const [fromReport, toReport] = await Promise.all([
    artifacts.getJson<DmbsReport>(from.artifacts.report),
    artifacts.getJson<DmbsReport>(to.artifacts.report),
  ]);
  const before = await loanBalances(artifacts, from.artifacts.loans);
  const limit = options.listLimit;
  const added: Comparison['loans']['added'] = [];
  const changed: Comparison['loans']['changed'] = [];
  const counts = { from: before.size, to: 0, added: 0, removed: 0, changedBalance: 0, unchanged: 0 };
  const seen = new Set<string>();
  for await (const line of artifacts.readLines(to.artifacts.loans, { gzip: true })) {
    const { loan } = JSON.parse(line) as { loan: { loanId: string; currentBalance: unknown } };
    if (seen.has(loan.loanId)) continue;
    seen.add(loan.loanId);
    counts.to++;
    const balance = toCents(loan.currentBalance);
    const old = before.get(loan.loanId);
    if (old === undefined) {
      counts.added++;
      if (added.length < limit) added.push({ loanId: loan.loanId, currentBalance: money(balance) });
    } else {
      before.delete(loan.loanId);
      if (old === balance) counts.unchanged++;
      else {
        counts.changedBalance++;
        if (changed.length < limit) changed.push({ loanId: loan.loanId, from: money(old), to: money(balance), change: money(balance - old) });
      }
    }
  }
  counts.removed = before.size;
  const removed = [...before].slice(0, limit).map(([loanId, cents]) => ({ loanId, currentBalance: money(cents) }));

  const poolNames = [...new Set([...Object.keys(fromReport.pool ?? {}), ...Object.keys(toReport.pool ?? {})])].filter((k) => k !== 'reason');
  const poolValue = (r: DmbsReport, k: string) => (r.pool as Record<string, string | number | null> | undefined)?.[k] ?? null;

  const fe = fromReport.eligibility;
  const te = toReport.eligibility;
  const criteria = [...new Set([...Object.keys(fe?.failuresByCriterion ?? {}), ...Object.keys(te?.failuresByCriterion ?? {})])].sort();
  const eligibility: FigureChange[] = [
    figure('eligibleCount', fe?.eligibleCount, te?.eligibleCount),
    figure('ineligibleCount', fe?.ineligibleCount, te?.ineligibleCount),
    figure('eligibleBalance', fe?.eligibleBalance, te?.eligibleBalance),
    ...criteria.map((c) => figure(`failures.${c}`, fe?.failuresByCriterion[c], te?.failuresByCriterion[c])),
  ];

  const outcome = (r: DmbsReport, id: string): TestOutcome => {
    const t = r.concentrations?.find((c) => c.id === id);
    return t ? { actual: t.actual, pass: t.pass, headroom: t.headroom } : null;
  };
  const testIds = [...new Set([...(fromReport.concentrations ?? []), ...(toReport.concentrations ?? [])].map((t) => t.id))].sort();
  const tests = testIds.map((id) => {
    const def = toReport.concentrations?.find((t) => t.id === id) ?? fromReport.concentrations?.find((t) => t.id === id);
    return {
      id,
      description: def?.description ?? id,
      limit: def?.limit ?? '',
      limitType: def?.limitType ?? 'max',
      ...(def?.unit ? { unit: def.unit } : {}),
      from: outcome(fromReport, id),
      to: outcome(toReport, id),
    };
  });
  const score = (r: DmbsReport) => (r.score ? { points: r.score.points, band: r.score.band } : null);

  return {
    issuerId: to.issuerId ?? '',
    dealId: to.dealId ?? '',
    from: ref(from, fromReport),
    to: ref(to, toReport),
    loans: {
      counts,
      added,
      removed,
      changed,
      truncated: added.length < counts.added || removed.length < counts.removed || changed.length < counts.changedBalance,
      listLimit: limit,
    },
    dataQualityScore: figure('dataQualityScore', fromReport.validation.dataQualityScore, toReport.validation.dataQualityScore),
    pool: poolNames.map((k) => figure(k, poolValue(fromReport, k), poolValue(toReport, k))),
    eligibility,
    tests,
    score: { from: score(fromReport), to: score(toReport), points: figure('points', fromReport.score?.points, toReport.score?.points) },
  };
}
