/* eslint-disable */
// GENERATED from schemas/dmbs-api.v1.schema.json by `npm run gen:api-types`. Do not edit: change the schema and regenerate.

/**
 * RECEIVED -> VALIDATING -> EVALUATING -> SCORING -> SCORED, or FAILED with a reason; DUPLICATE: the same bytes as an earlier tape of the deal.
 */
export type TapeStatus = "RECEIVED" | "VALIDATING" | "EVALUATING" | "SCORING" | "SCORED" | "FAILED" | "DUPLICATE";
/**
 * Opaque; pass as ?nextToken= with the same filters for the next page. Null on the last page.
 */
export type NextToken = string | null;
/**
 * Which tapes to re-score under their deals' current criteria: every deal's latest scored tape (`all`), or one deal's (`dealId`, with `issuerId` when several issuers use the id).
 */
export type RescoreRequest = RescoreRequest1 & RescoreRequest2;
export type RescoreRequest1 = {
  [k: string]: unknown;
};
export type WatchlistCode = string;
export type TestOutcome = {
  actual: string | null;
  pass: boolean;
  headroom: string | null;
} | null;
/**
 * What exposure is grouped by: tenantGroup, sponsor and market as the concentration tests group them (normalised keys); facility = issuerId + "/" + facilityId.
 */
export type ExposureBy = "tenantGroup" | "sponsor" | "market" | "facility";

/**
 * An RFC 9457 problem document (media type application/problem+json). `code` is stable: clients branch on it, never on `title` or `detail`.
 */
export interface Problem {
  /**
   * A URI naming the problem type.
   */
  type: string;
  /**
   * Short, the same for every occurrence of the code.
   */
  title: string;
  status: number;
  /**
   * What went wrong this time and what to do.
   */
  detail: string;
  code: string;
  /**
   * The request path.
   */
  instance?: string;
  /**
   * Field-level problems of a request body or query.
   */
  errors?: {
    location: string;
    message: string;
  }[];
  /**
   * UNAVAILABLE (GET /health) only: every dependency -> 'ok' or why it is not ready.
   */
  checks?: {
    [k: string]: string;
  };
}
export interface Health {
  /**
   * When not ready, /health answers 503 with a problem document (code UNAVAILABLE) listing what is not ready.
   */
  status: "ok";
  /**
   * Dependency -> 'ok'.
   */
  checks: {
    [k: string]: string;
  };
}
/**
 * The deal's newest scored tape.
 */
export interface DealLatestScored {
  tapeId: string;
  fileName: string;
  uploadedAt: string;
  reportingDate: string | null;
  dataQualityScore: string;
  scorePoints: string | null;
  scoreBand: string | null;
}
export interface Deal {
  issuerId: string;
  dealId: string;
  /**
   * GET /v1/deals/{dealId} only: the kind of tape the deal holds, declared by its first tape with a valid row (every later tape is read as that kind); absent until then.
   */
  kind?: "loan" | "compute";
  createdAt: string;
  updatedAt: string;
  /**
   * The newest upload, whatever its status.
   */
  latestTape: TapeListItem | null;
  latestScored: DealLatestScored | null;
}
export interface TapeListItem {
  tapeId: string;
  dealId: string;
  issuerId: string;
  fileName: string;
  status: TapeStatus;
  /**
   * FAILED: what went wrong and what to do.
   */
  reason?: string;
  receivedAt: string;
  uploadedAt: string;
  /**
   * Null until SCORED (or FAILED with NO_VALID_LOANS).
   */
  rowCount: number | null;
  /**
   * Error findings of the tape's validation; null until SCORED (or FAILED with NO_VALID_LOANS).
   */
  errorCount: number | null;
  /**
   * Warning findings; null as errorCount.
   */
  warningCount: number | null;
  /**
   * Loan rows with an error; null as errorCount.
   */
  invalidRowCount: number | null;
  dataQualityScore: string | null;
  eligibleBalance: string | null;
  scoreBand: string | null;
  /**
   * A scored tape's kind when it is not a loan tape (a compute tape: GPU lots). Absent for a loan tape.
   */
  kind?: "compute";
}
export interface DealPage {
  items: Deal[];
  nextToken: NextToken;
}
export interface TapePage {
  items: TapeListItem[];
  nextToken: NextToken;
}
/**
 * Where the pipeline is with the tape.
 */
