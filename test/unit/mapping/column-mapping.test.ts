import { describe, expect, it } from 'vitest';
import { HeaderResolver, planColumns } from '../../../functions/core/mapping/column-mapping.ts';
import { closestField } from '../../../functions/core/mapping/closest-field.ts';
import { parseColumnMapping } from '../../../functions/core/mapping/mapping-file.ts';
import { MappingError, ConfigError } from '../../../functions/core/errors.ts';
import { FIELDS, FIELD_BY_NAME } from '../../../functions/core/schema/loan-tape-schema.ts';

const resolve = (h: string) => new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME).resolve(h);

describe('header matching (the DMBS standard, Conventions)', () => {
  it.each(['Current Balance', 'current_balance', 'CURRENT-BALANCE', 'currentBalance', 'Current.Balance', 'UPB', 'Current Principal Balance'])(
    '%s maps to currentBalance', (h) => expect(resolve(h).field?.name).toBe('currentBalance'));

  it('ignores slashes: U/W NOI matches UW NOI', () => {
    expect(resolve('U/W NOI').field?.name).toBe('underwrittenNoi');
    expect(resolve('u w noi').field?.name).toBe('underwrittenNoi');
  });

  it('counts other characters: Largest Tenant % is not Largest Tenant', () => {
    expect(resolve('Largest Tenant %').field?.name).toBe('largestTenantShare');
    expect(resolve('Largest Tenant').field?.name).toBe('largestTenant');
  });

  it('says how each header matched', () => {
    expect(resolve('loanId').matchedBy).toBe('name');
    expect(resolve('Loan Number').matchedBy).toBe('alias');
    expect(resolve('Favourite Colour').matchedBy).toBe('none');
  });

  it('maps the crosswalk spreadsheet headers', () => {
    const expected: Record<string, string> = {
      'Prospectus Loan ID': 'loanId', 'Cut-off Date': 'reportingDate', 'Mortgage Loan Seller': 'originator', 'Note Date': 'originationDate',
      'Original Note Amount': 'originalBalance', 'Cut-off Date Balance': 'currentBalance', 'Mortgage Rate': 'interestRate', 'ARM Margin': 'marginBps',
      'Payment Type': 'amortizationType', 'Lien Position at Contribution': 'lienPosition', 'Payment Status of Loan': 'paymentStatus',
      'Property ID': 'facilityId', 'Property State': 'region', 'Most Recent Value': 'appraisedValue', 'NCF at Contribution': 'underwrittenNcf',
      'DSCR (NCF) at Contribution': 'dscr', 'Cut-off Date LTV Ratio': 'ltv', 'U/W NOI Debt Yield': 'debtYield',
      'Date of Lease Expiration of Largest Tenant': 'leaseExpiryDate', 'Contracted Rent': 'annualContractedRent', 'Number of Tenants': 'tenantCount',
      'Critical IT Load (MW)': 'itCapacityMw', 'Contracted MW': 'leasedMw', 'Metro': 'market', 'reportPeriodEndActualBalanceAmount': 'currentBalance',
    };
    for (const [h, f] of Object.entries(expected)) expect(resolve(h).field?.name, h).toBe(f);
  });
});

describe('planColumns', () => {
  const all = FIELDS.map((f) => f.name as string);

  it('rejects two headers on one field, naming both', () => {
    expect(() => planColumns(['Loan ID', 'loan_id', 'sponsor'], new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME))).toThrowError(
      expect.objectContaining({ code: 'COLUMN_DUPLICATE', message: expect.stringMatching(/'Loan ID' \(column 1\) and 'loan_id' \(column 2\) both map to loanId/) }));
  });

  it('reports unknown headers with the closest field, and missing required fields by name', () => {
    const plan = planColumns(['Loan ID', 'Curent Balanse', 'Notes'], new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME));
    expect(plan.unknown).toEqual([
      { header: 'Curent Balanse', position: 1, suggestion: 'currentBalance' },
      { header: 'Notes', position: 2 },
    ]);
    expect(plan.missingRequired.map((f) => f.name)).toContain('currentBalance');
    expect(plan.missingRequired.map((f) => f.name)).not.toContain('loanId');
  });

  it('needs at least one known header in row 1', () => {
    expect(() => planColumns(['a', 'b'], new HeaderResolver(undefined, FIELDS, FIELD_BY_NAME))).toThrow(MappingError);
  });

  it('lets an explicit mapping win over names and aliases', () => {
    const mapping = parseColumnMapping({ schemaVersion: 'dmbs-column-mapping/1', columns: { 'Current Balance': 'originalBalance', Bal: { field: 'currentBalance' } } }, 'm.json', FIELD_BY_NAME);
    const plan = planColumns([...all.filter((f) => f !== 'currentBalance' && f !== 'originalBalance'), 'Current Balance', 'Bal'], new HeaderResolver(mapping, FIELDS, FIELD_BY_NAME));
    const byHeader = Object.fromEntries(plan.columns.map((c) => [c.header, [c.field?.name, c.matchedBy]]));
    expect(byHeader['Current Balance']).toEqual(['originalBalance', 'mapping']);
    expect(byHeader.Bal).toEqual(['currentBalance', 'mapping']);
    expect(plan.missingRequired).toEqual([]);
  });

  it('silences ignored headers', () => {
    const mapping = parseColumnMapping({ schemaVersion: 'dmbs-column-mapping/1', columns: {}, ignore: ['Notes'] }, 'm.json', FIELD_BY_NAME);
    expect(planColumns(['Loan ID', 'Notes'], new HeaderResolver(mapping, FIELDS, FIELD_BY_NAME)).unknown).toEqual([]);
  });
});

