/**
 * A compute tape end to end on the local stack, as a person meets it: uploaded under a deal of its
 * own, validated, evaluated and scored by the pipeline, then opened in the reviewers' page — the
 * compute view (tests labelled from the compute criteria, the residual LTV path, the lots).
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../integration/support/local-stack-harness.ts';
import { runReportCommand } from '../../functions/cli/report-command.ts';
import { launchChromium, openPage, signIn } from '../support/browser.ts';

let t: TestStack;
let browser: Browser;
let page: Page;
let tapeId: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestStack({ webPage: true }), launchChromium()]);
  const csv = await readFile(new URL('../../examples/compute-tape.csv', import.meta.url));
  ({ tapeId } = await t.upload('incoming/demo/gpu-e2e/compute-tape.csv', csv));
  const tape = await t.waitForFinal(tapeId);
  expect(tape.status).toBe('SCORED');
  page = await openPage(browser, consoleErrors);
  await signIn(page, t.stack.endpoints.api, t.reviewerToken);
  await page.goto(`${t.stack.endpoints.api}/#/tape/${tapeId}`);
  await page.waitForSelector('[data-compute="path"] tbody tr');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

const rowsOf = (selector: string) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t').map((c) => c.trim())));

describe('a compute tape on the local stack, in the page', () => {
  it('shows the verdict in lots and the K tests labelled from the compute criteria', async () => {
    const verdict = await page.innerText('#verdict');
    expect(verdict).toContain('Eligible lots');
    expect(verdict).toMatch(/7 of 12 valid/);
    const tests = await rowsOf('[data-compute="tests"]');
    expect(tests.map((r) => r[0]!.slice(-3))).toEqual(['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07']);
    expect(tests[0]![0]).toContain('largest customer group share of currentBalance');
    expect(tests[0]![5]).toMatch(/^fail/);
  });

  it('shows the residual LTV path with its worst point', async () => {
    const path = await rowsOf('[data-compute="path"]');
    expect(path[0]![0]).toBe('2026-10-31');
    expect(path.filter((r) => r.join(' ').includes('worst'))).toHaveLength(1);
  });

  it('lists the lots with their eligibility, and logs no error', async () => {
    await page.waitForSelector('text=GPU-007-000001');
    expect(await page.innerText('body')).toContain('Lots and their eligibility');
    expect(consoleErrors).toEqual([]);
  });

  it("is re-scored as a compute tape under the deal's changed criteria, as revision 2", async () => {
    await t.upload('criteria/demo/gpu-e2e.json', Buffer.from(JSON.stringify({ concentrations: { K01: { max: 0.5 } } })));
    const res = await fetch(`${t.stack.endpoints.api}/v1/tapes/${tapeId}/rescore`, { method: 'POST', headers: { authorization: `Bearer ${t.reviewerToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    for (let i = 0; i < 300; i++) {
      const job = (await t.api<{ status: string; scored: number }>(`/v1/rescores/${jobId}`)).body;
      if (job.status === 'DONE') {
        expect(job.scored).toBe(1);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const report = (await t.api<{ tape: { kind: string }; concentrations: Array<{ id: string; limit: string; pass: boolean }> }>(`/v1/tapes/${tapeId}/report`)).body;
    expect(report.tape.kind).toBe('compute');
    expect(report.concentrations.find((c) => c.id === 'K01')).toMatchObject({ limit: '0.500000', pass: true });
    expect((await t.api<{ revision: number }>(`/v1/tapes/${tapeId}`)).body.revision).toBe(2);
  });

  it('dmbs report --human prints the compute report from the stack', async () => {
    let text = '';
    const out = { write: (t: string) => (text += t) } as unknown as NodeJS.WritableStream;
    expect(await runReportCommand([tapeId, '--human', '--endpoint', t.stack.endpoints.api, '--token', t.reviewerToken], out)).toBe(0);
    expect(text).toMatch(/eligibility: 7 eligible, 5 ineligible lots/);
    expect(text).toContain('residual LTV path');
  });

  it("opens the compute deal's page: its versions and trends, no watchlist (the loan tape's), no error", async () => {
    await page.goto(`${t.stack.endpoints.api}/#/deal/demo/gpu-e2e`);
    await page.waitForSelector('#trends canvas');
    const text = await page.innerText('main');
    expect(text).toContain('compute-tape.csv');
    expect(text).not.toContain('Current watchlist');
    expect(consoleErrors).toEqual([]);
  });
});
