/**
 * The straightforward pipeline a competent team would write first, kept as the yardstick of
 * `npm run bench`: csv-parse (streaming, records as objects), ajv with `coerceTypes` (the same
 * loan-tape schema, full date checks), decimal.js for money and ratios, Maps for duplicates and
 * groups, valid loans held in memory until duplicates are known, then eligibility (the product's
 * criteria functions), pool sums and the concentration groups. The same rules as far as practical:
 * ND codes, 2-decimal money, the cross-field rules, one reportingDate, duplicated ids.
 * Bench code only; it prints counts so the two pipelines can be compared.
 *
 *   npx tsx bench/reference-pipeline.ts FILE.csv
 */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { Decimal } from 'decimal.js';
import { evaluateLoan, loadCriteria } from '../functions/core/evaluation/index.ts';
import type { DmbsLoan } from '../functions/core/generated/loan-tape.ts';
import { HeaderResolver, planColumns } from '../functions/core/mapping/column-mapping.ts';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { FIELDS, FIELD_BY_NAME, loanTapeSchema } from '../functions/core/schema/loan-tape-schema.ts';

export interface ReferenceCounts {
  rowCount: number;
  validRowCount: number;
  errorCount: number;
  duplicateIds: number;
  eligibleCount: number;
  eligibleBalance: string;
  waDscr: string | null;
  largestFacilityShare: string | null;
}

const ND = /^ND[1-5](-\d{4}-\d{2}-\d{2})?$/i;
const BOOLEANS: Record<string, boolean | undefined> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? addFormatsModule) as FormatsPlugin;

/** Runs the reference pipeline over a CSV file. */
export async function referencePipeline(path: string): Promise<ReferenceCounts> {
  const criteria = loadCriteria();
  const coercing = createCoercingValidator();

  const parser = createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, columns: false, relax_column_count: true, skip_empty_lines: true }));
  let header: string[] | undefined;
  let fieldOf: Array<string | null> = [];
  let rowCount = 0;
  let errorCount = 0;
  let reportingDate: string | undefined;
  const seen = new Map<string, number[]>();
  const valid: Array<{ row: number; loan: DmbsLoan }> = [];
  let row = 1;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record;
      fieldOf = planColumns(record, new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME)).columns.map((c) => c.field?.name ?? null);
      continue;
    }
    row++;
    rowCount++;
    const loan: Record<string, unknown> = {};
    let problems = 0;
    record.forEach((cell, i) => {
      const field = fieldOf[i];
      const text = cell.trim();
      if (!field || text === '') return;
      const spec = FIELD_BY_NAME.get(field)!;
      if (ND.test(text)) {
        if (!spec.ndAllowed) problems++;
        return;
      }
      if (spec.kind === 'money') {
        let d: Decimal;
        try {
          d = new Decimal(text);
        } catch {
          loan[field] = text; // ajv reports the type error
          return;
        }
        if (d.decimalPlaces() > 2) problems++;
        loan[field] = d.toNumber();
        return;
      }
      if (spec.kind === 'boolean') {
        const b = BOOLEANS[text.toLowerCase()];
        loan[field] = b ?? text;
        return;
      }
      loan[field] = spec.kind === 'code' ? text.toUpperCase() : text;
    });
    if (!coercing(loan)) {
      problems += coercing.errors?.length ?? 1;
      if (process.env.REF_DEBUG && rowCount < 3) console.error(JSON.stringify(coercing.errors).slice(0, 500));
    }
    problems += crossField(loan);
    const date = loan.reportingDate as string | undefined;
    if (date !== undefined) {
      reportingDate ??= date;
      if (date !== reportingDate) problems++;
    }
    const id = loan.loanId as string | undefined;
    if (id !== undefined) {
      const rows = seen.get(id);
      if (rows) rows.push(row);
      else seen.set(id, [row]);
    }
    errorCount += problems;
    if (problems === 0) valid.push({ row, loan: loan as unknown as DmbsLoan });
  }

  // Duplicated ids are known now: drop them, then evaluate what is left.
  const duplicated = new Set([...seen].filter(([, rows]) => rows.length > 1).map(([id]) => id));
  let duplicateRows = 0;
  for (const id of duplicated) duplicateRows += seen.get(id)!.length;
  errorCount += duplicateRows;
  const loans = valid.filter((v) => !duplicated.has(v.loan.loanId)).map((v) => v.loan);
  let eligibleCount = 0;
  let balance = new Decimal(0);
  let dscr = new Decimal(0);
  const facilities = new Map<string, Decimal>();
  const tenants = new Map<string, Decimal>();
  for (const loan of loans) {
    if (!evaluateLoan(loan, criteria).eligible) continue;
    eligibleCount++;
    const b = new Decimal(loan.currentBalance);
    balance = balance.plus(b);
    dscr = dscr.plus(b.times(loan.dscr));
    const f = loan.facilityId.trim().toLowerCase();
    facilities.set(f, (facilities.get(f) ?? new Decimal(0)).plus(b));
    const t = (loan.largestTenantParent && !ND.test(loan.largestTenantParent) ? loan.largestTenantParent : loan.largestTenant).trim().toLowerCase();
    tenants.set(t, (tenants.get(t) ?? new Decimal(0)).plus(b));
  }
  const largest = [...facilities.values()].sort((a, b) => b.cmp(a))[0];
  return {
    rowCount,
    validRowCount: loans.length,
    errorCount,
    duplicateIds: duplicated.size,
    eligibleCount,
    eligibleBalance: balance.toFixed(2),
    waDscr: balance.isZero() ? null : dscr.div(balance).toFixed(6),
    largestFacilityShare: largest && !balance.isZero() ? largest.div(balance).toFixed(6) : null,
  };
}

