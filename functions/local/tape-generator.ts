/**
 * Deterministic DMBS tape generator for tests, benchmarks and demo data: realistic distributions
 * (markets, sponsors, tenants with parents and ratings, leverage, coverage, construction), a
 * configurable share of broken rows whose expected findings are returned alongside, and writers
 * for CSV and NDJSON (XLSX: bench/xlsx-writer.ts). The product uses it for the demo data only.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MARKETS = [
  ['Northern Virginia', 'US', 'US-VA'], ['Dallas', 'US', 'US-TX'], ['Phoenix', 'US', 'US-AZ'], ['Atlanta', 'US', 'US-GA'],
  ['Chicago', 'US', 'US-IL'], ['Silicon Valley', 'US', 'US-CA'], ['Columbus', 'US', 'US-OH'], ['Reno', 'US', 'US-NV'],
  ['Dublin', 'IE', 'IE-D'], ['Frankfurt', 'DE', 'DE-HE'], ['Amsterdam', 'NL', 'NL-NH'], ['London', 'GB', 'GB-LND'],
  ['Salt Lake City', 'US', 'US-UT'], ['Portland', 'US', 'US-OR'], ['San Antonio', 'US', 'US-TX'],
] as const;
const SPONSORS = ['Vantage Data Centers', 'QTS Realty', 'Stack Infrastructure', 'Aligned Data Centers', 'CyrusOne', 'EdgeCore',
  'Compass Datacenters', 'Switch', 'Digital Realty', 'CoreSite', 'Prime Data Centers', 'Novva', 'Crusoe Energy', 'Lambda Sites', 'Yondr'];
const TENANTS: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Microsoft Azure', 'Microsoft Corporation', 'AAA', 'HYPERSCALER'], ['Amazon Web Services', 'Amazon.com Inc', 'AA', 'HYPERSCALER'],
  ['Google Cloud', 'Alphabet Inc', 'AA+', 'HYPERSCALER'], ['Meta Platforms', '', 'AA-', 'HYPERSCALER'], ['Oracle Cloud', 'Oracle Corporation', 'BBB', 'HYPERSCALER'],
  ['OpenAI', '', 'NR', 'AI_LAB'], ['Anthropic', '', 'NR', 'AI_LAB'], ['CoreWeave', '', 'B+', 'NEOCLOUD'], ['Lambda Labs', '', 'B', 'NEOCLOUD'],
  ['Crusoe Cloud', '', 'B-', 'NEOCLOUD'], ['IBM', 'IBM', 'A-', 'ENTERPRISE'], ['JPMorgan Chase', 'JPMorgan Chase & Co', 'A', 'ENTERPRISE'],
  ['US Department of Defense', 'United States Government', 'AA+', 'GOVERNMENT'], ['Microsoft AI', 'Microsoft Corporation', 'AAA', 'HYPERSCALER'],
  ['AWS GovCloud', 'Amazon.com Inc', 'AA', 'HYPERSCALER'], ['Equinix Customer Pool', 'Equinix Inc', 'BBB+', 'ENTERPRISE'],
  ['Nebius', '', 'BB-', 'NEOCLOUD'], ['xAI', '', 'NR', 'AI_LAB'], ['Salesforce', 'Salesforce Inc', 'A+', 'ENTERPRISE'], ['Apple', 'Apple Inc', 'AA+', 'ENTERPRISE'],
];

/** Canonical column order of a generated tape (every field of the standard). */
export const GENERATED_FIELDS = [
  'loanId', 'reportingDate', 'dealId', 'originator', 'sponsor', 'borrower', 'originationDate', 'maturityDate', 'originalBalance',
  'currentBalance', 'currency', 'interestRateType', 'interestRate', 'floatingIndex', 'marginBps', 'amortizationType',
  'annualDebtService', 'lienPosition', 'paymentStatus', 'financingStructure', 'offBalanceSheet', 'facilityId', 'facilityName',
  'country', 'region', 'market', 'latitude', 'longitude', 'facilityType', 'constructionStatus', 'expectedCompletionDate',
  'yearBuilt', 'itCapacityMw', 'commissionedMw', 'leasedMw', 'pue', 'wue', 'tierRating', 'powerSupply', 'renewableShare',
  'appraisedValue', 'valuationDate', 'valuationBasis', 'underwrittenNoi', 'underwrittenNcf', 'dscr', 'ltv', 'debtYield',
  'tenantCount', 'largestTenant', 'largestTenantParent', 'largestTenantRating', 'largestTenantShare', 'tenantSector',
  'leaseType', 'leaseStartDate', 'leaseExpiryDate', 'annualContractedRent', 'rentEscalator', 'earlyTerminationRight',
  'powerPassThrough',
] as const;

