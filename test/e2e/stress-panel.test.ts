/**
 * The stress panel of the reviewers' page in a real browser (test/support/browser.ts): the
 * issuer's and the stressed figures, credit enhancement as a chart, the tranche table, and the
 * what-if form — a new cap rate asks the what-if route and the figures and chart change.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { KEYS, startApiStack, uploadAndRun, type ApiStack } from '../api/support/api-stack.ts';
import { launchChromium, openPage } from '../support/browser.ts';

interface Canvas { readonly width: number }
declare const window: { Chart: { getChart(canvas: Canvas): { data: { datasets: Array<{ data: number[] }> } } | undefined } };
declare const document: { querySelector(s: string): unknown };
declare const sessionStorage: { setItem(k: string, v: string): void };

let stack: ApiStack;
let browser: Browser;
let page: Page;
let tranched: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir('test-artifacts', { recursive: true });
  [stack, browser] = await Promise.all([startApiStack(), launchChromium()]);
  // The deal's tranches, then a re-run tape that is evaluated with them.
  await stack.fetch('/v1/deals/deal-2/stress?issuerId=acme', {
    method: 'PUT', key: 'reviewer', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tranches: [{ name: 'Class A', share: 0.65 }, { name: 'Class B', share: 0.35 }] }),
  });
  tranched = await uploadAndRun(stack.aws, 'incoming/acme/deal-2/tranched.csv', toCsv(generateTape({ rows: 20, seed: 23, dealId: 'deal-2' }).rows));
  page = await openPage(browser, consoleErrors, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript((key) => sessionStorage.setItem('dmbs.apiKey', key), KEYS.reviewer);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const ceData = (p: Page) => p.evaluate(() => window.Chart.getChart(document.querySelector('#h-stressed-value-and-credit-enhancement ~ .chart-box canvas') as Canvas)?.data.datasets[0]!.data ?? null);

describe('the stress panel', () => {
  it('shows issuer beside stressed figures, credit enhancement as a chart, and says neither figure is a rating', async () => {
    await page.goto(`${stack.api.url}/#/tape/${stack.tapes.a1v2}`);
    await page.waitForSelector('#stress-figures [data-figure="stressedValue"]');
    const text = await page.innerText('section[aria-labelledby="h-stressed-value-and-credit-enhancement"]');
    expect(text).toMatch(/Net cash flow/);
    expect(text).toMatch(/neither is a credit rating/);
    expect(text).toMatch(/AAA/);
    expect(text).toMatch(/The deal gives no tranches/);
    const data = await ceData(page);
    expect(data).toHaveLength(7);
  });

  it('lists the deal\'s tranches with attachment, detachment and implied rating', async () => {
    await page.goto(`${stack.api.url}/#/tape/${tranched}`);
    await page.waitForSelector('#stress-figures [data-figure="stressedValue"]');
    const rows = await page.$$eval('#stress-tranches [data-stress="tranches"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t')));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([['Class A', '65.00 %', '35.00 %', '100.00 %'], ['Class B', '35.00 %', '0.00 %', '35.00 %']]);
    expect(rows.every((r) => r[5] !== undefined && r[5] !== '')).toBe(true);
    await page.locator('section[aria-labelledby="h-stressed-value-and-credit-enhancement"]').screenshot({ path: 'test-artifacts/stress-panel.png' });
  });

  it('a new cap rate in the what-if form changes the stressed value, LTV and the chart', async () => {
    await page.goto(`${stack.api.url}/#/tape/${stack.tapes.a1v2}`);
    await page.waitForSelector('#stress-figures [data-figure="stressedValue"]');
    const before = { value: await page.innerText('[data-figure="stressedValue"]'), ltv: await page.innerText('[data-figure="stressedLtv"]'), chart: await ceData(page) };
    await page.fill('#stress-cap-rate', '11');
    await page.click('form.what-if button[type="submit"]');
    await page.waitForFunction((old) => (document.querySelector('[data-figure="stressedValue"]') as { textContent: string } | null)?.textContent !== old, before.value);
    const after = { value: await page.innerText('[data-figure="stressedValue"]'), ltv: await page.innerText('[data-figure="stressedLtv"]'), chart: await ceData(page) };
    expect(after.value).not.toBe(before.value);
    expect(after.ltv).not.toBe(before.ltv);
    expect(after.chart).not.toEqual(before.chart);
    expect(await page.innerText('#stress-shown')).toMatch(/What-if: cap rate base 11 %/);
    await page.click('text=Back to the tape\'s model');
    expect(await page.innerText('[data-figure="stressedValue"]')).toBe(before.value);
    expect(consoleErrors).toEqual([]);
  });
});
