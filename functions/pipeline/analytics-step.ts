/**
 * After publish, off the tape's path: the market dataset's files of a SCORED tape
 * (docs/market.md "The analytical dataset"). Streams the canonical loans validate wrote and the
 * current revision's loan results evaluate wrote, side by side (the results leave out duplicated
 * ids, as evaluation does), into the loans' Parquet file and the tape's group sums; writes both
 * under `analytics/`, then records the tape in the latest-tape index, so the market never names a
 * tape whose files are not there. Runs again safely: the same keys are overwritten with the same
 * bytes, and the index moves only forward.
 */
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import { TapeGroups } from '../core/market/tape-groups.ts';
import { requireValidated } from './step-support.ts';
import { analyticsKey, groupsKey, groupsParquet, LoanParquetBuilder, type LoanResultLine } from './loan-parquet.ts';
import type { PipelinePorts } from './ports.ts';
import { artifactKeys, type PipelineState } from './state.ts';

export async function analyticsStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, tape, validation: v } = requireValidated(input);
  const e = input.evaluation;
  const s = input.score;
  if (!e || !s) throw new Error(`analytics called before evaluate and score finished (tape ${tapeId}): the state machine or runner is wired wrongly`);
  // A scored tape always has a reportingDate (every valid loan carries it). The market dataset
  // holds loan tapes only (a compute tape's lots are not loans: docs/compute-tape.md).
  if (!v.reportingDate || v.kind !== undefined) return input;
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const at = { issuerId: tape.issuerId, dealId: tape.dealId, reportingDate: v.reportingDate, tapeId };
  const duplicates = new Set(v.duplicateLoanIdCount > 0 ? await ports.store.getJson<string[]>(keys.duplicateLoanIds) : []);

  const out = ports.store.createWriter(analyticsKey(at), { contentType: 'application/vnd.apache.parquet' });
  const parquet = new LoanParquetBuilder((bytes) => out.writeBytes(bytes), { tape: at });
  const groups = new TapeGroups(tape.issuerId);
  const results = ports.store.readLines(keys.loanResults, { gzip: true })[Symbol.asyncIterator]();
  try {
    for await (const line of ports.store.readLines(keys.loans, { gzip: true })) {
      const { row, loan } = JSON.parse(line) as { row: number; loan: DmbsLoan };
      if (duplicates.has(loan.loanId)) continue;
      const next = await results.next();
      const result = next.done ? undefined : JSON.parse(next.value) as LoanResultLine;
      if (result?.row !== row) throw new Error(`${keys.loanResults}: expected the result of row ${row}, found ${result ? `row ${result.row}` : 'the end'}: the loans and their results differ`);
      parquet.add(loan, result);
      groups.add(loan, result.eligible === true);
      if (out.needsDrain) await out.ready();
    }
    await parquet.finish();
    await out.end();
  } catch (err) {
    await out.abort();
    await results.return?.();
    throw err;
  }
  const groupsBytes = await groupsParquet(groups.rows(), at);
  const groupsOut = ports.store.createWriter(groupsKey(at), { contentType: 'application/vnd.apache.parquet' });
  groupsOut.writeBytes(groupsBytes);
  await groupsOut.end();
  await ports.tapeIndex?.record({
    ...at, uploadedAt: input.object.eventTime ?? (ports.now?.() ?? new Date()).toISOString(),
    eligibleCount: e.eligibleCount, eligibleBalance: s.eligibleBalance, dataQualityScore: v.dataQualityScore, analyticsKey: analyticsKey(at),
  });
  ports.log?.('info', 'market dataset written', { tapeId, rows: parquet.rows });
  return input;
}
