/**
 * The header plan's findings: which header cells match no field (UNKNOWN_COLUMN, with a suggestion)
 * and which required fields have no column (MISSING_COLUMN). The plan itself (headers to fields,
 * reading options) is mapping/column-mapping.ts planColumns; this is what a reader is told of it.
 */
import { DEAL_MAPPING_HOW, type ColumnOptions, type ColumnPlan } from '../mapping/column-mapping.ts';
import { finding, type Finding } from './findings.ts';

/** A tape column as the row validator reads it: its header and reading options. */
export type Column = { header: string; options: ColumnOptions };

/** The columns of a plan by field index (undefined: the tape has no column for the field). */
export function columnsOfPlan(plan: ColumnPlan, fieldCount: number): Array<Column | undefined> {
  const columns = new Array<Column | undefined>(fieldCount);
  for (const c of plan.columns) if (c.field) columns[c.field.index] = { header: c.header, options: c.options };
  return columns;
}

/** The findings of a header row's plan: unknown columns, then missing required ones. */
export function headerFindings(plan: ColumnPlan, missing: ReadonlySet<string>, row: number): Finding[] {
  const out: Finding[] = [];
  // An unknown header that is probably a missing required field: both findings say so, and how to map it.
  const probably = new Map<string, { header: string; position: number }>();
  for (const u of plan.unknown) if (u.suggestion && missing.has(u.suggestion) && !probably.has(u.suggestion)) probably.set(u.suggestion, u);
  for (const u of plan.unknown) {
    const isMissing = u.suggestion !== undefined && probably.get(u.suggestion) === u;
    const f = finding('UNKNOWN_COLUMN', row, null, u.header, isMissing
      ? `column ${u.position + 1} matches no field and is ignored; it is probably ${u.suggestion}, a required column that is missing: map it (${mappingLine(u.header, u.suggestion!)} under "columns" in ${DEAL_MAPPING_HOW})`
      : `column ${u.position + 1} matches no field and is ignored${u.suggestion ? `; did you mean ${u.suggestion}?` : ''} (map it, or list it under "ignore", in ${DEAL_MAPPING_HOW})`);
    if (u.suggestion !== undefined) f.suggestedField = u.suggestion;
    out.push(f);
  }
  for (const f of plan.missingRequired) {
    const candidate = probably.get(f.name);
    out.push(finding('MISSING_COLUMN', row, f.name, null,
      `required column is missing (accepted headers: ${[f.name, ...f.aliases.slice(0, 3)].join(', ')})${candidate ? `; column ${candidate.position + 1} '${candidate.header}' is probably it: map it (${mappingLine(candidate.header, f.name)} under "columns" in ${DEAL_MAPPING_HOW})` : ''}; every loan row is invalid until it is added`));
  }
  return out;
}

/**
 * The ROW_LENGTH finding of a record with more or fewer cells than the header: an error when an
 * extra cell holds a value (a delimiter inside an unquoted value shifted the columns, so every
 * cell after it is misplaced: the row is invalid), else a warning: missing cells are read as
 * blank, extra blank cells (trailing delimiters) ignored.
 */
export function rowLengthFinding(row: number, width: number, count: number, cell: (k: number) => string): Finding {
  if (count < width) return finding('ROW_LENGTH', row, null, null, `has ${count} cells but the header has ${width}; missing cells are read as blank`);
  for (let k = width; k < count; k++) {
    const text = cell(k).trim();
    if (text === '') continue;
    return finding('ROW_LENGTH', row, null, text,
      `is cell ${k + 1}, but the header has ${width} cells: a delimiter inside an unquoted value shifts the columns, so the row is invalid; quote values that hold the delimiter`,
      undefined, 'error');
  }
  return finding('ROW_LENGTH', row, null, null, `has ${count} cells but the header has ${width}; the extra cells are blank (trailing delimiters) and ignored`);
}

/** The mapping-file entry that maps `header` to `field`, as JSON. */
function mappingLine(header: string, field: string): string {
  return `${JSON.stringify(header)}: ${JSON.stringify(field)}`;
}
