/**
 * The evaluate and score steps of a tape of another kind than the loan tape (today the compute
 * tape): the canonical rows through the kind's evaluation into its aggregate, the row results
 * (NDJSON.gz and the pages the rows route reads), the row keys compare merges, then the kind's
 * report sections. The loan tape's own extras (stress model, watchlist, analytical dataset) belong
 * to the loan tape's steps. The deal's settings files are read by the deal's kind: a deal has one.
 */
import { LoanKeysBuilder } from '../core/compare/loan-keys.ts';
import type { AnyTapeKind } from '../core/kinds/registry.ts';
import type { SomeTapeKind } from '../core/kinds/tape-kind.ts';
import type { DmbsReport } from '../core/generated/report.ts';
import { LoanPagesBuilder } from './loan-pages.ts';
import type { PipelinePorts } from './ports.ts';
import { artifactKeys, dealCriteriaKey, dealCurveKey, type PipelineState } from './state.ts';
import type { ValidationReport } from './validate-step.ts';
import { dealFile, requireValidated, scoreOutcome, writeLines } from './step-support.ts';

/** A kind's deal documents: where each lives in the tapes bucket, its artifact, and its error code. */
const DEAL_DOCUMENTS: Readonly<Record<string, ReadonlyArray<{ name: string; dealKey: (t: { issuerId: string; dealId: string }) => string; artifact: 'criteria' | 'curve'; code: 'CRITERIA_INVALID' | 'RESIDUAL_CURVE_INVALID'; what: string }>>> = {
  compute: [
    { name: 'criteria', dealKey: dealCriteriaKey, artifact: 'criteria', code: 'CRITERIA_INVALID', what: "deal's compute criteria file" },
    { name: 'curve', dealKey: dealCurveKey, artifact: 'curve', code: 'RESIDUAL_CURVE_INVALID', what: "deal's residual-value curve" },
  ],
};

/** The deal's settings of the kind, each document merged over the kind's defaults, stored beside the results for the score step. */
async function dealSettings(kind: AnyTapeKind, tape: { issuerId: string; dealId: string }, keys: ReturnType<typeof artifactKeys>, ports: PipelinePorts): Promise<unknown> {
  const docs: Record<string, unknown> = {};
  for (const d of DEAL_DOCUMENTS[kind.id] ?? []) {
    const key = d.dealKey(tape);
    const loaded = await dealFile(key, ports, (doc?: unknown, source?: string) => {
      const one = (kind as SomeTapeKind).loadSettings({ [d.name]: doc, [`${d.name}Source`]: source }) as Record<string, unknown>;
      return one[d.name];
    }, d.code, d.what);
    docs[d.name] = loaded;
    await ports.store.putJson(keys[d.artifact], loaded);
  }
  return (kind as SomeTapeKind).loadSettings(docs);
}

/** The settings the evaluate step stored (the score step uses exactly those). */
async function storedSettings(kind: AnyTapeKind, keys: ReturnType<typeof artifactKeys>, ports: PipelinePorts): Promise<unknown> {
  const docs: Record<string, unknown> = {};
  for (const d of DEAL_DOCUMENTS[kind.id] ?? []) {
    docs[d.name] = await ports.store.getJson<unknown>(keys[d.artifact]);
    docs[`${d.name}Source`] = keys[d.artifact];
  }
  return (kind as SomeTapeKind).loadSettings(docs);
}

export async function evaluateKindStep(input: PipelineState, ports: PipelinePorts, kind: AnyTapeKind): Promise<PipelineState> {
  const { tapeId, tape, validation } = requireValidated(input);
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'EVALUATING', now(), input.rescore);
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const k = kind as SomeTapeKind;
  const acc = k.createAccumulator(await dealSettings(kind, tape, keys, ports));
  const duplicates = new Set(validation.duplicateLoanIdCount > 0 ? await ports.store.getJson<string[]>(keys.duplicateLoanIds) : []);
  const results = ports.store.createWriter(keys.loanResults, { contentType: 'application/x-ndjson', gzip: true });
  const pagesOut = ports.store.createWriter(keys.loanPages, { contentType: 'application/octet-stream' });
  const pages = new LoanPagesBuilder((block) => pagesOut.writeBytes(block));
  const rowKeys = new LoanKeysBuilder();
  let position = 0;
  let evaluated = 0;
  let eligible = 0;
  try {
    for await (const line of ports.store.readLines(keys.loans, { gzip: true })) {
      const { row, loan } = JSON.parse(line) as { row: number; loan: Record<string, unknown> };
      const id = String(loan[kind.idField]);
      rowKeys.add(id, loan.currentBalance);
      if (duplicates.has(id)) continue;
      const result = { row, ...(k.evaluate(acc, loan, row) as { eligible: boolean }) };
      evaluated++;
      if (result.eligible) eligible++;
      const json = JSON.stringify(result);
      results.write(`${json}\n`);
      pages.add(position++, result as never, json);
      if (results.needsDrain) await results.ready();
      if (pagesOut.needsDrain) await pagesOut.ready();
    }
    const index = pages.finish();
    await Promise.all([results.end(), pagesOut.end()]);
    await ports.store.putJson(keys.loanPagesIndex, index);
  } catch (e) {
    await Promise.all([results.abort(), pagesOut.abort()]);
    throw e;
  }
  await writeLines(ports, keys.loanKeys, rowKeys.lines());
  await ports.store.putJson(keys.aggregate, acc.toJSON());
  return { ...input, evaluation: { loansEvaluated: evaluated, eligibleCount: eligible, ineligibleCount: evaluated - eligible } };
}

export async function scoreKindStep(input: PipelineState, ports: PipelinePorts, kind: AnyTapeKind): Promise<PipelineState> {
  const { tapeId, validation } = requireValidated(input);
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  await ports.results.setStatus(tapeId, input.runId, 'SCORING', now(), input.rescore);
  const keys = artifactKeys(tapeId, input.rescore?.revision);
  const k = kind as SomeTapeKind;
  const acc = k.accumulatorFromJSON(await ports.store.getJson<unknown>(keys.aggregate), await storedSettings(kind, keys, ports));
  const sections = k.buildSections(acc, validation.dataQualityScore) as Pick<DmbsReport, 'eligibility' | 'score' | 'concentrations'>;
  const validationReport = await ports.store.getJson<ValidationReport>(keys.validation);
  await ports.store.putJson(keys.report, { ...validationReport, ...sections });
  return { ...input, score: scoreOutcome(sections) };
}