export type GeneratedRow = Record<(typeof GENERATED_FIELDS)[number], string>;

/** A defect planted in a row, and the finding it must produce. */
export interface PlantedDefect {
  readonly name: string;
  readonly field: string;
  readonly code: string;
}

export interface GeneratedTape {
  readonly rows: GeneratedRow[];
  /** Index in `rows` -> defect planted there (rows without an entry are valid). */
  readonly defects: Map<number, PlantedDefect>;
}

export interface GenerateOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Share of rows given exactly one defect (default 0). */
  readonly brokenShare?: number;
  readonly reportingDate?: string;
  readonly dealId?: string;
  /** Share of optional cells given an ND code (default 0.02). */
  readonly ndShare?: number;
  /**
   * Distinct facilities the loans are spread over (uniformly). Default: one per 1.25 loans, at
   * most {@link MAX_DEFAULT_FACILITIES}.
   */
  readonly facilities?: number;
}

/**
 * The default cap on distinct facilities: there are about 11,000 data centers in the world, so a
 * tape of more loans than that (an asset-level tape of equipment or lease loans) repeats its
 * facilities; 20,000 leaves room. Memory of a check follows the distinct groups (docs/design.md), so
 * `--facilities` (e.g. one per 1.25 loans) gives the worst case, which `npm run bench` measures too.
 */
export const MAX_DEFAULT_FACILITIES = 20_000;

const cents = (c: number) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
const iso = (d: Date) => d.toISOString().slice(0, 10);
function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return iso(d);
}
const round = (x: number, places: number) => Number(x.toFixed(places));

/** Defects the generator can plant, each with the finding the validator must report. */
export const DEFECTS: ReadonlyArray<PlantedDefect & { apply(row: GeneratedRow): void }> = [
  { name: 'impossible-date', field: 'maturityDate', code: 'FORMAT', apply: (r) => { r.maturityDate = '2031-02-30'; } },
  { name: 'balance-above-original', field: 'currentBalance', code: 'CROSS_FIELD', apply: (r) => { r.currentBalance = cents(Math.round(Number(r.originalBalance) * 100) + 100); r.ltv = String(round(Number(r.currentBalance) / Number(r.appraisedValue), 6)); } },
  { name: 'unknown-payment-status', field: 'paymentStatus', code: 'ENUM', apply: (r) => { r.paymentStatus = 'LATE'; } },
  { name: 'blank-sponsor', field: 'sponsor', code: 'REQUIRED', apply: (r) => { r.sponsor = ''; } },
  { name: 'rate-out-of-range', field: 'interestRate', code: 'RANGE', apply: (r) => { r.interestRate = '0.45'; } },
  { name: 'nd-on-required', field: 'currentBalance', code: 'ND_NOT_ALLOWED', apply: (r) => { r.currentBalance = 'ND2'; } },
  { name: 'region-outside-country', field: 'region', code: 'CROSS_FIELD', apply: (r) => { r.region = r.country === 'US' ? 'GB-LND' : 'US-TX'; } },
  { name: 'leased-above-capacity', field: 'leasedMw', code: 'CROSS_FIELD', apply: (r) => { r.leasedMw = String(round(Number(r.itCapacityMw) + 1.5, 1)); } },
  { name: 'money-exponent', field: 'annualContractedRent', code: 'TYPE', apply: (r) => { r.annualContractedRent = `${r.annualContractedRent.split('.')[0]}e0`; } },
  { name: 'not-a-number', field: 'appraisedValue', code: 'TYPE', apply: (r) => { r.appraisedValue = '$1,200,000'; } },
  { name: 'other-reporting-date', field: 'reportingDate', code: 'REPORTING_DATE_MISMATCH', apply: (r) => { r.reportingDate = addDays(r.reportingDate, -30); if (r.originationDate > r.reportingDate) r.originationDate = addDays(r.reportingDate, -400); } },
  { name: 'origination-after-maturity', field: 'maturityDate', code: 'CROSS_FIELD', apply: (r) => { r.maturityDate = addDays(r.originationDate, -1); } },
];

