/**
 * Step 2, evaluate: streams the canonical loans back (leaving out every loan whose id appeared on
 * more than one row), runs each through the deal's criteria into the mergeable pool aggregate,
 * writes the loan-level results (NDJSON.gz) and the aggregate's state (JSON: bounded by the
 * number of distinct tenants, facilities, markets and sponsors, not by rows), plus what the API
 * reads for big tapes: the loan keys compare merges (core/compare/loan-keys.ts) and the loan
 * pages a filtered page of loan results is read from (loan-pages.ts). Chunks of one tape
 * evaluated apart merge into the same aggregate (docs/aws.md, "Beyond one function").
 */
import { dealFile, requireValidated, writeLines } from './step-support.ts';
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import { LoanKeysBuilder } from '../core/compare/loan-keys.ts';
import { loadCriteria, PoolAccumulator, type DealCriteria } from '../core/evaluation/index.ts';
import { loadStressModel, loanStressFields, type StressModel } from '../core/stress/index.ts';
import { loadWatchlistCriteria, type WatchlistCriteria } from '../core/watchlist/index.ts';
import { LoanPagesBuilder } from './loan-pages.ts';
import { kindById } from '../core/kinds/registry.ts';
import { evaluateKindStep } from './evaluate-kind.ts';
import type { PipelinePorts } from './ports.ts';
import { TapeWatchlist } from './prior-tape.ts';
import { artifactKeys, dealCriteriaKey, dealStressKey, dealWatchlistKey, type PipelineState } from './state.ts';

/**
 * The deal's criteria: its own file at `criteria/{issuerId}/{dealId}.json` in the tapes bucket
 * merged over the defaults, or the defaults. A bad file fails the tape with CRITERIA_INVALID and
 * the JSON path of the bad value (a user error: fix the file and upload the tape again).
 */
export async function dealCriteria(tape: { issuerId: string; dealId: string }, ports: PipelinePorts): Promise<DealCriteria> {
  return dealFile(dealCriteriaKey(tape), ports, loadCriteria, 'CRITERIA_INVALID', "deal's criteria file");
}

/** The deal's stress model: `stress/{issuerId}/{dealId}.json` merged over the defaults, read as the criteria are (STRESS_MODEL_INVALID). */
export async function dealStressModel(tape: { issuerId: string; dealId: string }, ports: Pick<PipelinePorts, 'store'>): Promise<StressModel> {
  return dealFile(dealStressKey(tape), ports, loadStressModel, 'STRESS_MODEL_INVALID', "deal's stress model");
}

/** The deal's watchlist thresholds, from `watchlist/{issuerId}/{dealId}.json` as the criteria (WATCHLIST_CRITERIA_INVALID). */
export async function dealWatchlistCriteria(tape: { issuerId: string; dealId: string }, ports: Pick<PipelinePorts, 'store'>): Promise<WatchlistCriteria> {
  return dealFile(dealWatchlistKey(tape), ports, loadWatchlistCriteria, 'WATCHLIST_CRITERIA_INVALID', "deal's watchlist file");
}

export async function evaluateStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, tape, validation } = requireValidated(input);
  if (validation.kind !== undefined) return evaluateKindStep(input, ports, kindById(validation.kind));
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'EVALUATING', now(), input.rescore);

  // A re-score writes its own revision's results and reads the canonical loans revision 1 stored.
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const criteria = await dealCriteria(tape, ports);
  await ports.store.putJson(keys.criteria, criteria);
  const stress = await dealStressModel(tape, ports);
  await ports.store.putJson(keys.stress, stress.document);
  const watchlist = await TapeWatchlist.start(ports, tape, tapeId, validation.reportingDate, await dealWatchlistCriteria(tape, ports));
  const duplicates = new Set(validation.duplicateLoanIdCount > 0 ? await ports.store.getJson<string[]>(keys.duplicateLoanIds) : []);
  const acc = new PoolAccumulator(criteria, stress);
  const results = ports.store.createWriter(keys.loanResults, { contentType: 'application/x-ndjson', gzip: true });
  const pagesOut = ports.store.createWriter(keys.loanPages, { contentType: 'application/octet-stream' });
  const pages = new LoanPagesBuilder((block) => pagesOut.writeBytes(block));
  const watched = ports.store.createWriter(keys.watchlistLoans, { contentType: 'application/x-ndjson', gzip: true });
  // Every canonical loan, duplicates too: compare lets a duplicated id's first row stand for it.
  const loanKeys = new LoanKeysBuilder();
  let position = 0;
  try {
    for await (const line of ports.store.readLines(keys.loans, { gzip: true })) {
      const { row, loan } = JSON.parse(line) as { row: number; loan: DmbsLoan };
      loanKeys.add(loan.loanId, loan.currentBalance);
      if (duplicates.has(loan.loanId)) continue;
      const { codes, entry } = watchlist.add(row, loan);
      if (entry) watched.write(`${JSON.stringify(entry)}\n`);
      const evaluation = acc.add(loan);
      const result = { row, ...evaluation, ...loanStressFields(loan, stress, evaluation.eligible), watchlist: codes };
      // The same fields the loans route answers with, so the pages reuse the line.
      const json = JSON.stringify(result);
      results.write(`${json}\n`);
      pages.add(position++, result, json);
      if (results.needsDrain) await results.ready();
      if (pagesOut.needsDrain) await pagesOut.ready();
      if (watched.needsDrain) await watched.ready();
    }
    const index = pages.finish();
    await Promise.all([results.end(), pagesOut.end(), watched.end()]);
    await ports.store.putJson(keys.loanPagesIndex, index);
  } catch (e) {
    await Promise.all([results.abort(), pagesOut.abort(), watched.abort()]);
    throw e;
  }
  await writeLines(ports, keys.loanKeys, loanKeys.lines());
  await ports.store.putJson(keys.aggregate, acc.toJSON());
  const section = watchlist.section();
  await ports.store.putJson(keys.watchlist, watchlist.stored(section));
  const pool = acc.result();
  return {
    ...input,
    watchlist: watchlist.outcome(section),
    evaluation: { loansEvaluated: pool.evaluatedCount, eligibleCount: pool.eligibleCount, ineligibleCount: pool.ineligibleCount },
  };
}
