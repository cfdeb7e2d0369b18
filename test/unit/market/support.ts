/** Small analytics datasets for the market tests: typed loans, a tape's Parquet file on disk, the index entry. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DmbsLoan } from '../../../functions/core/generated/loan-tape.ts';
import { loan } from '../evaluation/loans.ts';
import type { IndexedTape } from '../../../functions/market/ports.ts';
import { TapeGroups } from '../../../functions/core/market/tape-groups.ts';
import { ANALYTICS_ROOT, analyticsKey, groupsKey, groupsParquet, LoanParquetBuilder } from '../../../functions/pipeline/loan-parquet.ts';

export interface TapeSpec {
  readonly issuerId: string;
  readonly dealId: string;
  readonly tapeId: string;
  readonly reportingDate: string;
  readonly uploadedAt?: string;
  readonly dataQualityScore?: string;
  /** Loans in row order; `eligible: false` gives the loan an E05 failure. */
  readonly loans: ReadonlyArray<Partial<DmbsLoan> & { eligible?: boolean }>;
}

/** Parquet bytes of a tape's loans, and of its group sums. */
export async function parquetOf(spec: TapeSpec): Promise<{ loans: Uint8Array; groups: Uint8Array }> {
  const parts: Uint8Array[] = [];
  // As the analytics step writes it: the path values are columns of the file too (Athena reads them there).
  const pq = new LoanParquetBuilder((b) => parts.push(b), { rowGroupRows: 3, tape: spec });
  const groups = new TapeGroups(spec.issuerId);
  spec.loans.forEach(({ eligible = true, ...fields }, i) => {
    const l = loan({ loanId: `L-${i + 1}`, reportingDate: spec.reportingDate, ...fields });
    pq.add(l, { row: i + 2, loanId: l.loanId, eligible, failures: eligible ? [] : [{ criterion: 'E05', reason: 'dscr 1.00 < 1.20' }] });
    groups.add(l, eligible);
  });
  await pq.finish();
  return { loans: Buffer.concat(parts), groups: await groupsParquet(groups.rows(), spec) };
}

/** Writes the tape's two files under `root` (laid out as the bucket's analytics/) and returns its index entry. */
export async function writeTape(root: string, spec: TapeSpec): Promise<IndexedTape> {
  const key = analyticsKey(spec);
  const bytes = await parquetOf(spec);
  for (const [k, b] of [[key, bytes.loans], [groupsKey(spec), bytes.groups]] as const) {
    const path = join(root, k.slice(ANALYTICS_ROOT.length));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, b);
  }
  let cents = 0n;
  let count = 0;
  for (const l of spec.loans) {
    if (l.eligible === false) continue;
    count++;
    cents += BigInt(Math.round((l.currentBalance ?? 90000000) * 100));
  }
  return {
    issuerId: spec.issuerId, dealId: spec.dealId, tapeId: spec.tapeId, reportingDate: spec.reportingDate,
    uploadedAt: spec.uploadedAt ?? `${spec.reportingDate}T12:00:00.000Z`, eligibleCount: count,
    eligibleBalance: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`, dataQualityScore: spec.dataQualityScore ?? '95.00', analyticsKey: key,
  };
}
