/**
 * The columns of the analytical dataset `dmbs_loans` (docs/market.md "Columns"), derived from
 * schemas/: every field of the loan-tape schema (snake_case, typed by its `x-kind`), every field of
 * the API's LoanResult (the per-loan results: eligibility, failures and whatever later joins them,
 * such as stressed figures and watchlist codes), and the normalised group keys the market view
 * groups by. The partition columns come from the object's path, not the file. Pure.
 */
import apiSchema from '../../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import { FIELDS, type FieldKind, type LoanField } from '../schema/loan-tape-schema.ts';

/** Parquet physical/logical types the dataset uses (and their SQL types, the same in DuckDB and Athena). */
export type ColumnType = 'STRING' | 'BOOLEAN' | 'INT32' | 'DOUBLE' | 'DATE' | 'MONEY';

export const SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  STRING: 'varchar', BOOLEAN: 'boolean', INT32: 'integer', DOUBLE: 'double', DATE: 'date', MONEY: 'decimal(18,2)',
};

export interface LoanColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** Where the value comes from. */
  readonly source: { readonly loan: LoanField } | { readonly result: string; readonly list?: 'criterion' | 'value' } | { readonly key: GroupColumn };
  readonly description: string;
}

/** The group names and keys the writer computes (core/evaluation/group-key.ts). */
export type GroupColumn = 'tenant_group' | 'tenant_group_key' | 'sponsor_key' | 'market_key' | 'facility_key';

/** Hive partition columns, in path order: `analytics/loans/issuer=…/deal=…/reporting_date=…/tape=…/loans.parquet`. */
export const PARTITION_COLUMNS = [
  { name: 'issuer', description: 'issuerId of the upload' },
  { name: 'deal', description: 'dealId of the upload' },
  { name: 'reporting_date', description: "the tape's reportingDate, YYYY-MM-DD" },
  { name: 'tape', description: 'tapeId' },
] as const;

/** camelCase -> snake_case (`currentBalance` -> `current_balance`). */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

const KIND_TYPES: Readonly<Record<FieldKind, ColumnType>> = {
  string: 'STRING', code: 'STRING', date: 'DATE', money: 'MONEY', decimal: 'DOUBLE', fraction: 'DOUBLE', integer: 'INT32', boolean: 'BOOLEAN',
};

/** Result fields renamed in the dataset (`row` is a keyword in Trino). */
const RESULT_NAMES: Readonly<Record<string, string>> = { row: 'source_row', failures: 'failed_criteria' };

interface JsonProperty {
  type?: string | string[]; items?: { type?: string; properties?: Record<string, unknown> }; description?: string;
  anyOf?: readonly { type?: string; pattern?: string }[];
}

/** Decimal text in a result (`anyOf` a patterned string or null): money with 2 decimals, else a ratio. */
function decimalTextColumn(p: JsonProperty): ColumnType | undefined {
  const text = p.anyOf?.find((a) => a.type === 'string' && a.pattern);
  if (!text || !p.anyOf!.every((a) => a === text || a.type === 'null')) return undefined;
  return /\{2\}\$$/.test(text.pattern!) ? 'MONEY' : 'DOUBLE';
}

function resultColumn(name: string, p: JsonProperty): LoanColumn | undefined {
  const types = Array.isArray(p.type) ? p.type.filter((t) => t !== 'null') : [p.type];
  const type = types[0];
  const column = RESULT_NAMES[name] ?? snakeCase(name);
  const decimal = decimalTextColumn(p);
  if (decimal) return { name: column, type: decimal, source: { result: name }, description: p.description ?? `per-loan result ${name}` };
  if (type === 'array') {
    // Lists are written as comma-separated text: criterion ids of failures, codes as they are.
    const list = p.items?.properties && 'criterion' in p.items.properties ? 'criterion' : 'value';
    return { name: column, type: 'STRING', source: { result: name, list }, description: `${name}: ${list === 'criterion' ? 'the failed criteria' : 'the values'}, comma-separated in result order` };
  }
  const columnType: ColumnType | undefined = type === 'integer' ? 'INT32' : type === 'boolean' ? 'BOOLEAN' : type === 'number' ? 'DOUBLE' : type === 'string' ? 'STRING' : undefined;
  if (!columnType) return undefined;
  return { name: column, type: columnType, source: { result: name }, description: p.description ?? `per-loan result ${name}` };
}

const loanResult = (apiSchema as unknown as { $defs: { LoanResult: { properties: Record<string, JsonProperty> } } }).$defs.LoanResult;

/** Every column of a tape's Parquet object, in file order. */
export const LOAN_COLUMNS: readonly LoanColumn[] = [
  // reportingDate is the partition column reporting_date (identical on every row of a tape).
  ...FIELDS.filter((f) => f.name !== 'reportingDate').map((f): LoanColumn => ({
    name: snakeCase(f.name), type: KIND_TYPES[f.kind], source: { loan: f.name }, description: f.description,
  })),
  // loanId is already a loan column; lotId is a compute tape's (whose lots the dataset does not hold).
  ...Object.entries(loanResult.properties).filter(([name]) => name !== 'loanId' && name !== 'lotId').flatMap(([name, p]) => {
    const c = resultColumn(name, p);
    return c ? [c] : [];
  }),
  { name: 'tenant_group', type: 'STRING', source: { key: 'tenant_group' }, description: 'largestTenantParent when it holds a value, else largestTenant, trimmed (as C01 groups)' },
  { name: 'tenant_group_key', type: 'STRING', source: { key: 'tenant_group_key' }, description: 'tenant_group normalised: trimmed, inner whitespace collapsed, lower case' },
  { name: 'sponsor_key', type: 'STRING', source: { key: 'sponsor_key' }, description: 'sponsor normalised (as C06 groups)' },
  { name: 'market_key', type: 'STRING', source: { key: 'market_key' }, description: 'market normalised (as C05 groups)' },
  { name: 'facility_key', type: 'STRING', source: { key: 'facility_key' }, description: 'facilityId normalised (the market view prefixes the issuer)' },
];

/**
 * The column table of docs/market.md (between its generated-columns markers): what the test of
 * generated files compares with the document.
 */
export function renderColumnsTable(): string {
  const lines = ['| column | type | from |', '|---|---|---|'];
  for (const c of LOAN_COLUMNS) {
    const from = 'loan' in c.source ? `loan tape \`${c.source.loan}\`` : 'result' in c.source ? `loan result \`${c.source.result}\`` : 'computed';
    lines.push(`| \`${c.name}\` | ${SQL_TYPES[c.type]} | ${from}: ${c.description.replace(/\|/g, '\\|').replace(/\s+/g, ' ')} |`);
  }
  for (const p of PARTITION_COLUMNS) lines.push(`| \`${p.name}\` | varchar | partition: ${p.description} |`);
  return lines.join('\n');
}

const COLUMNS_START = '<!-- columns:start -->';
const COLUMNS_END = '<!-- columns:end -->';

/** docs/market.md with its column table (between the columns markers) rendered from the schemas. */
export function withMarketColumns(doc: string): string {
  const start = doc.indexOf(COLUMNS_START);
  const end = doc.indexOf(COLUMNS_END);
  if (start < 0 || end < start) throw new Error(`docs/market.md has no ${COLUMNS_START} … ${COLUMNS_END} block`);
  return `${doc.slice(0, start + COLUMNS_START.length)}\n${renderColumnsTable()}\n${doc.slice(end)}`;
}