describe('mapping files', () => {
  const bad = (doc: unknown) => () => parseColumnMapping(doc, 'map.json', FIELD_BY_NAME);
  it('names the path of the bad value', () => {
    expect(bad({ schemaVersion: 'dmbs-column-mapping/1', columns: { X: 'notAField' } })).toThrowError(/map.json: \/columns\/X: 'notAField' is not a field/);
    expect(bad({ schemaVersion: 'dmbs-column-mapping/1', columns: { X: { field: 'loanId', unit: 'percent' } } })).toThrowError(/\/columns\/X\/unit/);
    expect(bad({ schemaVersion: 'dmbs-column-mapping/1', columns: { X: { field: 'loanId', datePattern: 'MM-DD-YYYY' } } })).toThrowError(/datePattern: applies only to date fields/);
    expect(bad({ schemaVersion: 'wrong', columns: {} })).toThrowError(ConfigError);
    expect(bad({ schemaVersion: 'dmbs-column-mapping/1' })).toThrowError(/must have required property 'columns'/);
  });
});

describe('closestField', () => {
  it('suggests plausible typos only', () => {
    expect(closestField('maturty date', FIELDS)).toBe('maturityDate');
    expect(closestField('zzzz', FIELDS)).toBeUndefined();
  });

  it('reads issuers\' abbreviations, synonyms and units in brackets', () => {
    expect(closestField('Top Tenant', FIELDS)).toBe('largestTenant');
    expect(closestField('Curr Bal', FIELDS)).toBe('currentBalance');
    expect(closestField('DSCR (x)', FIELDS)).toBe('dscr');
    expect(closestField('Pmt Status', FIELDS)).toBe('paymentStatus');
    expect(closestField('Lease Expiry', FIELDS)).toBe('leaseExpiryDate');
    expect(closestField('Orig Bal', FIELDS)).toBe('originalBalance');
    expect(closestField('Int Rate', FIELDS)).toBe('interestRate');
  });

  it('suggests nothing for words that abbreviate no field', () => {
    for (const header of ['Notes', 'Comments', 'Internal Ref', 'xyz abc', 'constructor', '__proto__', 'hasOwnProperty Top']) expect(closestField(header, FIELDS)).toBeUndefined();
  });
});

describe('mapping reads the fields of the kind it is given', () => {
  // A kind of two fields, neither a loan field: nothing of the loan tape may be resolved or suggested.
  const spec = (name: string, index: number, aliases: string[]) =>
    ({ name, index, kind: 'string', required: index === 0, ndAllowed: false, criticality: 1, aliases, description: '', group: 'g' }) as unknown as (typeof FIELDS)[number];
  const fields = [spec('lotId', 0, ['Lot ID']), spec('gpuModel', 1, ['GPU Model'])];
  const byName = new Map(fields.map((f) => [f.name as string, f]));

  it('resolves headers and suggests among its fields only', () => {
    const plan = planColumns(['Lot ID', 'GPU Modell', 'Current Balance'], new HeaderResolver(undefined, fields, byName));
    expect(plan.columns.map((c) => c.field?.name ?? null)).toEqual(['lotId', null, null]);
    expect(plan.unknown).toEqual([{ header: 'GPU Modell', position: 1, suggestion: 'gpuModel' }, { header: 'Current Balance', position: 2 }]);
    expect(closestField('Curent Balance', fields)).toBeUndefined();
  });

  it('checks a mapping file against its fields', () => {
    const doc = (field: string) => ({ schemaVersion: 'dmbs-column-mapping/1', columns: { X: field } });
    expect(parseColumnMapping(doc('gpuModel'), 'm.json', byName).columns).toEqual({ X: 'gpuModel' });
    expect(() => parseColumnMapping(doc('currentBalance'), 'm.json', byName)).toThrow(/'currentBalance' is not a field/);
  });
});
