/**
 * Step 2, evaluate: streams the canonical loans back (leaving out every loan whose id appeared on
 * more than one row), runs each through the deal's criteria into the mergeable pool aggregate,
 * writes the loan-level results (NDJSON.gz) and the aggregate's state (JSON: bounded by the
 * number of distinct tenants, facilities, markets and sponsors, not by rows). Chunks of one tape
 * evaluated apart merge into the same aggregate (docs/aws.md, "Beyond one function").
 */
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import { loadCriteria, PoolAccumulator } from '../core/evaluation/index.ts';
import type { PipelinePorts } from './ports.ts';
import { artifactKeys, type PipelineState } from './state.ts';

export async function evaluateStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, validation } = requireValidated(input);
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'EVALUATING', now());

  const keys = artifactKeys(tapeId);
  const duplicates = new Set(validation.duplicateLoanIdCount > 0 ? await ports.store.getJson<string[]>(keys.duplicateLoanIds) : []);
  const acc = new PoolAccumulator(loadCriteria());
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
