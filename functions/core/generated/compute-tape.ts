/* eslint-disable */
// GENERATED from schemas/dmbs-compute-tape.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * One equipment lot of a DMBS compute tape (one row): identical units (GPUs) under one customer contract at one site, after header mapping and coercion. Money values are JSON numbers with at most 2 decimals and at most 15 significant digits, so they convert to exact decimals and integer cents without loss.
 */
export type DmbsComputeLot = {
  /**
   * Equipment-lot identifier, unique within the tape: identical units under one customer contract at one site.
   */
  lotId: string;
  /**
   * The tape's cut-off date; identical on every row.
   */
  reportingDate: string;
  /**
   * Deal identifier; otherwise taken from the upload.
   */
  dealId?: string;
  /**
   * Borrower, usually the SPV that owns the equipment.
   */
  borrower?: string;
  /**
   * The operator behind the borrower (the cloud or compute provider).
   */
  sponsor: string;
  /**
   * Maker of the accelerators.
   */
  gpuVendor?: "NVIDIA" | "AMD" | "INTEL" | "OTHER";
  /**
   * Accelerator model or generation; OTHER for anything not listed (one model for concentration).
   */
  gpuModel: "H100" | "H200" | "B200" | "GB200" | "MI300X" | "MI325X" | "OTHER";
  /**
   * Number of identical units (GPUs) in the lot.
   */
  unitCount: number;
  /**
   * Acquisition cost per unit (all-in: accelerator share of the server, networking and installation).
   */
  unitCost: number;
  /**
   * Date the borrower acquired the units.
   */
  acquisitionDate: string;
  /**
   * Date the units were (or are expected to be) powered and accepted by the customer; required unless energised is false.
   */
  inServiceDate?: string;
  /**
   * True when the units are powered and accepted by the customer at the cut-off.
   */
  energised: boolean;
  /**
   * Site (data hall or facility) identifier where the units sit.
   */
  siteId: string;
  /**
   * Critical IT power contracted for the lot at the site, in MW.
   */
  colocationMw?: number;
  /**
   * ISO 3166-1 alpha-2 country of the site (the jurisdiction).
   */
  country: string;
  /**
   * ISO 3166-2 subdivision of the site (e.g. US-TX); must belong to country.
   */
  region: string;
  /**
   * Lien of the facility on the units.
   */
  lienPosition: "FIRST" | "SECOND";
  /**
   * Customer (offtaker) of the contract the lot serves.
   */
  customer: string;
  /**
   * Obligor group of the customer; concentration groups by it when it holds a value.
   */
  customerParent?: string;
  /**
   * Customer long-term rating, S&P-style scale (NR when unrated).
   */
  customerRating:
    | "AAA"
    | "AA+"
    | "AA"
    | "AA-"
    | "A+"
    | "A"
    | "A-"
    | "BBB+"
    | "BBB"
    | "BBB-"
    | "BB+"
    | "BB"
    | "BB-"
    | "B+"
    | "B"
    | "B-"
    | "CCC+"
    | "CCC"
    | "CCC-"
    | "CC"
    | "C"
    | "D"
    | "NR";
  /**
   * Guarantor of the customer's payments, when there is one.
   */
  guarantor?: string;
  /**
   * Long-term rating of the guarantor; an investment-grade guarantee lets a customer below the rating floor stay eligible (criterion G07).
   */
  guarantorRating?:
    | "AAA"
    | "AA+"
    | "AA"
    | "AA-"
    | "A+"
    | "A"
    | "A-"
    | "BBB+"
    | "BBB"
    | "BBB-"
    | "BB+"
    | "BB"
    | "BB-"
    | "B+"
    | "B"
    | "B-"
    | "CCC+"
    | "CCC"
    | "CCC-"
    | "CC"
    | "C"
    | "D"
    | "NR";
  /**
   * How the customer pays for the capacity.
   */
  contractType: "TAKE_OR_PAY" | "RESERVED" | "ON_DEMAND";
  /**
   * Revenue the contract pays for the lot per month.
   */
  monthlyContractedRevenue: number;
  /**
   * Start of the contract.
   */
  contractStartDate: string;
  /**
   * Expiry of the contract; after contractStartDate.
   */
  contractExpiryDate: string;
  /**
   * True when the customer may end the contract early.
   */
  terminationRight?: boolean;
  /**
   * Share of the lot's capacity in use over the last month.
   */
  utilisation?: number;
  /**
   * Share of the last month the lot was available.
   */
  uptime?: number;
  /**
   * Outstanding principal allocated to the lot at the cut-off; at most originalBalance.
   */
  currentBalance: number;
  /**
   * Principal originally advanced against the lot (drawn amount).
   */
  originalBalance: number;
  /**
   * All-in current interest rate as a decimal fraction (0.095 = 9.5 %).
   */
  interestRate: number;
  /**
   * Final maturity of the debt on the lot.
   */
  maturityDate: string;
  /**
   * Amortisation profile of the debt.
   */
  amortizationType?: "FULL_IO" | "PARTIAL_IO" | "AMORTIZING" | "BALLOON";
  /**
   * Scheduled interest and principal per month.
   */
  monthlyDebtService?: number;
  /**
   * Delinquency status at the cut-off.
   */
  paymentStatus: "CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT";
  /**
   * ISO 4217 currency of all money fields of the row.
   */
  currency: string;
  /**
   * Appraised or fair value of the lot's units.
   */
  appraisedValue?: number;
  /**
   * Date of the appraisal.
   */
  valuationDate?: string;
};
