/**
 * `dmbs check FILE`: validates a tape offline and prints the report (human or `--json`).
 * Exit 0 = no errors, 1 = report produced and the tape has errors, 2 = unreadable tape or usage.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkTape, type CheckTapeOptions } from '../core/check-tape.ts';
import { checkTapeParallel } from '../core/parallel/check-tape-parallel.ts';
import type { ColumnMapping } from '../core/generated/column-mapping.ts';
import { parseColumnMapping } from '../core/mapping/mapping-file.ts';
import { LOAN_TAPE_KIND } from '../core/kinds/loan-tape/kind.ts';
import { loadCriteria, type DealCriteria } from '../core/evaluation/index.ts';
import { kindById, TAPE_KIND_IDS, type AnyTapeKind } from '../core/kinds/registry.ts';
import { isComputeReport } from '../core/report/compute-report.ts';
import { settingsOf } from '../core/check-tape.ts';
import { renderComputeReport } from './compute-render.ts';
import { loadWatchlistCriteria, type PriorTapeRef } from '../core/watchlist/index.ts';
import type { TapeFormat } from '../core/readers/tape-format.ts';
import { fileSource, statTapeFile } from './file-source.ts';
import { renderReport } from './human-output.ts';
import { NdjsonFile } from './ndjson-file.ts';
import { readPriorTape, WatchlistCollector } from './prior-watchlist.ts';
import { progressBar } from './progress.ts';
import { fileTape, ThreadRunner, workerCount } from './range-workers.ts';
import { UsageError } from './usage-error.ts';

export interface CheckCommandOptions {
  readonly file: string;
  readonly json: boolean;
  readonly mapping?: string;
  readonly criteria?: string;
  readonly sheet?: string;
  readonly format?: TapeFormat;
  readonly maxErrors?: number;
  readonly errorsOut?: string;
  readonly loansOut?: string;
  readonly dealId?: string;
  /** Worker threads (default: the available cores; 1 for tapes under 16 MB). */
  readonly workers?: number;
  /** Reader limits (docs/limits-and-guarantees.md); defaults: DEFAULT_READER_LIMITS. */
  readonly limits?: { maxFieldChars?: number; maxColumns?: number };
  /** The deal's prior tape: the report gets a `watchlist` section (docs/watchlist.md). */
  readonly prior?: string;
  /** The prior tape's own mapping file. */
  readonly priorMapping?: string;
  /** Watchlist thresholds file (schemas/watchlist-criteria.schema.json). */
  readonly watchlist?: string;
  /** The deal's stress model file (schemas/stress-model.schema.json); loan tapes. */
  readonly stress?: string;
  /** The deal's residual-value curve (schemas/compute-residual-curve.schema.json); compute tapes. */
  readonly curve?: string;
  /** The tape's kind (`loan`, `compute`); otherwise detected from the header. */
  readonly kind?: string;
}

/** Reads and parses a JSON file given on the command line; a problem names the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: is not valid JSON (${(e as Error).message})`);
  }
}

/** A prior tape is a loan tape (the watchlist compares loans). */
const LOAN_FIELDS = LOAN_TAPE_KIND.validation.fieldByName;

/** The deal's documents named on the command line, parsed, for the tape's kind to read once it is known. */
async function dealDocuments(options: CheckCommandOptions): Promise<Record<string, unknown>> {
  const docs: Record<string, unknown> = {};
  for (const name of ['criteria', 'stress', 'curve'] as const) {
    const path = options[name];
    if (path === undefined) continue;
    docs[name] = await readJsonFile(path);
    docs[`${name}Source`] = path;
  }
  return docs;
}

/** The prior tape read and a collector for this tape's watchlist (--prior). */
async function priorWatchlist(options: CheckCommandOptions, criteria: DealCriteria): Promise<{ collector: WatchlistCollector; ref: PriorTapeRef }> {
  const priorFile = options.prior!;
  await statTapeFile(priorFile);
  const thresholds = loadWatchlistCriteria(options.watchlist ? await readJsonFile(options.watchlist) : undefined, options.watchlist);
  const priorMapping = options.priorMapping ? parseColumnMapping(await readJsonFile(options.priorMapping), options.priorMapping, LOAN_FIELDS) : undefined;
  const { prior, ref } = await readPriorTape(priorFile, { criteria, ...(priorMapping ? { mapping: priorMapping } : {}) });
  return { collector: new WatchlistCollector(thresholds, prior), ref };
}