/**
 * Generates a tape. Money is generated in integer cents, ratios are recomputed from their inputs
 * (so valid rows pass the 2 % recompute checks), and each broken row carries exactly one defect.
 * @example const { rows, defects } = generateTape({ rows: 1000, seed: 7, brokenShare: 0.05 });
 */
export function generateTape(options: GenerateOptions): GeneratedTape {
  const random = rng(options.seed ?? 1);
  const context = rowContext(options, random);
  const rows: GeneratedRow[] = [];
  const defects = new Map<number, PlantedDefect>();
  for (let i = 0; i < options.rows; i++) rows.push(generateRow(i, context));
  const broken = options.brokenShare ?? 0;
  if (broken > 0) {
    const dupEvery = DEFECTS.length + 1;
    let k = 0;
    for (let i = 1; i < rows.length; i++) {
      if (random() >= broken) continue;
      const slot = k++ % dupEvery;
      if (slot === DEFECTS.length) {
        // duplicate id: copy a valid earlier row's id; both rows must be reported
        const target = Math.floor(random() * i);
        if (defects.has(target) || rows[target]!.loanId === '') continue;
        rows[i]!.loanId = rows[target]!.loanId;
        defects.set(i, { name: 'duplicate-loan-id', field: 'loanId', code: 'DUPLICATE_ID' });
        defects.set(target, { name: 'duplicate-loan-id (first)', field: 'loanId', code: 'DUPLICATE_ID' });
        continue;
      }
      if (defects.has(i)) continue;
      const d = DEFECTS[slot]!;
      d.apply(rows[i]!);
      defects.set(i, { name: d.name, field: d.field, code: d.code });
    }
  }
  return { rows, defects };
}

/** One generated row of a streamed tape, with the defect planted in it (if any). */
export interface StreamedRow {
  /** 0-based index of the loan row (the CSV row is index + 2). */
  readonly index: number;
  readonly row: GeneratedRow;
  readonly defect?: PlantedDefect;
}

/**
 * Streams a tape of any size in constant memory (apart from a set of the defective rows' indexes):
 * the same rows as {@link generateTape} for the same options when `brokenShare` is 0; defects are
 * planted as each row is made (from a second random stream), so a broken streamed tape differs
 * from `generateTape`'s but has the same defect mix, duplicates of any earlier row included.
 * @example for (const { row } of streamTape({ rows: 1_000_000, seed: 7 })) out.write(csvLine(row));
 */
export function* streamTape(options: GenerateOptions): Generator<StreamedRow> {
  const random = rng(options.seed ?? 1);
  const context = rowContext(options, random);
  const chance = rng(((options.seed ?? 1) ^ 0x5bd1e995) >>> 0);
  const broken = options.brokenShare ?? 0;
  /** Rows given a defect or copied as a duplicate: never chosen as a duplicate's original. */
  const touched = new Set<number>();
  const dupEvery = DEFECTS.length + 1;
  let k = 0;
  for (let i = 0; i < options.rows; i++) {
    const row = generateRow(i, context);
    if (i === 0 || broken <= 0 || chance() >= broken) {
      yield { index: i, row };
      continue;
    }
    const slot = k++ % dupEvery;
    if (slot === DEFECTS.length) {
      const target = Math.floor(chance() * i);
      if (touched.has(target)) {
        yield { index: i, row };
        continue;
      }
      // The original keeps its generated id (its defect entry is reported by the caller's bookkeeping).
      row.loanId = loanIdOf(options, target);
      touched.add(target).add(i);
      yield { index: i, row, defect: { name: 'duplicate-loan-id', field: 'loanId', code: 'DUPLICATE_ID' } };
      continue;
    }
    const d = DEFECTS[slot]!;
    d.apply(row);
    touched.add(i);
    yield { index: i, row, defect: { name: d.name, field: d.field, code: d.code } };
  }
}