export interface TapeProgress {
  /**
   * The step running (validate, evaluate, score, publish); null when final or not started.
   */
  step: string | null;
  /**
   * Steps done or running.
   */
  stepNumber: number;
  stepCount: number;
  percent: number;
  final: boolean;
}
/**
 * The results summary of a SCORED tape (the full document is /report).
 */
export interface TapeSummary {
  sha256: string;
  format: string;
  /**
   * The tape's kind when it is not a loan tape (`compute`: GPU lots; counts are of lots). Absent for a loan tape.
   */
  kind?: "compute";
  reportingDate: string | null;
  rowCount: number;
  validRowCount: number;
  invalidRowCount: number;
  errorCount: number;
  warningCount: number;
  dataQualityScore: string;
  eligibleCount: number | null;
  ineligibleCount: number | null;
  eligibleBalance: string | null;
  scorePoints: string | null;
  scoreBand: string | null;
  failedTests: string[];
}
export interface Tape {
  tapeId: string;
  /**
   * Null when the object key was not a tape key (the tape is FAILED).
   */
  issuerId: string | null;
  dealId: string | null;
  fileName: string | null;
  status: TapeStatus;
  reason?: string;
  failure?: {
    code: string;
    message: string;
    userError: boolean;
  };
  /**
   * DUPLICATE: the tape that holds the results of these bytes. Kept when the duplicate is FAILED because that tape failed.
   */
  duplicateOf?: string;
  object: {
    key: string;
    size: number | null;
  };
  uploadedAt: string;
  receivedAt: string;
  updatedAt: string;
  scoredAt?: string;
  failedAt?: string;
  progress: TapeProgress;
  summary: TapeSummary | null;
  /**
   * The current result revision: 1 from the upload's own run, one more for each re-score (POST /v1/tapes/{tapeId}/rescore).
   */
  revision: number;
  /**
   * Earlier result revisions, oldest first; each report stays readable with ?revision=.
   */
  revisions: TapeRevision[];
  /**
   * A re-score in progress (the current revision stays readable meanwhile), or null.
   */
  rescoring: null | {
    /**
     * The revision the re-score will write.
     */
    revision: number;
    /**
     * CLAIMED, EVALUATING or SCORING.
     */
    step: string;
    startedAt: string;
  };
  /**
   * Why the last re-score failed; the current revision stayed. Cleared by the next successful re-score.
   */
  lastRescoreFailure?: {
    code: string;
    message: string;
    userError: boolean;
    failedAt: string;
  };
  links: {
    self: string;
    report: string;
    errors: string;
    loans: string;
  };
}
/**
 * An earlier result revision of a tape: its figures and where its report is.
 */
export interface TapeRevision {
  revision: number;
  scoredAt: string;
  eligibleCount: number | null;
  eligibleBalance: string | null;
  scorePoints: string | null;
  scoreBand: string | null;
  failedTests: string[];
  links: {
    report: string;
    loans: string;
  };
}
export interface RescoreRequest2 {
  all?: true;
  dealId?: string;
  issuerId?: string;
}
/**
 * A re-score job and its progress: `done` of `total` tapes (scored + failed + skipped). `total` is null until the tapes are listed.
 */
export interface RescoreJob {
  jobId: string;
  scope: {
    all?: true;
    issuerId?: string;
    dealId?: string;
    tapeId?: string;
  };
  status: "RUNNING" | "DONE";
  total: number | null;
  done: number;
  /**
   * Tapes with a new revision.
   */
  scored: number;
  /**
   * Tapes whose re-score failed (their current revision stayed; the reason is the tape's lastRescoreFailure).
   */
  failed: number;
  /**
   * Tapes no longer SCORED, or held by another re-score.
   */
  skipped: number;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  links: {
    self: string;
  };
}
/**
 * Asks for a presigned S3 PUT of one tape into the caller's own prefix incoming/{issuerId}/{dealId}/{fileName}. `size` is signed into the URL as Content-Length, so S3 accepts exactly that many bytes: this is how the maximum size is enforced on a presigned PUT.
 */