/** Runs the check; returns the exit code. */
export async function runCheck(options: CheckCommandOptions, out: { write(text: string): unknown } = process.stdout): Promise<number> {
  const size = await statTapeFile(options.file);
  let mapping: ColumnMapping | undefined;
  // The mapping's fields are checked against the tape's kind once its header has been read.
  if (options.mapping) mapping = parseColumnMapping(await readJsonFile(options.mapping), options.mapping);
  // --prior: a watchlist compares loans, so the tape is read as a loan tape (another kind is KIND_MISMATCH).
  const kind = options.kind !== undefined ? kindOption(options.kind) : options.prior ? LOAN_TAPE_KIND : undefined;
  if (options.prior && kind !== LOAN_TAPE_KIND) throw new UsageError(`--prior compares loans: it reads loan tapes only, not --kind ${options.kind}`);
  const documents = await dealDocuments(options);
  const watch = options.prior ? await priorWatchlist(options, loadCriteria(documents.criteria, options.criteria)) : undefined;
  const errorsOut = options.errorsOut ? new NdjsonFile(options.errorsOut) : undefined;
  const loansOut = options.loansOut ? new NdjsonFile(options.loansOut) : undefined;
  const progress = progressBar(size);
  // --loans-out and --prior need the loans in row order as they are checked: one thread (core/parallel falls back anyway).
  const workers = options.loansOut || watch ? 1 : workerCount(size, options.workers);
  let evaluated: object | undefined;
  const tape = workers > 1 ? await fileTape(options.file, size) : undefined;
  // `workers` threads check ranges: this one and workers - 1 worker threads.
  const pool = tape ? new ThreadRunner(options.file, workers) : undefined;
  try {
    const checkOptions: CheckTapeOptions = {
      fileName: basename(options.file),
      open: () => fileSource(options.file),
      ...(options.format ? { format: options.format } : {}),
      ...(mapping ? { mapping, mappingSource: options.mapping! } : {}),
      ...(kind ? { kind } : {}),
      ...(options.prior && options.kind === undefined ? { kindNamedBy: { why: '--prior compares loans, so both tapes are read as loan tapes', remedy: () => 'check it without --prior' } } : {}),
      dealDocuments: documents,
      ...(options.sheet ? { sheet: options.sheet } : {}),
      ...(options.dealId ? { dealId: options.dealId } : {}),
      ...(options.maxErrors !== undefined ? { maxErrors: options.maxErrors } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      ...(errorsOut ? { onFinding: (f) => errorsOut.write(f) } : {}),
      ...(loansOut ? { onRowEvaluation: (e) => (watch ? (evaluated = e) : loansOut.write(e)) } : {}),
      // With --prior each loan's line carries its watchlist codes (the evaluation comes just before the loan).
      ...(watch ? { onEvaluatedLoan: (loan, row) => {
        const codes = watch.collector.onEvaluatedLoan(loan, row);
        if (loansOut && evaluated) loansOut.write({ ...evaluated, watchlist: codes });
      } } : {}),
      ...(loansOut || watch ? {
        // duplicated loanIds found at the end: the evaluations are delivered again, without them
        onEvaluationRestart: () => { loansOut?.restart(); watch?.collector.onEvaluationRestart(); },
      } : {}),
      onProgress: ({ bytesRead, rows }) => progress.update(bytesRead, rows),
    };
    // Several workers: byte ranges checked in worker threads, merged into the same report (core/parallel).
    const { report: checked, kind: checkedKind } = tape && pool
      ? await checkTapeParallel({
        ...checkOptions, tape, runner: pool, ranges: workers,
        // DMBS_PHASES=1: the time of each phase on stderr (prescan, ranges, merge, …), for benchmarks.
        ...(process.env.DMBS_PHASES ? { onPhase: (phase: string, ms: number) => process.stderr.write(`phase ${phase} ${Math.round(ms)} ms\n`) } : {}),
      })
      : await checkTape(checkOptions);
    const report = watch ? { ...checked, watchlist: watch.collector.section(watch.ref) } : checked;
    progress.done();
    if (options.json) out.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const currency = (settingsOf(kindById(checkedKind), { dealDocuments: documents }) as { criteria: { dealCurrency?: string } }).criteria.dealCurrency ?? 'USD';
      out.write(`${(isComputeReport(report) ? renderComputeReport(report, { currency }) : renderReport(report, { currency })).join('\n')}\n`);
    }
    return report.validation.errorCount > 0 ? 1 : 0;
  } finally {
    progress.done();
    errorsOut?.close();
    loansOut?.close();
    await pool?.close();
    await tape?.close();
  }
}

/** `--kind`: a kind's id. */
function kindOption(id: string): AnyTapeKind {
  if (!(TAPE_KIND_IDS as readonly string[]).includes(id)) throw new UsageError(`--kind must be ${TAPE_KIND_IDS.join(' or ')}, not '${id}'`);
  return kindById(id);
}
