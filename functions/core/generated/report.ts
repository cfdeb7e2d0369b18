/* eslint-disable */
// GENERATED from schemas/dmbs-report.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * A decimal number as text.
 */
export type DecimalText = string;
/**
 * Money as text with exactly 2 decimals.
 */
export type MoneyText = string;

/**
 * The machine-readable report of one DMBS tape (dmbs-report/1): the same document from `dmbs check --json`, from the pipeline (S3) and from the API. Money and ratios are JSON strings holding decimals so no consumer loses precision.
 */
export interface DmbsReport {
  schemaVersion: "dmbs-report/1";
  /**
   * When the report was produced.
   */
  generatedAt?: string;
  tape: {
    fileName: string;
    /**
     * SHA-256 of the tape's bytes, hex.
     */
    sha256: string;
    format: "csv" | "xlsx" | "ndjson";
    /**
     * The tape's kind when it is not a loan tape: `compute` for a compute-equipment (GPU) lot tape, whose report carries that kind's eligibility, pool, concentrations and score sections (schemas/compute-report-sections.schema.json) in place of the loan tape's, and no balanceSheetTransition, stress or watchlist. Absent on a loan tape's report.
     */
    kind?: "compute";
    /**
     * The tape's cut-off; null when no row carries a valid one.
     */
    reportingDate: string | null;
    dealId: string | null;
    /**
     * XLSX: the sheet read.
     */
    sheet?: string;
    /**
     * CSV: the delimiter used.
     */
    delimiter?: string;
    /**
     * How each header of the tape was mapped.
     */
    columns?: {
      header: string;
      field: string | null;
      matchedBy: "name" | "alias" | "mapping" | "none" | "ignored";
    }[];
  };
  validation: {
    /**
     * Loan rows read (blank rows not counted).
     */
    rowCount: number;
    validRowCount: number;
    invalidRowCount: number;
    errorCount: number;
    warningCount: number;
    /**
     * 0-100, 2 decimals; weights from the loan-tape schema's x-criticality.
     */
    dataQualityScore: string;
    /**
     * True when `errors` holds fewer findings than errorCount + warningCount (see --max-errors / the errors artifact).
     */
    errorsTruncated?: boolean;
    errors: Finding[];
    /**
     * Per-field breakdown of the data-quality score.
     */
    dataQuality?: {
      field: string;
      criticality: number;
      valid: number;
      warning: number;
      noData: number;
      blank: number;
      invalid: number;
      score: DecimalText;
    }[];
  };
  /**
   * Per-loan eligibility (the DMBS standard, 'Eligibility criteria'). Only valid rows are evaluated: eligibleCount + ineligibleCount = validation.validRowCount.
   */
  eligibility: {
    eligibleCount: number;
    ineligibleCount: number;
    /**
     * Sum of currentBalance of the eligible loans.
     */
    eligibleBalance: string;
    /**
     * Loans failing each enabled criterion (a loan failing two counts in both); every enabled criterion is listed, 0 included.
     */
    failuresByCriterion: {
      [k: string]: number;
    };
  };
  /**
   * The eligible pool, weighted by currentBalance. An empty pool (or one of zero balance) has its loanCount and currentBalance, every other figure null, and a reason.
   */
  pool: {
    loanCount: number;
    currentBalance: MoneyText;
    /**
     * Balance-weighted average dscr.
     */
    waDscr: DecimalText | null;
    /**
     * Balance-weighted average ltv.
     */
    waLtv: DecimalText | null;
    /**
     * Balance-weighted average interestRate.
     */
    waInterestRate: DecimalText | null;
    /**
     * Balance-weighted average remaining lease term, whole months from reportingDate to leaseExpiryDate per loan.
     */
    waRemainingLeaseTermMonths: DecimalText | null;
    /**
     * 1 / sum((balance / total)^2).
     */
    effectiveLoanCount: DecimalText | null;
    /**
     * Why the figures are null.
     */
    reason?: string;
  };
  /**
   * The enabled concentration tests (C01..C09) and pool tests (P01..P03), in id order; a test switched off by the deal's criteria is not listed.
   */
  concentrations: ConcentrationTest[];
  /**
   * Indicative pool score (not a credit rating) per schemas/score-model.json: every factor with its value, points and weight.
   */
  score: {
    /**
     * Score model version, e.g. dmbs-score/1.
     */
    model?: string;
    /**
     * A decimal number as text.
     */
    points: string;
    /**
     * From 'AAA range' to 'sub-investment-grade range'; 'no eligible pool' when the pool is empty.
     */
    band: string;
    factors: {
      name: string;
      /**
       * The pool metric the factor scores.
       */
      metric?: string;
      /**
       * The metric's value; null without an eligible pool or when the metric is undefined (then 0 points).
       */
      value: DecimalText | null;
      /**
       * A decimal number as text.
       */
      points: string;
      weight: DecimalText;
    }[];
  };
  /**
   * Valid loans with offBalanceSheet = true: the currentBalance returning to the sponsor's or tenant's books per calendar quarter of expectedCompletionDate, in total and by tenant group. 'due' (OPERATIONAL facilities: already due) comes first, then quarters in order.
   */
  balanceSheetTransition: {
    /**
     * YYYY-Qn of expectedCompletionDate; 'due' for OPERATIONAL facilities; 'unknown' for a facility not operational without an expectedCompletionDate.
     */
    quarter: string;
    amount: MoneyText;
    loanCount: number;
    /**
     * Largest amount first, then key.
     */
    byTenantGroup: {
      key: string;
      amount: MoneyText;
    }[];
  }[];
  /**
   * The stress lens (docs/stress.md): each eligible loan's underwrittenNcf haircut and capitalised at a stressed cap rate, the pool's stressed figures, the credit enhancement each rating level needs and the implied rating of the deal's tranches. An analytical view in the open, not a credit rating. Present whenever the pool was evaluated (the stress model in force: the defaults or the deal's file).
   */
  stress?: {
    /**
     * The stress model in force.
     */
    model: {
      id: string;
      version: string;
    };
    pool: {
      /**
       * The issuer's figure beside the stressed one: Σ underwrittenNcf of the eligible loans; null for an empty pool.
       */
      underwrittenNcf: MoneyText | null;
      /**
       * The issuer's figure beside the stressed one: Σ appraisedValue of the eligible loans; null for an empty pool.
       */
      appraisedValue: MoneyText | null;
      /**
       * Σ stressed NCF of the eligible loans; null for an empty pool.
       */
      stressedNcf: MoneyText | null;
      /**
       * Σ max(0, stressed NCF) / cap rate; null for an empty pool.
       */
      stressedValue: MoneyText | null;
      /**
       * 1 − Σ stressed NCF / Σ underwrittenNcf; null for an empty pool or Σ underwrittenNcf = 0.
       */
      ncfHaircut: DecimalText | null;
      /**
       * 1 − stressed value / Σ appraisedValue; null for an empty pool.
       */
      valueHaircutToAppraisal: DecimalText | null;
      /**
       * Σ currentBalance / stressed value; null for an empty pool or a stressed value of 0.
       */
      stressedLtv: DecimalText | null;
      /**
       * Σ stressed NCF / Σ annualDebtService; null for an empty pool.
       */
      stressedDscr: DecimalText | null;
      /**
       * Σ stressed NCF / Σ currentBalance; null for an empty pool.
       */
      stressedDebtYield: DecimalText | null;
    };
    /**
     * One row per rating level of the model, in its order: the largest balance the level can carry (min(B, maxStressedLtv × stressed value)) and the credit enhancement it needs (1 − maxBalance / B).
     */
    creditEnhancement: {
      rating: string;
      maxStressedLtv: DecimalText;
      /**
       * null for an empty pool.
       */
      maxBalance: MoneyText | null;
      /**
       * null for an empty pool.
       */
      creditEnhancement: DecimalText | null;
    }[];
    /**
     * The deal's tranches from its stress file, senior first; empty when it gives none.
     */
    tranches: {
      name: string;
      share: DecimalText;
      /**
       * A decimal number as text.
       */
      attachment: string;
      /**
       * A decimal number as text.
       */
      detachment: string;
      /**
       * Cumulative share × Σ currentBalance / stressed value; null for an empty pool or a stressed value of 0.
       */
      cumulativeStressedLtv: DecimalText | null;
      /**
       * The first rating level whose maxStressedLtv is at least cumulativeStressedLtv, else 'not rated'.
       */
      impliedRating: string;
    }[];
  };
  /**
   * Surveillance against the deal's prior tape (the DMBS standard v1.1, watchlist): the valid loans with a watchlist code W01-W08. The pipeline adds it to every tape it scores (priorTape null on a deal's first tape); `dmbs check` adds it when `--prior` names the prior tape.
   */
  watchlist?: {
    /**
     * The prior tape the loans were compared with; null for a deal's first tape. Offline: tapeId null, with its fileName and sha256.
     */
    priorTape: {
      tapeId: string | null;
      reportingDate: string | null;
      fileName?: string;
      sha256?: string;
    } | null;
    /**
     * Loans with at least one code.
     */
    loanCount: number;
    /**
     * Their currentBalance, money with 2 decimals.
     */
    balance: string;
    /**
     * balance / the currentBalance of every valid loan, 6 decimals; null when that is 0.
     */
    share: string | null;
    /**
     * Loans per code, all eight codes.
     */
    countsByCode: {
      [k: string]: number;
    };
    /**
     * The watched loans in row order.
     */
    loans: {
      row: number;
      loanId: string;
      codes: string[];
    }[];
  };
}
export interface Finding {
  /**
   * Row as a spreadsheet shows it: header = 1, first loan = 2 (NDJSON: line number).
   */
  row: number;
  /**
   * The standard's field name; null for row-level findings.
   */
  field: string | null;
  /**
   * The tape's own header for the field, when it differs.
   */
  column?: string;
  code: string;
  severity: "error" | "warning";
  message: string;
  /**
   * The cell as read (trimmed); null when blank. At most 200 characters: a longer value is cut there and its full length given in valueLength.
   */
  value: string | null;
  /**
   * The full length in characters of a value cut to 200; present only then.
   */
  valueLength?: number;
  /**
   * The loanId of the one loan row the finding concerns, when that row's loanId passed its own checks (for DUPLICATE_ID: the duplicated id). Absent for findings on the header (row 1), on a column (DATE_PATTERN, an NDJSON key's UNKNOWN_COLUMN), on an unreadable record (MALFORMED_ROW), and when the row's loanId is blank, a no-data code or invalid.
   */
  loanId?: string;
  /**
   * UNKNOWN_COLUMN of a header: the field of the standard the header probably means, as the message suggests it; absent when no field is close.
   */
  suggestedField?: string;
}
export interface ConcentrationTest {
  id: string;
  description: string;
  /**
   * The pool's figure; null for an empty pool.
   */
  actual: DecimalText | null;
  limit: DecimalText;
  /**
   * max: pass when actual <= limit; min: pass when actual >= limit.
   */
  limitType: "max" | "min";
  /**
   * Unit of actual, limit and headroom.
   */
  unit?: string;
  /**
   * Decided on the exact actual; false for an empty pool.
   */
  pass: boolean;
  /**
   * max: limit - actual; min: actual - limit; negative = breached; in the limit's unit.
   */
  headroom: DecimalText | null;
  /**
   * At most 5: the 5 largest contributors by share of the eligible balance (share desc, then key asc).
   */
  top: {
    key: string;
    share: DecimalText;
  }[];
  /**
   * Why actual is null.
   */
  reason?: string;
}