/** ajv as its documentation shows it: coerceTypes (strings in, typed values out), allErrors, full date format. */
function createCoercingValidator() {
  const ajv = new Ajv2020({ allErrors: true, coerceTypes: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv, { mode: 'full', formats: ['date'] });
  ajv.addVocabulary(Object.keys(loanTapeSchema).concat(...Object.values(loanTapeSchema.properties).map((p) => Object.keys(p))).filter((k) => k.startsWith('x-')).filter((k, i, all) => all.indexOf(k) === i));
  return ajv.compile(loanTapeSchema);
}

/** The cross-field rules, in Decimal (errors count; the recompute checks are warnings and not counted). */
function crossField(l: Record<string, unknown>): number {
  let n = 0;
  const s = (k: string) => l[k] as string | undefined;
  const d = (k: string) => (typeof l[k] === 'number' ? new Decimal(l[k] as number) : undefined);
  if (s('maturityDate') && s('originationDate') && !(s('maturityDate')! > s('originationDate')!)) n++;
  if (s('originationDate') && s('reportingDate') && s('originationDate')! > s('reportingDate')!) n++;
  const cur = d('currentBalance');
  const orig = d('originalBalance');
  if (cur && orig && cur.gt(orig)) n++;
  const cap = d('itCapacityMw');
  if (cap) {
    const leased = d('leasedMw');
    const commissioned = d('commissionedMw');
    if (leased && leased.gt(cap)) n++;
    if (commissioned && commissioned.gt(cap)) n++;
  }
  if (s('region') && s('country') && !s('region')!.startsWith(`${s('country')}-`)) n++;
  const ncf = d('underwrittenNcf');
  const ads = d('annualDebtService');
  const dscr = d('dscr');
  if (dscr && ncf && ads && !ads.isZero()) dscr.minus(ncf.div(ads)).abs().lte(ncf.div(ads).abs().times(0.02));
  return n;
}

if (process.argv[1]?.endsWith('reference-pipeline.ts')) {
  const started = performance.now();
  const counts = await referencePipeline(process.argv[2]!);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ ...counts, seconds, fields: FIELDS.length }));
}
