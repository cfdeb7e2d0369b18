/**
 * Deterministic compute-tape generator (GPU and compute-equipment lots) for tests, benchmarks, the
 * example tape and demo data: realistic models, unit costs, sites, customers with parents and
 * ratings, contracts, advance rates and straight-line amortisation. Same seed, same rows.
 */
import computeTapeSchema from '../../schemas/dmbs-compute-tape.v1.schema.json' with { type: 'json' };
import { addMonths, daysBetween } from '../core/validation/calendar.ts';
import { rng, toCsv } from './tape-generator.ts';

/** Every field of the compute-tape standard, in schema order (the canonical column order). */
export const COMPUTE_FIELDS = Object.keys(computeTapeSchema.properties) as ReadonlyArray<keyof typeof computeTapeSchema.properties>;

export type ComputeRow = Record<(typeof COMPUTE_FIELDS)[number], string>;

export interface ComputeGenerateOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Default 2026-10-31. */
  readonly reportingDate?: string;
  readonly dealId?: string;
  /** Share of optional cells given an ND code (default 0.02). */
  readonly ndShare?: number;
  /**
   * Share of lots given exactly one defect (default 0): a cell of the wrong type, an impossible
   * date, a value outside its enum, a blank required cell, a balance above the original one, and
   * (one in seven) the lotId of an earlier lot. From a second random stream: the other lots are the
   * same as without defects.
   */
  readonly brokenShare?: number;
}

/** The defects `brokenShare` plants, one per broken lot, in turn; the seventh is a duplicated lotId. */
const DEFECTS: ReadonlyArray<(row: ComputeRow) => void> = [
  (r) => { r.unitCount = 'many'; },
  (r) => { r.maturityDate = '2031-02-30'; },
  (r) => { r.gpuModel = 'H900'; },
  (r) => { r.customer = ''; },
  (r) => { r.currentBalance = cents(Number(r.originalBalance) * 1.5 + 100); },
  (r) => { r.energised = 'perhaps'; },
];

/** Model, vendor, unit cost range in dollars. */
const MODELS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['H100', 'NVIDIA', 25000, 32000], ['H200', 'NVIDIA', 30000, 38000], ['B200', 'NVIDIA', 40000, 50000], ['GB200', 'NVIDIA', 55000, 70000],
  ['MI300X', 'AMD', 15000, 22000], ['MI325X', 'AMD', 20000, 26000], ['OTHER', 'OTHER', 8000, 20000],
];
/** Model weights (H100/H200/B200 dominate current fleets). */
const MODEL_WEIGHTS = [0.3, 0.2, 0.2, 0.12, 0.08, 0.05, 0.05];
/** Site, country, region. */
const SITES: ReadonlyArray<readonly [string, string, string]> = [
  ['ABI-01', 'US', 'US-TX'], ['DFW-01', 'US', 'US-TX'], ['ASH-01', 'US', 'US-VA'], ['PHX-02', 'US', 'US-AZ'], ['ATL-01', 'US', 'US-GA'],
  ['CMH-03', 'US', 'US-OH'], ['RNO-01', 'US', 'US-NV'], ['YYZ-01', 'CA', 'CA-ON'], ['DUB-02', 'IE', 'IE-D'], ['AMS-01', 'NL', 'NL-NH'],
  ['FRA-04', 'DE', 'DE-HE'], ['LHR-01', 'GB', 'GB-LND'], ['OSL-01', 'NO', 'NO-03'], ['NRT-01', 'JP', 'JP-13'], ['SIN-02', 'SG', 'SG-01'],
  ['GRU-01', 'BR', 'BR-SP'],
];
/** Customer, parent, rating. */
const CUSTOMERS: ReadonlyArray<readonly [string, string, string]> = [
  ['Microsoft Azure', 'Microsoft', 'AAA'], ['OpenAI OpCo, LLC', 'OpenAI', 'NR'], ['Meta Platforms', '', 'AA-'], ['Google Cloud', 'Alphabet', 'AA+'],
  ['Oracle Cloud Infrastructure', 'Oracle', 'BBB'], ['Amazon Web Services', 'Amazon', 'AA'], ['Anthropic', '', 'NR'], ['xAI', '', 'NR'],
  ['Mistral AI', '', 'NR'], ['CoreWeave', '', 'B+'], ['Nebius', '', 'BB-'], ['Lambda', '', 'B'], ['Crusoe Cloud', '', 'B-'],
  ['Together AI', '', 'CCC+'], ['IBM', 'IBM', 'A-'], ['Salesforce', 'Salesforce', 'A+'],
];
const SPONSORS = ['CoreWeave', 'Lambda', 'Crusoe', 'Nebius', 'Fluidstack', 'Together AI', 'Vultr', 'Applied Digital'];
const CONTRACTS: ReadonlyArray<readonly [string, number]> = [['TAKE_OR_PAY', 0.6], ['RESERVED', 0.3], ['ON_DEMAND', 0.1]];

