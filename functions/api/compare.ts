/**
 * Compares two scored tape versions of one deal (the domain is core/compare): the reports'
 * figures, and the loans added, removed and with a changed balance. Tapes scored with loan keys
 * (core/compare/loan-keys.ts) are merged from them (memory: the listed loans); when either tape
 * predates them, both tapes' canonical loans are streamed as before (memory: one entry per loan
 * of the older tape). Both routes answer the same.
 */
import type { TapeRecord } from '../pipeline/result-records.ts';
import { gunzipped, splitLineBatches } from '../pipeline/line-streams.ts';
import { compareReports, decodeLoanKeys, diffLoans, diffSortedLoans, type LoanBalanceSource, type LoanDiff } from '../core/compare/index.ts';
import type { DmbsReport } from '../core/generated/report.ts';
import type { Comparison, TapeRef } from './generated/api.ts';
import type { ArtifactReader } from './ports.ts';

type ScoredTape = TapeRecord & { readonly artifacts: NonNullable<TapeRecord['artifacts']> };

async function* canonicalLoans(artifacts: ArtifactReader, key: string): AsyncGenerator<LoanBalanceSource> {
  for await (const line of artifacts.readLines(key, { gzip: true })) yield (JSON.parse(line) as { loan: LoanBalanceSource }).loan;
}

/** A gzip text artifact's lines, a batch per chunk. */
async function* lineBatches(artifacts: ArtifactReader, key: string): AsyncGenerator<string[]> {
  yield* splitLineBatches(gunzipped(await artifacts.open({ key })));
}

function ref(tape: TapeRecord, report: DmbsReport): TapeRef {
  return { tapeId: tape.tapeId, fileName: tape.fileName ?? '', uploadedAt: tape.uploadedAt, reportingDate: report.tape.reportingDate ?? null };
}

/** The loan diff: merged from both tapes' loan keys when both have them, else from their canonical loans. */
export function diffTapeLoans(artifacts: ArtifactReader, from: ScoredTape, to: ScoredTape, listLimit: number): Promise<LoanDiff> {
  const a = from.artifacts.loanKeys;
  const b = to.artifacts.loanKeys;
  if (a && b) {
    return diffSortedLoans(decodeLoanKeys(lineBatches(artifacts, a)), decodeLoanKeys(lineBatches(artifacts, b)), listLimit);
  }
  return diffLoans(canonicalLoans(artifacts, from.artifacts.loans), canonicalLoans(artifacts, to.artifacts.loans), listLimit);
}

/**
 * @example const diff = await compareTapes(artifacts, older, newer, { listLimit: 100 });
 */
export async function compareTapes(artifacts: ArtifactReader, from: ScoredTape, to: ScoredTape, options: { listLimit: number }): Promise<Comparison> {
  const [fromReport, toReport, loans] = await Promise.all([
    artifacts.getJson<DmbsReport>(from.artifacts.report),
    artifacts.getJson<DmbsReport>(to.artifacts.report),
    diffTapeLoans(artifacts, from, to, options.listLimit),
  ]);
  const reports = compareReports(fromReport, toReport);
  return {
    issuerId: to.issuerId ?? '',
    dealId: to.dealId ?? '',
    from: ref(from, fromReport),
    to: ref(to, toReport),
    loans,
    dataQualityScore: reports.dataQualityScore,
    pool: reports.pool,
    eligibility: reports.eligibility,
    tests: reports.tests,
    score: reports.score,
  };
}
