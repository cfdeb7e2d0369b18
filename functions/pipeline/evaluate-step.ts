/**
 * Step 2, evaluate: streams the canonical loans back (leaving out every loan whose id appeared on
 * more than one row), runs each through the deal's criteria into the mergeable pool aggregate,
 * writes the loan-level results (NDJSON.gz) and the aggregate's state (JSON: bounded by the
 * number of distinct tenants, facilities, markets and sponsors, not by rows). Chunks of one tape
 * evaluated apart merge into the same aggregate (docs/aws.md, "Beyond one function").
 */
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import { ConfigError, isDmbsError } from '../core/errors.ts';
import { loadCriteria, PoolAccumulator, type DealCriteria } from '../core/evaluation/index.ts';
import type { PipelinePorts } from './ports.ts';
import { artifactKeys, dealCriteriaKey, type PipelineState } from './state.ts';

/**
 * The deal's criteria: its own file at `criteria/{issuerId}/{dealId}.json` in the tapes bucket
 * merged over the defaults, or the defaults. A bad file fails the tape with CRITERIA_INVALID and
 * the JSON path of the bad value (a user error: fix the file and upload the tape again).
 */
export async function dealCriteria(tape: { issuerId: string; dealId: string }, ports: PipelinePorts): Promise<DealCriteria> {
  const key = dealCriteriaKey(tape);
  let doc: unknown;
  try {
    doc = await ports.store.getJson<unknown>(key);
  } catch (e) {
    if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') return loadCriteria();
    if (e instanceof SyntaxError) throw new ConfigError('CRITERIA_INVALID', `${key}: is not valid JSON (${e.message}); fix the deal's criteria file and upload the tape again`);
    throw e;
  }
  return loadCriteria(doc, key);
}

export async function evaluateStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, tape, validation } = requireValidated(input);
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'EVALUATING', now(), input.rescore);

  // A re-score writes its own revision's results and reads the canonical loans revision 1 stored.
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const criteria = await dealCriteria(tape, ports);
  await ports.store.putJson(keys.criteria, criteria);
  const duplicates = new Set(validation.duplicateLoanIdCount > 0 ? await ports.store.getJson<string[]>(keys.duplicateLoanIds) : []);
  const acc = new PoolAccumulator(criteria);
  const results = ports.store.createWriter(keys.loanResults, { contentType: 'application/x-ndjson', gzip: true });
  try {
    for await (const line of ports.store.readLines(keys.loans, { gzip: true })) {
      const { row, loan } = JSON.parse(line) as { row: number; loan: DmbsLoan };
      if (duplicates.has(loan.loanId)) continue;
      results.write(`${JSON.stringify({ row, ...acc.add(loan) })}\n`);
      if (results.needsDrain) await results.ready();
    }
    await results.end();
  } catch (e) {
    await results.abort();
    throw e;
  }
  await ports.store.putJson(keys.aggregate, acc.toJSON());
  const pool = acc.result();
  return {
    ...input,
    evaluation: { loansEvaluated: pool.evaluatedCount, eligibleCount: pool.eligibleCount, ineligibleCount: pool.ineligibleCount },
  };
}

/** The state after validate, or a clear internal error when a step is called out of order. */
export function requireValidated(state: PipelineState): { tapeId: string; tape: NonNullable<PipelineState['tape']>; validation: NonNullable<PipelineState['validation']> } {
  if (!state.tapeId || !state.tape || !state.validation) {
    throw new Error(`step called before validate finished (tapeId ${state.tapeId ?? 'missing'}): the state machine or runner is wired wrongly`);
  }
  return { tapeId: state.tapeId, tape: state.tape, validation: state.validation };
}