export interface UploadRequest {
  /**
   * Letters, digits, '.', '_' and '-', starting with a letter or digit; no '..'.
   */
  fileName: string;
  /**
   * The file's exact size in bytes; at most the API's upload limit (2 GiB by default).
   */
  size: number;
}
export interface UploadTicket {
  /**
   * incoming/{issuerId}/{dealId}/{fileName}
   */
  key: string;
  uploadUrl: string;
  /**
   * 15 minutes after issue.
   */
  expiresAt: string;
  method: "PUT";
  /**
   * Headers the PUT must send as they are (Content-Length is signed).
   */
  headers: {
    [k: string]: string;
  };
  maxBytes: number;
}
/**
 * Who the caller is, as the API sees them (GET /v1/me).
 */
export interface Me {
  role: "reviewer" | "onboarding" | "issuer";
  /**
   * Issuers: the issuer they act for; null for reviewers and onboarding.
   */
  issuerId: string | null;
  /**
   * The caller's name: the key's name in keys.json locally, the JWT subject in AWS.
   */
  subject: string;
}
/**
 * The criteria a SCORED tape was evaluated with (the deal's file merged over the defaults) and the wording of each from schemas/ (dmbs-criteria.v1.schema.json, score-model.json), limits filled in: labels for people. A compute tape's are its criteria G01-G09, tests K01-K07 and score factors (compute-criteria.schema.json, compute-score-model.json).
 */
export interface TapeCriteria {
  /**
   * ISO 4217 currency of the deal: the currency of every balance in the report.
   */
  dealCurrency: string;
  eligibility: {
    id: string;
    enabled: boolean;
    /**
     * What an eligible loan must satisfy, e.g. 'dscr >= 1.2'.
     */
    label: string;
  }[];
  concentrations: {
    id: string;
    enabled: boolean;
    label: string;
    unit: string;
    /**
     * What the test's `top` contributors are (tenant groups, facilities, markets, loans ...).
     */
    top: string;
  }[];
  scoreFactors: {
    name: string;
    metric: string;
    /**
     * The factor's description in score-model.json.
     */
    label: string;
  }[];
}
/**
 * One valid row's eligibility: a loan's (loanId; its stressed figures null when the loan is not eligible, absent in results stored before the stress lens), or a compute tape's lot's (lotId; criteria G01-G09).
 */
export interface LoanResult {
  row: number;
  /**
   * A loan tape's loan (every row of a loan tape has it).
   */
  loanId?: string;
  /**
   * A compute tape's lot (every row of a compute tape has it, in place of loanId).
   */
  lotId?: string;
  eligible: boolean;
  failures: {
    criterion: string;
    reason: string;
  }[];
  /**
   * underwrittenNcf × (1 − the loan's haircut); a negative NCF as it is.
   */
  stressedNcf?: string | null;
  /**
   * max(0, stressedNcf) / the stressed cap rate of its market.
   */
  stressedValue?: string | null;
  /**
   * currentBalance / stressedValue; null when stressedValue is 0.
   */
  stressedLtv?: string | null;
  /**
   * stressedNcf / annualDebtService; null when that is 0.
   */
  stressedDscr?: string | null;
  /**
   * The loan's watchlist codes (docs/watchlist.md), empty when it is on none; absent on tapes scored before the pipeline had the watchlist.
   */
  watchlist?: string[];
}
export interface LoanPage {
  items: LoanResult[];
  nextToken: NextToken;
}
/**
 * A watchlist code and what puts a loan on it, with the thresholds the tape was tested with.
 */
export interface WatchlistCodeMeaning {
  code: WatchlistCode;
  meaning: string;
  enabled: boolean;
}
/**
 * A watchlisted loan: its codes and the values they read, on this tape and on the prior tape (prior null: the prior tape did not have the loan, or the deal has no prior tape).
 */
