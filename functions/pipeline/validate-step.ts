/**
 * Step 1, validate: claims the object version (at most one run per upload), streams the tape
 * from the store through checkTape, and writes the canonical valid loans (NDJSON.gz), every
 * finding (NDJSON), the duplicated loan ids and the validation report under `reports/{tapeId}/`.
 * A tape whose bytes an earlier live tape of the deal already has ends here as DUPLICATE.
 */
import { checkTape } from '../core/check-tape.ts';
import { ConfigError, isDmbsError, MappingError, TapeObjectError, TapeReadError, TapeVerdictError } from '../core/errors.ts';
import { kindById } from '../core/kinds/registry.ts';
import type { ColumnMapping } from '../core/generated/column-mapping.ts';
import { parseColumnMapping } from '../core/mapping/mapping-file.ts';
import { LOAN_TAPE_KIND } from '../core/kinds/loan-tape/kind.ts';
import type { DmbsReport } from '../core/generated/report.ts';
import type { ByteSource } from '../core/readers/types.ts';
import { normaliseTapeObject } from './tape-object.ts';
import { parseTapeKey } from './tape-key.ts';
import type { ObjectWriter, PipelinePorts } from './ports.ts';
import { failDuplicatesOf } from './fail-step.ts';
import { artifactKeys, dealMappingKey, type PipelineState } from './state.ts';
import { tapeIdFor } from './tape-id.ts';

export const DEFAULT_MAX_REPORT_ERRORS = 1000;
export const DEFAULT_MAX_TAPE_BYTES = 2 * 1024 ** 3;

export async function validateStep(input: PipelineState, ports: PipelinePorts): Promise<PipelineState> {
  const now = () => (ports.now?.() ?? new Date()).toISOString();
  const object = normaliseTapeObject(input.object);
  const tapeId = tapeIdFor(object);
  const parsed = parseTapeKey(object.key);
  const tape = parsed.ok ? parsed.parts : undefined;

  const claim = await ports.results.receiveTape({ tapeId, runId: input.runId, object, ...(tape ? { tape } : {}), now: now() });
  if (claim.outcome === 'duplicate') {
    ports.log?.('info', 'duplicate notification ignored', { tapeId, owner: claim.runId, status: claim.status });
    return {
      ...input, object, tapeId, ...(tape ? { tape } : {}),
      stop: { reason: 'DUPLICATE_NOTIFICATION', tapeId, message: `object version already taken by run ${claim.runId} (tape ${tapeId} is ${claim.status})` },
    };
  }
  const state: PipelineState = { ...input, object, tapeId, ...(tape ? { tape } : {}) };
  if (!parsed.ok) throw new TapeObjectError('OBJECT_KEY_INVALID', parsed.reason);
  const parts = parsed.parts;
  if (object.bucket !== ports.store.bucket) {
    throw new Error(`notification for bucket ${object.bucket}, but this pipeline reads ${ports.store.bucket}`);
  }
  const maxBytes = ports.options?.maxTapeBytes ?? DEFAULT_MAX_TAPE_BYTES;
  if (object.size != null && object.size > maxBytes) {
    throw new TapeReadError('TAPE_LIMIT_EXCEEDED',
      `the file is ${formatBytes(object.size)}; one tape may be at most ${formatBytes(maxBytes)}. Split it into several tapes (for example by facility or origination year) and upload each`);
  }
  await ports.results.setStatus(tapeId, input.runId, 'VALIDATING', now());
  const mapping = await dealMapping(parts, ports);
  // The deal's kind, once declared, is the kind its tapes are read as (another is KIND_MISMATCH).
  const declared = await dealKindOf(parts, ports, now());

  const keys = artifactKeys(tapeId);
  const loans = ports.store.createWriter(keys.loans, { contentType: 'application/x-ndjson', gzip: true });
  const findings = ports.store.createWriter(keys.findings, { contentType: 'application/x-ndjson' });
  let loansWritten = 0;
  let result: Awaited<ReturnType<typeof checkTape>>;
  try {
    result = await checkTape({
      fileName: parts.fileName,
      dealId: parts.dealId,
      ...(mapping ? { mapping, mappingSource: dealMappingKey(parts) } : {}),
      ...(declared ? {
        kind: kindById(declared.kind),
        kindNamedBy: { why: `deal ${parts.dealId} holds ${declared.kind} tapes, the kind its first tape declared`, remedy: (k: string) => `upload it under a deal of ${k} tapes` },
      } : {}),
      open: async () => withBackpressure(await ports.store.open(object), [loans, findings]),
      maxErrors: ports.options?.maxReportErrors ?? DEFAULT_MAX_REPORT_ERRORS,
      ...(ports.options?.readerLimits ? { limits: ports.options.readerLimits } : {}),
      evaluate: false, // the evaluate step evaluates the canonical loans (and without a second read of the tape)
      onFinding: (f) => findings.write(`${JSON.stringify(f)}\n`),
      onRow: (loan, row) => {
        loansWritten++;
        loans.write(`${JSON.stringify({ row, loan })}\n`);
      },
      ...(ports.now ? { now: ports.now } : {}),
    });
    await Promise.all([loans.end(), findings.end()]);
  } catch (e) {
    await Promise.allSettled([loans.abort(), findings.abort()]);
    throw e;
  }
  const { summary } = result;
  // The validation part only: the evaluate step evaluates the canonical loans itself (see docs/aws.md).
  const report = pickValidation(result.report);
  await ports.store.putJson(keys.duplicateLoanIds, [...summary.duplicateLoanIds]);
  await ports.store.putJson(keys.validation, report);

  const { ownerTapeId } = await ports.results.claimContent(parts, result.sha256, tapeId, now());
  if (ownerTapeId !== tapeId) {
    await ports.results.markDuplicate(tapeId, input.runId, ownerTapeId, now());
    await ports.store.deleteObjects(Object.values(keys).filter((k) => k !== keys.prefix));
    ports.log?.('info', 'same bytes as an earlier tape of the deal', { tapeId, ownerTapeId });
    // The original may have failed since it was found live: then this duplicate fails with it.
    await failDuplicatesOf(ownerTapeId, ports);
    return {
      ...state,
      stop: { reason: 'DUPLICATE_CONTENT', tapeId: ownerTapeId, message: `same bytes (sha256 ${result.sha256}) as tape ${ownerTapeId} of deal ${parts.dealId}; no new tape version recorded` },
    };
  }

  const v = report.validation;
  if (v.validRowCount === 0) {
    // Nothing to evaluate: a user error (not retried). The whole report (its evaluation sections
    // those of an empty pool, as `dmbs check` gives them) is kept with the findings by the fail step.
    await ports.store.putJson(keys.report, result.report);
    const noun = kindById(result.kind).rowNoun;
    throw new TapeVerdictError('NO_VALID_LOANS', v.rowCount === 0
      ? `the tape has no ${noun} rows; add one row per ${noun} and upload it again`
      : `none of the tape's ${v.rowCount} rows is a valid ${noun} (${v.errorCount} errors); read its findings (GET /v1/tapes/${tapeId}/errors), correct the tape and upload it again`);
  }
  if (!declared) {
    // The deal's first tape with a valid row declares the deal's kind (a valid row carries the
    // kind's identifying columns, so the kind was found, not defaulted); a tape that failed or
    // repeated another's bytes declares nothing. A concurrent first tape of another kind loses.
    const first = await ports.results.declareDealKind(parts, result.kind, tapeId, now());
    if (first.kind !== result.kind) throw kindMismatch(result.kind, first.kind, parts.dealId);
  }
  return {
    ...state,
    validation: {
      sha256: result.sha256,
      format: result.format,
      reportingDate: report.tape.reportingDate,
      rowCount: v.rowCount,
      validRowCount: v.validRowCount,
      invalidRowCount: v.invalidRowCount,
      errorCount: v.errorCount,
      warningCount: v.warningCount,
      dataQualityScore: v.dataQualityScore,
      duplicateLoanIdCount: summary.duplicateLoanIds.size,
      loansWritten,
      ...(result.kind === LOAN_TAPE_KIND.id ? {} : { kind: result.kind }),
    },
  };
}

