/**
 * `dmbs check TAPE --prior PRIOR`: the watchlist offline. The prior tape is checked first and only
 * the fields the watchlist compares are kept of its valid loans (PriorLoans); the tape is then
 * checked with each evaluated loan tested against its prior loan.
 */
import { basename } from 'node:path';
import { checkTape } from '../core/check-tape.ts';
import type { DealCriteria } from '../core/evaluation/index.ts';
import type { ColumnMapping } from '../core/generated/column-mapping.ts';
import type { EvaluatedLoan } from '../core/evaluation/evaluated-loan.ts';
import {
  PriorLoans, WatchlistAggregate, WatchlistTests, type PriorTapeRef, type WatchlistCode, type WatchlistCriteria, type WatchlistSection,
} from '../core/watchlist/index.ts';
import { fileSource } from './file-source.ts';

/**
 * The prior tape's valid loans, compactly, and which tape they came from. Validation only (no
 * pool work): each valid loan is kept as it is read, and the ids found on more than one row are
 * dropped at the end, so the prior loans are the ones its evaluation would see, in one read.
 */
export async function readPriorTape(file: string, options: { mapping?: ColumnMapping; criteria: DealCriteria }): Promise<{ prior: PriorLoans; ref: PriorTapeRef }> {
  const prior = new PriorLoans();
  const { report, sha256, summary } = await checkTape({
    fileName: basename(file),
    open: () => fileSource(file),
    criteria: options.criteria,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    evaluate: false,
    maxErrors: 0,
    onLoan: (loan) => prior.add(loan),
  });
  for (const id of summary.duplicateLoanIds) prior.delete(id);
  return { prior, ref: { tapeId: null, reportingDate: report.tape.reportingDate ?? null, fileName: report.tape.fileName, sha256 } };
}

/** Collects the watchlist of a tape as it is checked (hooks for checkTape). */
export class WatchlistCollector {
  readonly #criteria: WatchlistCriteria;
  readonly #prior: PriorLoans;
  #tests: WatchlistTests | undefined;
  #aggregate = new WatchlistAggregate();

  constructor(criteria: WatchlistCriteria, prior: PriorLoans) {
    this.#criteria = criteria;
    this.#prior = prior;
  }

  /** Tests the loan; returns its codes. */
  readonly onEvaluatedLoan = (loan: EvaluatedLoan, row: number): WatchlistCode[] => {
    // One reportingDate per tape (the first row's): the lease window is fixed by the first loan.
    this.#tests ??= new WatchlistTests(this.#criteria, loan.reportingDate, this.#prior);
    const codes = this.#tests.codes(loan);
    this.#aggregate.add(row, loan, codes);
    return codes;
  };

  readonly onEvaluationRestart = (): void => {
    this.#aggregate = new WatchlistAggregate();
  };

  section(ref: PriorTapeRef): WatchlistSection {
    return this.#aggregate.section(ref);
  }
}