function loanIdOf(options: GenerateOptions, index: number): string {
  return `DC-${String(options.seed ?? 1).padStart(3, '0')}-${String(index + 1).padStart(7, '0')}`;
}

interface RowContext {
  readonly options: GenerateOptions;
  readonly random: () => number;
  readonly pick: <T>(xs: readonly T[]) => T;
  readonly between: (lo: number, hi: number) => number;
  readonly reportingDate: string;
  readonly facilities: number;
  readonly nd: (value: string) => string;
}

function rowContext(options: GenerateOptions, random: () => number): RowContext {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const ndShare = options.ndShare ?? 0.02;
  return {
    options,
    random,
    pick,
    between: (lo, hi) => lo + random() * (hi - lo),
    reportingDate: options.reportingDate ?? '2026-10-31',
    facilities: Math.max(1, options.facilities ?? Math.min(Math.floor(options.rows * 0.8), MAX_DEFAULT_FACILITIES)),
    nd: (value) => (random() < ndShare ? pick(['ND1', 'ND2', 'ND3', 'ND5']) : value),
  };
}

/** Row `i` of a tape (draws from the context's random stream in a fixed order). */
function generateRow(i: number, context: RowContext): GeneratedRow {
  const { options, random, pick, between, reportingDate, facilities, nd } = context;
  const [market, country, region] = pick(MARKETS);
  const [tenant, parent, rating, sector] = pick(TENANTS);
  const facilityNo = Math.floor(random() * facilities);
  const originalCents = Math.round(between(20e6, 600e6)) * 100;
  const currentCents = Math.round(originalCents * between(0.85, 1));
  const rate = round(between(0.045, 0.095), 4);
  const floating = random() < 0.4;
  const ads = Math.round((currentCents / 100) * between(0.06, 0.11)) * 100;
  const dscrTarget = between(1.1, 2.2);
  const ncfCents = Math.round(ads * dscrTarget);
  const noiCents = Math.round(ncfCents * between(1.02, 1.08));
  const ltvTarget = between(0.45, 0.82);
  const appraisedCents = Math.round(currentCents / ltvTarget / 100) * 100;
  const capacity = round(between(12, 300), 1);
  const operational = random() < 0.8;
  const status = operational ? 'OPERATIONAL' : pick(['UNDER_CONSTRUCTION', 'COMMISSIONING', 'PLANNED']);
  const leased = round(capacity * (operational ? between(0.8, 1) : between(0.6, 1)), 1);
  const origination = addDays(reportingDate, -Math.floor(between(30, 6 * 365)));
  const maturity = addDays(origination, Math.floor(between(5 * 365, 12 * 365)));
  const leaseExpiry = addDays(reportingDate, Math.floor(between(12 * 30, 20 * 365)));
  const completion = operational ? '' : addDays(reportingDate, Math.floor(between(60, 900)));
  return {
    loanId: `DC-${String(options.seed ?? 1).padStart(3, '0')}-${String(i + 1).padStart(7, '0')}`,
    reportingDate,
    dealId: options.dealId ?? '',
    originator: pick(['Goldman Sachs Bank USA', 'Morgan Stanley Mortgage Capital', 'JPMorgan Chase Bank', 'Deutsche Bank AG', 'Citi Real Estate Funding']),
    sponsor: pick(SPONSORS),
    borrower: `DC Propco ${facilityNo} LLC`,
    originationDate: origination,
    maturityDate: maturity,
    originalBalance: cents(originalCents),
    currentBalance: cents(currentCents),
    currency: country === 'US' ? 'USD' : random() < 0.9 ? 'USD' : 'EUR',
    interestRateType: floating ? 'FLOATING' : 'FIXED',
    interestRate: String(rate),
    floatingIndex: floating ? 'SOFR' : '',
    marginBps: floating ? String(Math.floor(between(150, 450))) : '',
    amortizationType: pick(['FULL_IO', 'PARTIAL_IO', 'AMORTIZING', 'BALLOON']),
    annualDebtService: cents(ads),
    lienPosition: random() < 0.93 ? 'FIRST' : pick(['SECOND', 'MEZZANINE']),
    paymentStatus: random() < 0.95 ? 'CURRENT' : pick(['DPD_30', 'DPD_60', 'DPD_90']),
    financingStructure: nd(pick(['DIRECT_LOAN', 'CONSTRUCTION_LOAN', 'SPV_LEASE', 'SYNTHETIC_LEASE', 'JOINT_VENTURE'])),
    offBalanceSheet: !operational && random() < 0.5 ? 'true' : 'false',
    facilityId: `FAC-${String(facilityNo).padStart(6, '0')}`,
    facilityName: `${market} Campus ${facilityNo}`,
    country,
    region,
    market,
    latitude: nd(String(round(between(25, 55), 4))),
    longitude: nd(String(round(between(-122, 10), 4))),
    facilityType: pick(['HYPERSCALE', 'WHOLESALE', 'COLOCATION', 'AI_TRAINING', 'AI_INFERENCE', 'EDGE']),
    constructionStatus: status,
    expectedCompletionDate: completion,
    yearBuilt: operational ? String(Math.floor(between(2008, 2026))) : '',
    itCapacityMw: String(capacity),
    commissionedMw: operational ? String(capacity) : String(round(capacity * between(0, 0.5), 1)),
    leasedMw: String(leased),
    pue: nd(String(round(between(1.1, 1.6), 2))),
    wue: nd(String(round(between(0, 1.8), 2))),
    tierRating: nd(pick(['TIER_III', 'TIER_IV', 'TIER_III', 'NONE'])),
    powerSupply: nd(pick(['UTILITY', 'PPA', 'ONSITE', 'HYBRID'])),
    renewableShare: nd(String(round(between(0, 1), 2))),
    appraisedValue: cents(appraisedCents),
    valuationDate: addDays(reportingDate, -Math.floor(between(10, 400))),
    valuationBasis: operational ? 'AS_IS' : 'AS_COMPLETE',
    underwrittenNoi: cents(noiCents),
    underwrittenNcf: cents(ncfCents),
    dscr: String(round(ncfCents / ads, 4)),
    ltv: String(round(currentCents / appraisedCents, 4)),
    debtYield: String(round(noiCents / currentCents, 4)),
    tenantCount: String(1 + Math.floor(random() * 4)),
    largestTenant: tenant,
    largestTenantParent: parent,
    largestTenantRating: rating,
    largestTenantShare: String(round(between(0.4, 1), 2)),
    tenantSector: sector,
    leaseType: pick(['TRIPLE_NET', 'MODIFIED_GROSS', 'GROSS']),
    leaseStartDate: addDays(origination, Math.floor(between(0, 200))),
    leaseExpiryDate: leaseExpiry,
    annualContractedRent: cents(Math.round(noiCents * between(1.1, 1.4))),
    rentEscalator: String(round(between(0.01, 0.04), 3)),
    earlyTerminationRight: random() < 0.1 ? 'true' : 'false',
    powerPassThrough: random() < 0.8 ? 'yes' : 'no',
  };
}

/** RFC 4180 quoting of one cell. */
export function csvCell(value: string, delimiter = ','): string {
  return /["\r\n]/.test(value) || value.includes(delimiter) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows as CSV with the given headers (default: canonical field names). */
export function toCsv(rows: readonly Record<string, string>[], options: { headers?: Record<string, string>; columns?: readonly string[]; eol?: string; bom?: boolean; delimiter?: string } = {}): string {
  const columns = options.columns ?? GENERATED_FIELDS;
  const eol = options.eol ?? '\n';
  const d = options.delimiter ?? ',';
  const head = columns.map((c) => csvCell(options.headers?.[c] ?? c, d)).join(d);
  const body = rows.map((r) => columns.map((c) => csvCell(r[c] ?? '', d)).join(d));
  return `${options.bom ? '\ufeff' : ''}${[head, ...body].join(eol)}${eol}`;
}

/** Writes rows as NDJSON (blank cells omitted). */
export function toNdjson(rows: readonly Record<string, string>[]): string {
  return rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => v !== '')))).join('\n') + '\n';
}
