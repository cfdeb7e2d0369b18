/**
 * A tape with no valid loan through the pipeline and the API: FAILED NO_VALID_LOANS (a user
 * error), its report and findings still readable, and every tape list carrying the validation's
 * errorCount, warningCount and invalidRowCount beside the status (a scored tape's too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv } from '../../bench/tape-generator.ts';
import { createAjv } from '../../functions/core/schema/ajv.ts';
import type { Finding } from '../../functions/core/generated/report.ts';
import type { DealPage, Tape, TapePage } from '../../functions/api/generated/api.ts';
import apiSchema from '../../schemas/dmbs-api.v1.schema.json' with { type: 'json' };
import reportSchema from '../../schemas/dmbs-report.v1.schema.json' with { type: 'json' };
import { validRow } from '../support/rows.ts';
import { runStatusCommand } from '../../functions/cli/status-command.ts';
import { collect } from '../integration/support/local-stack-harness.ts';
import { KEYS, startApiStack, uploadAndRun, type ApiStack } from './support/api-stack.ts';

let stack: ApiStack;
let invalid: string;
let headerOnly: string;
const ajv = createAjv();
ajv.addSchema(reportSchema).addSchema(apiSchema);
const schemaOf = (name: string) => ajv.getSchema(`${apiSchema.$id}#/$defs/${name}`)!;

beforeAll(async () => {
  stack = await startApiStack();
  const rows = [validRow({ loanId: 'L-1', dscr: 'high' }), validRow({ loanId: 'L-2', maturityDate: '2030-13-01', dscr: '1.6000000000000001' })];
  invalid = await uploadAndRun(stack.aws, 'incoming/acme/deal-5/all-invalid.csv', toCsv(rows, { columns: Object.keys(rows[0]!) }));
  headerOnly = await uploadAndRun(stack.aws, 'incoming/acme/deal-6/header-only.csv', `${Object.keys(validRow()).join(',')}\n`);
});
afterAll(async () => stack?.stop());

const json = async <T,>(res: Response): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

describe('NO_VALID_LOANS', () => {
  it('a tape whose rows are all invalid ends FAILED NO_VALID_LOANS, a user error saying where the findings are', async () => {
    const tape = await json<Tape>(await stack.fetch(`/v1/tapes/${invalid}`));
    expect(schemaOf('Tape')(tape), JSON.stringify(schemaOf('Tape').errors)).toBe(true);
    expect(tape).toMatchObject({ status: 'FAILED', failure: { code: 'NO_VALID_LOANS', userError: true } });
    expect(tape.failure!.message).toMatch(/none of the tape's 2 rows is a valid loan \(2 errors\); read its findings/);
  });

  it('its report and findings stay readable', async () => {
    const report = await json<Record<string, unknown> & { validation: { rowCount: number; validRowCount: number; errors: Finding[] } }>(await stack.fetch(`/v1/tapes/${invalid}/report`));
    expect(report.validation).toMatchObject({ rowCount: 2, validRowCount: 0 });
    // a whole dmbs-report/1 document, as `dmbs check --json` prints it: its evaluation that of an empty pool
    expect(ajv.getSchema(reportSchema.$id)!(report), JSON.stringify(ajv.errors)).toBe(true);
    expect(report).toMatchObject({ pool: { loanCount: 0 }, eligibility: { eligibleCount: 0 } });
    const res = await stack.fetch(`/v1/tapes/${invalid}/errors`);
    expect(res.status).toBe(200);
    const findings = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Finding);
    expect(findings.map((f) => `${f.row}:${f.field}:${f.code}`)).toEqual(['2:dscr:TYPE', '3:maturityDate:FORMAT', '3:dscr:PRECISION']);
    expect(findings[1]!.message).toMatch(/there is no month 13/);
    // loans need a scored tape: still 409
    expect((await stack.fetch(`/v1/tapes/${invalid}/loans`)).status).toBe(409);
  });

  it('a header-only tape ends FAILED NO_VALID_LOANS with its NO_LOANS finding readable', async () => {
    const tape = await json<Tape>(await stack.fetch(`/v1/tapes/${headerOnly}`));
    expect(tape).toMatchObject({ status: 'FAILED', failure: { code: 'NO_VALID_LOANS', message: expect.stringMatching(/no loan rows/) } });
    const text = await (await stack.fetch(`/v1/tapes/${headerOnly}/errors`)).text();
    expect(text.trim().split('\n').map((l) => (JSON.parse(l) as Finding).code)).toEqual(['NO_LOANS']);
  });

  it('tape lists carry errorCount, warningCount and invalidRowCount beside the status', async () => {
    const page = await json<TapePage>(await stack.fetch('/v1/deals/deal-5/tapes?issuerId=acme'));
    expect(schemaOf('TapePage')(page), JSON.stringify(schemaOf('TapePage').errors)).toBe(true);
    expect(page.items[0]).toMatchObject({ tapeId: invalid, status: 'FAILED', rowCount: 2, errorCount: 2, warningCount: 1, invalidRowCount: 2 });
    const scored = await json<TapePage>(await stack.fetch('/v1/deals/deal-1/tapes?issuerId=acme'));
    const report = await json<{ validation: { errorCount: number; warningCount: number; invalidRowCount: number } }>(await stack.fetch(`/v1/tapes/${scored.items[0]!.tapeId}/report`));
    expect(scored.items[0]).toMatchObject({ status: 'SCORED', errorCount: report.validation.errorCount, warningCount: report.validation.warningCount, invalidRowCount: report.validation.invalidRowCount });
    const empty = await json<TapePage>(await stack.fetch('/v1/deals/deal-3/tapes?issuerId=acme'));
    expect(empty.items[0]).toMatchObject({ status: 'FAILED', errorCount: null, warningCount: null, invalidRowCount: null });
    const deals = await json<DealPage>(await stack.fetch('/v1/deals?limit=100'));
    expect(deals.items.find((d) => d.dealId === 'deal-5')?.latestTape).toMatchObject({ errorCount: 2, warningCount: 1, invalidRowCount: 2 });
  });

  it('dmbs status --deal shows the three counts beside each tape\'s status', async () => {
    const out = collect();
    expect(await runStatusCommand(['--deal', 'deal-5', '--endpoint', stack.api.url, '--token', KEYS.reviewer], out)).toBe(0);
    const [head, line] = out.text().trim().split('\n');
    expect(head).toMatch(/STATUS\s+ROWS\s+ERRORS\s+WARNINGS\s+INVALID ROWS/);
    expect(line).toMatch(/all-invalid\.csv\s+FAILED\s+2\s+2\s+1\s+2\s/);
  });
});