const cents = (amount: number) => (Math.round(amount * 100) / 100).toFixed(2);

/**
 * Generates `rows` lots (optional cells sometimes ND codes; valid unless `brokenShare`), deterministic by seed.
 * @example generateComputeTape({ rows: 10, seed: 7 })[0].gpuModel // 'H100'
 */
export function generateComputeTape(options: ComputeGenerateOptions): ComputeRow[] {
  return [...streamComputeTape(options)];
}

/** The lots of {@link generateComputeTape} one at a time, in constant memory (a tape of any size). */
export function* streamComputeTape(options: ComputeGenerateOptions): Generator<ComputeRow> {
  const chance = rng(((options.seed ?? 1) ^ 0x27d4eb2f) >>> 0);
  const broken = options.brokenShare ?? 0;
  let k = 0;
  for (const [i, row] of lots(options)) {
    if (i > 0 && broken > 0 && chance() < broken) {
      const slot = k++ % (DEFECTS.length + 1);
      if (slot === DEFECTS.length) row.lotId = lotIdOf(options, Math.floor(chance() * i));
      else DEFECTS[slot]!(row);
    }
    yield row;
  }
}

function lotIdOf(options: ComputeGenerateOptions, index: number): string {
  return `GPU-${String(options.seed ?? 1).padStart(3, '0')}-${String(index + 1).padStart(6, '0')}`;
}

function* lots(options: ComputeGenerateOptions): Generator<[number, ComputeRow]> {
  const random = rng(options.seed ?? 1);
  const reportingDate = options.reportingDate ?? '2026-10-31';
  const ndShare = options.ndShare ?? 0.02;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const weighted = <T>(list: readonly T[], weights: readonly number[]) => {
    let r = random();
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]!) < 0) return list[i]!;
    return list[list.length - 1]!;
  };
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const nd = (value: string) => (random() < ndShare ? pick(['ND1', 'ND2', 'ND3']) : value);
  for (let i = 0; i < options.rows; i++) {
    const [model, vendor, costLo, costHi] = weighted(MODELS, MODEL_WEIGHTS);
    const [siteId, country, region] = random() < 0.7 ? pick(SITES.slice(0, 7)) : pick(SITES);
    const [customer, parent, rating] = pick(CUSTOMERS);
    const contractType = weighted(CONTRACTS.map((c) => c[0]), CONTRACTS.map((c) => c[1]));
    const unitCount = 8 * Math.floor(between(8, 513));
    const unitCost = Math.round(between(costLo, costHi) / 10) * 10;
    const lotCost = unitCount * unitCost;
    // acquired up to 40 months before the cut-off (some still to be energised), in service 0-3 months later
    const acquisitionDate = addMonths(reportingDate, -Math.floor(between(0, 40)));
    const inServiceDate = addMonths(acquisitionDate, Math.floor(between(0, 4)));
    const energised = inServiceDate <= reportingDate ? random() < 0.98 : false;
    const contractStartDate = inServiceDate;
    const contractExpiryDate = addMonths(contractStartDate, 12 * Math.floor(between(2, 6)));
    const maturityDate = addMonths(acquisitionDate, 12 * Math.floor(between(3, 6)));
    const originalBalance = Math.round(lotCost * between(0.5, 0.65));
    // straight line from acquisition to maturity, never below 0
    const elapsed = Math.max(0, daysBetween(acquisitionDate, reportingDate)) / Math.max(1, daysBetween(acquisitionDate, maturityDate));
    const currentBalance = Math.max(0, Math.round(originalBalance * (1 - Math.min(1, elapsed))));
    const investmentGrade = !['NR', 'B+', 'BB-', 'B', 'B-', 'CCC+'].includes(rating);
    const interestRate = (investmentGrade ? between(0.065, 0.085) : between(0.09, 0.14)).toFixed(4);
    const monthlyRevenue = lotCost * between(0.03, 0.05) * (contractType === 'ON_DEMAND' ? 0.6 : 1);
    const months = Math.max(1, daysBetween(reportingDate, maturityDate) / 30.4375);
    const guaranteed = rating === 'CCC+' || (rating === 'NR' && random() < 0.3);
    const monthlyDebtService = currentBalance > 0 ? currentBalance / months + (currentBalance * Number(interestRate)) / 12 : 0;
    yield [i, {
      lotId: lotIdOf(options, i),
      reportingDate,
      dealId: options.dealId ?? '',
      borrower: `${model} Equipment SPV ${1 + (i % 9)} LLC`,
      sponsor: pick(SPONSORS),
      gpuVendor: nd(vendor),
      gpuModel: model,
      unitCount: String(unitCount),
      unitCost: cents(unitCost),
      acquisitionDate,
      inServiceDate,
      energised: String(energised),
      siteId,
      colocationMw: nd((unitCount * 1.4 / 1000).toFixed(3)),
      country,
      region,
      lienPosition: random() < 0.95 ? 'FIRST' : 'SECOND',
      customer,
      customerParent: parent,
      customerRating: rating,
      guarantor: guaranteed ? `${customer} Holdings` : '',
      guarantorRating: guaranteed ? 'A' : '',
      contractType,
      monthlyContractedRevenue: cents(monthlyRevenue),
      contractStartDate,
      contractExpiryDate,
      terminationRight: nd(String(random() < 0.15)),
      utilisation: nd(between(0.6, 0.99).toFixed(4)),
      uptime: nd(between(0.98, 0.9999).toFixed(4)),
      currentBalance: cents(currentBalance),
      originalBalance: cents(originalBalance),
      interestRate,
      maturityDate,
      amortizationType: 'AMORTIZING',
      monthlyDebtService: monthlyDebtService > 0 ? cents(monthlyDebtService) : '',
      paymentStatus: random() < 0.96 ? 'CURRENT' : pick(['DPD_30', 'DPD_60', 'DPD_90']),
      currency: random() < 0.97 ? 'USD' : 'EUR',
      appraisedValue: random() < 0.7 ? cents(lotCost * between(0.35, 0.9)) : 'ND1',
      valuationDate: addMonths(reportingDate, -Math.floor(between(0, 6))),
    }];
  }
}

