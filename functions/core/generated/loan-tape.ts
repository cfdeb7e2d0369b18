/* eslint-disable */
// GENERATED from schemas/dmbs-loan-tape.v1.schema.json by `npm run gen:types`. Do not edit: change the schema and regenerate.

/**
 * One loan of a DMBS loan tape (one row), after header mapping and coercion. Money values are JSON numbers with at most 2 decimals and at most 15 significant digits, so they convert to exact decimals and integer cents without loss.
 */
export type DmbsLoan = {
  /**
   * Loan identifier, unique within the tape.
   */
  loanId: string;
  /**
   * The tape's cut-off date; identical on every row.
   */
  reportingDate: string;
  /**
   * Deal identifier; otherwise taken from the upload.
   */
  dealId?: string;
  /**
   * Originator of the loan.
   */
  originator?: string;
  /**
   * The developer/operator behind the borrower.
   */
  sponsor: string;
  /**
   * Borrower, usually an SPV.
   */
  borrower?: string;
  /**
   * Origination (note) date; on or before reportingDate.
   */
  originationDate: string;
  /**
   * Maturity date; after originationDate.
   */
  maturityDate: string;
  /**
   * Original principal balance.
   */
  originalBalance: number;
  /**
   * Current principal balance at the cut-off; at most originalBalance.
   */
  currentBalance: number;
  /**
   * ISO 4217 currency of all money fields of the row.
   */
  currency: string;
  /**
   * Fixed or floating rate.
   */
  interestRateType: "FIXED" | "FLOATING";
  /**
   * All-in current interest rate as a decimal fraction (0.0525 = 5.25 %).
   */
  interestRate: number;
  /**
   * Reference index; required if interestRateType is FLOATING.
   */
  floatingIndex?: "SOFR" | "EURIBOR" | "SONIA" | "TONA" | "OTHER";
  /**
   * Margin over the index in basis points; required if FLOATING.
   */
  marginBps?: number;
  /**
   * Amortization profile.
   */
  amortizationType: "FULL_IO" | "PARTIAL_IO" | "AMORTIZING" | "BALLOON";
  /**
   * Annual debt service (interest and principal).
   */
  annualDebtService: number;
  /**
   * Lien position of the loan.
   */
  lienPosition: "FIRST" | "SECOND" | "MEZZANINE";
  /**
   * Delinquency status at the cut-off.
   */
  paymentStatus: "CURRENT" | "DPD_30" | "DPD_60" | "DPD_90" | "DPD_120_PLUS" | "DEFAULT";
  /**
   * How the facility is financed.
   */
  financingStructure?: "DIRECT_LOAN" | "CONSTRUCTION_LOAN" | "SPV_LEASE" | "SYNTHETIC_LEASE" | "JOINT_VENTURE";
  /**
   * True while the sponsor keeps the debt off its balance sheet; typically ends when the facility goes live.
   */
  offBalanceSheet?: boolean;
  /**
   * Facility identifier; a facility may secure several loans.
   */
  facilityId: string;
  /**
   * Facility name.
   */
  facilityName?: string;
  /**
   * ISO 3166-1 alpha-2 country of the facility.
   */
  country: string;
  /**
   * ISO 3166-2 subdivision (e.g. US-VA); must belong to country.
   */
  region: string;
  /**
   * Data-center market, e.g. Northern Virginia, Dallas, Phoenix, Dublin.
   */
  market: string;
  /**
   * Latitude in decimal degrees.
   */
  latitude?: number;
  /**
   * Longitude in decimal degrees.
   */
  longitude?: number;
  /**
   * Kind of data center.
   */
  facilityType: "HYPERSCALE" | "WHOLESALE" | "COLOCATION" | "AI_TRAINING" | "AI_INFERENCE" | "EDGE";
  /**
   * Construction status at the cut-off.
   */
  constructionStatus: "PLANNED" | "UNDER_CONSTRUCTION" | "COMMISSIONING" | "OPERATIONAL";
  /**
   * Expected completion date; required unless constructionStatus is OPERATIONAL.
   */
  expectedCompletionDate?: string;
  /**
   * Year built.
   */
  yearBuilt?: number;
  /**
   * Critical IT load at full build-out, in MW.
   */
  itCapacityMw: number;
  /**
   * Commissioned IT capacity in MW; at most itCapacityMw.
   */
  commissionedMw?: number;
  /**
   * Leased (contracted) IT capacity in MW; at most itCapacityMw.
   */
  leasedMw: number;
  /**
   * Power usage effectiveness.
   */
  pue?: number;
  /**
   * Water usage effectiveness in L/kWh.
   */
  wue?: number;
  /**
   * Uptime tier.
   */
  tierRating?: "TIER_I" | "TIER_II" | "TIER_III" | "TIER_IV" | "NONE";
  /**
   * Power supply arrangement.
   */
  powerSupply?: "UTILITY" | "PPA" | "ONSITE" | "HYBRID";
  /**
   * Share of renewable power as a fraction.
   */
  renewableShare?: number;
  /**
   * Appraised value of the facility.
   */
  appraisedValue: number;
  /**
   * Date of the valuation.
   */
  valuationDate?: string;
  /**
   * Basis of the valuation.
   */
  valuationBasis?: "AS_IS" | "AS_COMPLETE" | "AS_STABILIZED";
  /**
   * Underwritten net operating income, annual.
   */
  underwrittenNoi: number;
  /**
   * Underwritten net cash flow, annual.
   */
  underwrittenNcf: number;
  /**
   * Debt service coverage ratio as reported (may be <= 0 when NCF is negative); cross-checked against underwrittenNcf / annualDebtService.
   */
  dscr: number;
  /**
   * Loan-to-value as reported (may exceed 1); cross-checked against currentBalance / appraisedValue.
   */
  ltv: number;
  /**
   * underwrittenNoi / currentBalance (may be negative).
   */
  debtYield?: number;
  /**
   * Signed tenants, including pre-leases.
   */
  tenantCount: number;
  /**
   * Largest tenant of the facility.
   */
  largestTenant: string;
  /**
   * Obligor group of the largest tenant; concentration groups by it when it holds a value.
   */
  largestTenantParent?: string;
  /**
   * Largest tenant long-term rating, S&P-style scale.
   */
  largestTenantRating:
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
   * Largest tenant's share of the facility's contracted rent.
   */
  largestTenantShare?: number;
  /**
   * Sector of the largest tenant.
   */
  tenantSector?: "HYPERSCALER" | "AI_LAB" | "NEOCLOUD" | "ENTERPRISE" | "GOVERNMENT" | "OTHER";
  /**
   * Lease type of the largest tenant.
   */
  leaseType?: "TRIPLE_NET" | "MODIFIED_GROSS" | "GROSS";
  /**
   * Lease start date of the largest tenant.
   */
  leaseStartDate?: string;
  /**
   * Lease expiry date of the largest tenant's lease.
   */
  leaseExpiryDate: string;
  /**
   * Annual contracted rent of the whole facility.
   */
  annualContractedRent: number;
  /**
   * Annual rent escalator as a fraction.
   */
  rentEscalator?: number;
  /**
   * Whether the largest tenant has an early termination right.
   */
  earlyTerminationRight?: boolean;
  /**
   * Whether power costs are passed through to the tenant.
   */
  powerPassThrough?: boolean;
};
