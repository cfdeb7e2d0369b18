/**
 * Step 3, score: restores the pool aggregate, builds the report's evaluation sections from it
 * (eligibility, pool, concentrations with limit, actual and headroom, the scorecard, the
 * balance-sheet schedule), adds the watchlist section evaluate computed, and stores the full `dmbs-report/1` document — the validation report
 * plus those sections — at `reports/{tapeId}/report.json`. With a Distributed Map, this is the
 * reduce step: it would merge every chunk's aggregate first.
 */
import { kindById } from '../core/kinds/registry.ts';
import { scoreKindStep } from './evaluate-kind.ts';
import type { DmbsReport } from '../core/generated/report.ts';
import { buildEvaluationSections, loadCriteria, PoolAccumulator } from '../core/evaluation/index.ts';
import { isDmbsError } from '../core/errors.ts';
import { loadStressModel, type StressModel } from '../core/stress/index.ts';
import { requireValidated, scoreOutcome } from './step-support.ts';
import type { PipelinePorts } from './ports.ts';
import type { StoredWatchlist } from './prior-tape.ts';
import { artifactKeys, type PipelineState } from './state.ts';
import type { ValidationReport } from './validate-step.ts';

type PoolState = ReturnType<PoolAccumulator['toJSON']>;

/** The stress model evaluate stored beside the aggregate (absent for results stored before the stress lens: the defaults). */
async function storedStressModel(ports: PipelinePorts, key: string): Promise<StressModel> {
  try {
    return loadStressModel(await ports.store.getJson<unknown>(key), key);
  } catch (e) {
    if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') return loadStressModel();
    throw e;
  }
}

export async function scoreStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const { tapeId, validation } = requireValidated(input);
  if (validation.kind !== undefined && input.evaluation) return scoreKindStep(input, ports, kindById(validation.kind));
  if (!input.evaluation) throw new Error(`score called before evaluate finished (tape ${tapeId}): the state machine or runner is wired wrongly`);
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'SCORING', now(), input.rescore);

  const keys = artifactKeys(tapeId, input.rescore?.revision);
  // the criteria evaluate resolved and stored: score uses exactly those, even if the deal's file changed since
  const criteria = loadCriteria(await ports.store.getJson<unknown>(keys.criteria), keys.criteria);
  const acc = PoolAccumulator.fromJSON(await ports.store.getJson<PoolState>(keys.aggregate), criteria, await storedStressModel(ports, keys.stress));
  const sections = buildEvaluationSections(acc, criteria, validation.dataQualityScore);
  const validationReport = await ports.store.getJson<ValidationReport>(keys.validation);
  const { section: watchlist } = await ports.store.getJson<StoredWatchlist>(keys.watchlist);
  const report: DmbsReport = { ...validationReport, ...sections, watchlist };
  await ports.store.putJson(keys.report, report);
  return { ...input, score: scoreOutcome(sections) };
}