export interface WatchlistLoan {
  row: number;
  loanId: string;
  codes: WatchlistCode[];
  currentBalance: string;
  current: {
    dscr: number;
    ltv: number;
    paymentStatus: string;
    leaseExpiryDate: string;
    expectedCompletionDate: string | null;
    largestTenantRating: string;
    offBalanceSheet: boolean | null;
  };
  prior: {
    dscr: number;
    expectedCompletionDate: string | null;
    /**
     * null: not on the rating scale (NR, or no data).
     */
    largestTenantRating: string | null;
    offBalanceSheet: boolean | null;
  } | null;
}
/**
 * A deal's current watchlist: its SCORED tape with the latest reportingDate (or the tape asked for), compared with its prior tape. Figures as in the report's watchlist section; items are the watchlisted loans in row order, a page at a time, filtered by code when asked.
 */
export interface DealWatchlist {
  dealId: string;
  tape: TapeRef;
  priorTape: {
    tapeId: string | null;
    reportingDate: string | null;
  } | null;
  loanCount: number;
  balance: string;
  share: string | null;
  countsByCode: {
    [k: string]: number;
  };
  codes: WatchlistCodeMeaning[];
  items: WatchlistLoan[];
  nextToken: NextToken;
}
export interface TapeRef {
  tapeId: string;
  fileName: string;
  uploadedAt: string;
  reportingDate: string | null;
}
/**
 * One SCORED tape of a deal as the trends show it. Figures are decimal text as in the report; null where the report has none (an empty pool, a tape scored before the stress lens or the watchlist).
 */
export interface TrendPoint {
  tapeId: string;
  fileName: string;
  reportingDate: string;
  uploadedAt: string;
  /**
   * The eligible pool's currentBalance.
   */
  poolBalance: string;
  eligibleCount: number;
  waDscr: string | null;
  waLtv: string | null;
  /**
   * The stress lens's pool stressed LTV, when the report has the stress section.
   */
  stressedLtv: string | null;
  scorePoints: string;
  scoreBand: string;
  dataQualityScore: string;
  watchlistShare: string | null;
  watchlistLoanCount: number | null;
  watchlistCountsByCode: {
    [k: string]: number;
  } | null;
}
/**
 * A deal's SCORED tapes in reportingDate order (ties: upload order), oldest first: the latest `limit` of them.
 */
export interface DealTrends {
  dealId: string;
  points: TrendPoint[];
}
export interface FigureChange {
  name: string;
  from: string | number | null;
  to: string | number | null;
  /**
   * to - from (exact decimal); null when either is null.
   */
  change: string | number | null;
}
export interface LoanBalance {
  loanId: string;
  currentBalance: string;
}
/**
 * What changed between two tape versions of one deal.
 */
export interface Comparison {
  issuerId: string;
  dealId: string;
  from: TapeRef;
  to: TapeRef;
  loans: {
    counts: {
      from: number;
      to: number;
      added: number;
      removed: number;
      changedBalance: number;
      unchanged: number;
    };
    added: LoanBalance[];
    removed: LoanBalance[];
    changed: {
      loanId: string;
      from: string;
      to: string;
      change: string;
    }[];
    /**
     * True when a list holds fewer loans than its count (see ?limit=).
     */
    truncated: boolean;
    listLimit: number;
  };
  dataQualityScore: FigureChange;
  /**
   * Every figure of the report's pool section, before and after.
   */
  pool: FigureChange[];
  /**
   * eligibleCount, ineligibleCount, eligibleBalance and each criterion's failures.
   */
  eligibility: FigureChange[];
  tests: {
    id: string;
    description: string;
    limit: string;
    limitType: "max" | "min";
    unit?: string;
    from: TestOutcome;
    to: TestOutcome;
  }[];
  score: {
    from: {
      points: string;
      band: string;
    } | null;
    to: {
      points: string;
      band: string;
    } | null;
    points: FigureChange;
  };
}
/**
 * Exposure of the deals' latest SCORED tapes (per deal the latest reportingDate, <= asOf when given; ties: the later upload) by key: Σ eligible currentBalance. Items by balance descending, then key; every page carries asOf, dealCount and totalBalance.
 */