/**
 * The deal's column mapping: its file at `mapping/{issuerId}/{dealId}.json` in the tapes bucket, or
 * none (headers are matched by name and alias). A bad file fails the tape with MAPPING_INVALID and
 * the JSON path of the bad value (a user error: fix the mapping and upload the tape again).
 */
export async function dealMapping(tape: { issuerId: string; dealId: string }, ports: PipelinePorts): Promise<ColumnMapping | undefined> {
  const key = dealMappingKey(tape);
  let doc: unknown;
  try {
    doc = await ports.store.getJson<unknown>(key);
  } catch (e) {
    if (isDmbsError(e) && e.code === 'OBJECT_NOT_FOUND') return undefined;
    if (e instanceof SyntaxError) throw new ConfigError('MAPPING_INVALID', `${key}: is not valid JSON (${e.message}); fix the deal's column mapping and upload the tape again`);
    throw e;
  }
  // Its fields are checked against the tape's kind once the header has named it (checkTape).
  return parseColumnMapping(doc, key);
}

/**
 * The deal's declared kind. A deal that has SCORED tapes but no declared kind was scored before
 * kinds existed, when every tape was a loan tape: it is declared a loan deal now.
 */
async function dealKindOf(parts: { issuerId: string; dealId: string }, ports: PipelinePorts, now: string): Promise<{ kind: string } | undefined> {
  const declared = await ports.results.dealKind(parts);
  if (declared) return declared;
  let cursor: string | undefined;
  do {
    const page = await ports.results.listTapesByDeal(parts.issuerId, parts.dealId, { limit: 100, ...(cursor ? { cursor } : {}) });
    if (page.items.some((t) => t.status === 'SCORED')) return ports.results.declareDealKind(parts, LOAN_TAPE_KIND.id, null, now);
    cursor = page.cursor;
  } while (cursor);
  return undefined;
}

/** A tape of another kind than its deal's (KIND_MISMATCH, a user error). */
function kindMismatch(kind: string, dealKind: string, dealId: string): MappingError {
  return new MappingError('KIND_MISMATCH', `the header makes a ${kind} tape, but deal ${dealId} holds ${dealKind} tapes (the kind its first tape declared); upload this tape under a deal of ${kind} tapes`);
}

/** The validate step's report: the tape and validation sections of dmbs-report/1. */
export type ValidationReport = Pick<DmbsReport, 'schemaVersion' | 'generatedAt' | 'tape' | 'validation'>;

/** The report's tape and validation sections (what validation alone establishes). */
export function pickValidation(report: DmbsReport): ValidationReport {
  const { schemaVersion, generatedAt, tape, validation } = report;
  return { schemaVersion, ...(generatedAt ? { generatedAt } : {}), tape, validation };
}

/**
 * Hands the tape's chunks to the reader only while the writers keep up: checkTape's callbacks
 * are synchronous, so pausing the source is what bounds memory when uploads are slower than parsing.
 */
export async function* withBackpressure(source: ByteSource, writers: readonly ObjectWriter[]): ByteSource {
  for await (const chunk of source) {
    for (const w of writers) if (w.needsDrain) await w.ready();
    yield chunk;
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${n} bytes`;
}
