/**
 * The deal's prior tape for the watchlist (docs/watchlist.md): its SCORED tape with the latest
 * reportingDate strictly before this tape's (on a tie, the later upload), chosen when the tape is
 * evaluated. Its loans are read from the canonical loans its validate step stored (never the raw
 * tape again), without the ids it carried on more than one row, as the evaluation saw them; only
 * what the codes compare is kept (PriorLoans).
 */
import type { DmbsLoan } from '../core/generated/loan-tape.ts';
import {
  PriorLoans, WatchlistAggregate, WatchlistTests,
  type PriorTapeRef, type WatchedLoan, type WatchlistCode, type WatchlistCriteria, type WatchlistEntry, type WatchlistSection,
} from '../core/watchlist/index.ts';
import type { PipelinePorts } from './ports.ts';
import { artifactKeys, type TapeKeyParts, type WatchlistOutcome } from './state.ts';

/** The `watchlist` artifact (ArtifactKeys.watchlist): the report's section and the merged thresholds document. */
export interface StoredWatchlist {
  readonly section: WatchlistSection;
  readonly thresholds: WatchlistCriteria['document'];
}

/** The prior tape chosen for a tape. */
export interface PriorTapeChoice {
  readonly tapeId: string;
  readonly reportingDate: string;
}

/** Deal tapes read per page while looking for the prior. */
const PAGE = 100;

/**
 * The prior of tape `tapeId` (reportingDate `reportingDate`) in its deal, or null when the deal
 * has no SCORED tape dated before it (its first tape) or the tape has no reportingDate.
 */
export async function findPriorTape(ports: Pick<PipelinePorts, 'results'>, tape: TapeKeyParts, tapeId: string, reportingDate: string | null): Promise<PriorTapeChoice | null> {
  if (reportingDate === null) return null;
  let best: PriorTapeChoice | null = null;
  let cursor: string | undefined;
  do {
    const page = await ports.results.listTapesByDeal(tape.issuerId, tape.dealId, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    // Newest upload first: on a reportingDate tie the first one seen (the later upload) stays.
    for (const t of page.items) {
      const date = t.summary?.reportingDate;
      if (t.status !== 'SCORED' || t.tapeId === tapeId || !date || date >= reportingDate) continue;
      if (!best || date > best.reportingDate) best = { tapeId: t.tapeId, reportingDate: date };
    }
    cursor = page.cursor;
  } while (cursor);
  return best;
}

/** The prior tape's valid loans (its duplicated ids left out), compactly. */
export async function readPriorLoans(ports: Pick<PipelinePorts, 'store'>, prior: PriorTapeChoice): Promise<PriorLoans> {
  const keys = artifactKeys(prior.tapeId);
  const duplicates = new Set(await ports.store.getJson<string[]>(keys.duplicateLoanIds));
  const loans = new PriorLoans();
  for await (const line of ports.store.readLines(keys.loans, { gzip: true })) {
    const { loan } = JSON.parse(line) as { loan: DmbsLoan };
    if (!duplicates.has(loan.loanId)) loans.add(loan);
  }
  return loans;
}

/**
 * One tape's watchlist as the evaluate step computes it: the prior chosen and read, each valid
 * loan tested as it streams by, the watchlisted loans written with their values.
 */
export class TapeWatchlist {
  readonly #tests: WatchlistTests;
  readonly #ref: PriorTapeRef;
  readonly #aggregate = new WatchlistAggregate();

  readonly #criteria: WatchlistCriteria;

  private constructor(tests: WatchlistTests, ref: PriorTapeRef, criteria: WatchlistCriteria) {
    this.#tests = tests;
    this.#ref = ref;
    this.#criteria = criteria;
  }

  /** Chooses and reads the prior tape of `tapeId` (none when `reportingDate` is null). */
  static async start(ports: Pick<PipelinePorts, 'results' | 'store'>, tape: TapeKeyParts, tapeId: string, reportingDate: string | null, criteria: WatchlistCriteria): Promise<TapeWatchlist> {
    const prior = await findPriorTape(ports, tape, tapeId, reportingDate);
    const loans = prior ? await readPriorLoans(ports, prior) : undefined;
    // A tape without a reportingDate has no valid loan: no loan is tested, the date never read.
    const tests = new WatchlistTests(criteria, reportingDate ?? '1970-01-01', loans);
    return new TapeWatchlist(tests, prior ? { tapeId: prior.tapeId, reportingDate: prior.reportingDate } : null, criteria);
  }

  /** Tests a valid loan; returns its codes and, when it has any, its listing entry. */
  add(row: number, loan: WatchedLoan): { codes: WatchlistCode[]; entry?: WatchlistEntry } {
    const codes = this.#tests.codes(loan);
    this.#aggregate.add(row, loan, codes);
    return codes.length === 0 ? { codes } : { codes, entry: this.#tests.entry(row, loan, codes) };
  }

  section(): WatchlistSection {
    return this.#aggregate.section(this.#ref);
  }

  /** What the `watchlist` artifact holds: the section, and the thresholds it was tested with (for the codes' wording). */
  stored(section: WatchlistSection): StoredWatchlist {
    return { section, thresholds: this.#criteria.document };
  }

  /** The figures the `LoansWatchlisted` event carries. */
  outcome(section: WatchlistSection): WatchlistOutcome {
    return { priorTapeId: this.#ref?.tapeId ?? null, loanCount: section.loanCount, balance: section.balance, share: section.share, countsByCode: section.countsByCode };
  }
}