export interface ExposurePage {
  /**
   * The asOf asked for, or null.
   */
  asOf: string | null;
  /**
   * Deals with a latest tape (eligible loans or not).
   */
  dealCount: number;
  /**
   * Σ eligible currentBalance of those tapes.
   */
  totalBalance: string;
  items: {
    /**
     * Normalised key (lower case; facility: issuerId/facilityId).
     */
    key: string;
    /**
     * The spelling of the first loan with the key in (issuerId, dealId, row) order.
     */
    label: string;
    /**
     * Money: decimal text, 2 decimals.
     */
    balance: string;
    /**
     * balance / totalBalance, 6 decimals; null when the total is 0.
     */
    share: string | null;
    /**
     * Deals holding the key.
     */
    dealCount: number;
  }[];
  nextToken: NextToken;
}
/**
 * The balance-sheet transition across the deals' latest tapes: every valid loan with offBalanceSheet true (eligible or not), OPERATIONAL facilities `due`, others by the calendar quarter YYYY-Qn of expectedCompletionDate; currentBalance summed by quarter and tenant group. `due` first, then quarters in order.
 */
export interface TransitionResult {
  asOf: string | null;
  quarters: {
    /**
     * `due`, `YYYY-Qn`, or `unknown` (no expectedCompletionDate).
     */
    quarter: string;
    /**
     * Money: decimal text, 2 decimals.
     */
    amount: string;
    loanCount: number;
    /**
     * By amount descending, then key.
     */
    byTenantGroup: {
      key: string;
      /**
       * Money: decimal text, 2 decimals.
       */
      amount: string;
    }[];
  }[];
}
/**
 * A new DMBX series: its name (never reused), the date it is fixed at, and optionally any part of a rulebook (schemas/dmbx-rulebook.schema.json), merged over the defaults.
 */
export interface DmbxSeriesRequest {
  name: string;
  asOf: string;
  /**
   * Any part of a DMBX rulebook (maxTapeAgeMonths, minEligibleLoans, minEligibleBalance, minDataQuality, maxDeals, caps).
   */
  rulebook?: {};
}
/**
 * A DMBX series: an immutable reference portfolio of deals with equal weights, their look-through shares and the caps (reported, not enforced).
 */
export interface DmbxSeries {
  name: string;
  asOf: string;
  /**
   * The effective rulebook (the series' own merged over the defaults).
   */
  rulebook: {};
  createdAt: string;
  /**
   * In rank order: eligible balance descending, then dealId, then issuerId.
   */
  deals: {
    issuerId: string;
    dealId: string;
    tapeId: string;
    reportingDate: string;
    /**
     * Money: decimal text, 2 decimals.
     */
    eligibleBalance: string;
    /**
     * 1/n, 6 decimals.
     */
    weight: string;
  }[];
  lookThrough: {
    /**
     * By share descending, then key.
     */
    tenantGroup: {
      key: string;
      label: string;
      /**
       * Decimal text, 6 decimals (exact, rounded half-even).
       */
      share: string;
    }[];
    /**
     * By share descending, then key.
     */
    sponsor: {
      key: string;
      label: string;
      /**
       * Decimal text, 6 decimals (exact, rounded half-even).
       */
      share: string;
    }[];
    /**
     * By share descending, then key.
     */
    market: {
      key: string;
      label: string;
      /**
       * Decimal text, 6 decimals (exact, rounded half-even).
       */
      share: string;
    }[];
  };
  caps: {
    by: "tenantGroup" | "sponsor" | "market";
    key: string | null;
    share: string | null;
    limit: string;
    /**
     * share <= limit; null when the series has no deal.
     */
    pass: boolean | null;
  }[];
}
export interface DmbxSeriesPage {
  items: {
    name: string;
    asOf: string;
    createdAt: string;
    dealCount: number;
  }[];
  nextToken: NextToken;
}