/** Issuer-style headers for every field, each matched by the schema's aliases without a mapping file. */
export const ISSUER_HEADERS: Readonly<Record<(typeof COMPUTE_FIELDS)[number], string>> = {
  lotId: 'Lot ID', reportingDate: 'Cut-off Date', dealId: 'Deal ID', borrower: 'Borrower SPV', sponsor: 'Sponsor', gpuVendor: 'Vendor',
  gpuModel: 'GPU Model', unitCount: 'GPU Count', unitCost: 'Cost per GPU', acquisitionDate: 'Purchase Date', inServiceDate: 'In-Service Date',
  energised: 'Energized', siteId: 'Site ID', colocationMw: 'Colo MW', country: 'Country', region: 'State/Province', lienPosition: 'Lien Position',
  customer: 'Offtaker', customerParent: 'Offtaker Parent', customerRating: 'Offtaker Rating', guarantor: 'Guarantor', guarantorRating: 'Guarantor Rating',
  contractType: 'Contract Type', monthlyContractedRevenue: 'MRR', contractStartDate: 'Contract Start Date', contractExpiryDate: 'Contract End Date',
  terminationRight: 'Termination for Convenience', utilisation: 'Utilization', uptime: 'Uptime %', currentBalance: 'Outstanding Balance',
  originalBalance: 'Advance Amount', interestRate: 'All-in Rate', maturityDate: 'Maturity Date', amortizationType: 'Amort Type',
  monthlyDebtService: 'Monthly Payment', paymentStatus: 'Pay Status', currency: 'CCY', appraisedValue: 'Fair Value', valuationDate: 'Fair Value Date',
};

/** A generated compute tape as CSV, with canonical field names or the issuer-style headers. */
export function computeTapeCsv(options: ComputeGenerateOptions & { issuerHeaders?: boolean }): string {
  return toCsv(generateComputeTape(options), { columns: COMPUTE_FIELDS, ...(options.issuerHeaders ? { headers: ISSUER_HEADERS } : {}) });
}
