/**
 * The Market and DMBX views of the reviewers' page in a real browser, on the local stack (DuckDB
 * over the analytics files) with three deals uploaded: exposure rows and a drawn chart; the
 * transition; a series created from the form shows its composition with weights and its caps;
 * a reused name is refused on the form.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack, type TestStack } from '../integration/support/local-stack-harness.ts';
import { launchChromium, openPage, signIn } from '../support/browser.ts';

interface Canvas { readonly width: number; readonly height: number; getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null }
declare const window: { Chart: { getChart(canvas: Canvas): unknown } };

const DEALS = ['mkt-a', 'mkt-b', 'mkt-c'];
let t: TestStack;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  [t, browser] = await Promise.all([startTestStack({ webPage: true }), launchChromium()]);
  const uploads = await Promise.all(DEALS.map((deal, i) => t.upload(`incoming/demo/${deal}/tape.csv`, toCsv(generateTape({ rows: 40, seed: 30 + i, dealId: deal }).rows))));
  for (const u of uploads) expect((await t.waitForFinal(u.tapeId)).status).toBe('SCORED');
  // The latest-tape index is written as a run ends.
  await t.stack.runner.whenIdle();
  page = await openPage(browser, consoleErrors);
  await signIn(page, t.stack.endpoints.api, t.reviewerToken);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function drawn(selector: string): Promise<boolean[]> {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const canvas = c as unknown as Canvas;
    const ctx = canvas.getContext('2d');
    if (!ctx || !window.Chart.getChart(canvas) || canvas.width === 0) return false;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }));
}

describe('the Market view', () => {
  it('shows the exposure of the three deals by tenant group as rows and a chart, and the transition', async () => {
    await page.click('a[href="#/market"]');
    await page.waitForSelector('section[data-by="tenantGroup"] tbody tr');
    const stats = await page.textContent('dl.stats');
    expect(stats).toContain('Deals3');
    const rows = await page.$$eval('section[data-by="tenantGroup"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText));
    expect(rows.length).toBeGreaterThan(0);
    // The same figures as the API's page.
    const api = await t.api<{ items: Array<{ label: string; balance: string }> }>('/v1/market/exposures?by=tenantGroup&limit=50');
    expect(rows[0]).toContain(api.body.items[0]!.label);
    expect(rows[0]).toContain(api.body.items[0]!.balance.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
    expect(await drawn('section[data-by="tenantGroup"] canvas')).toEqual([true]);
    expect(await page.isVisible('#transition table')).toBe(true);
  });
});

describe('the DMBX view', () => {
  it('creates a series from the form and shows its composition, weights and caps', async () => {
    await page.goto(`${t.stack.endpoints.api}/#/dmbx`);
    await page.waitForSelector('#dmbx-name');
    await page.fill('#dmbx-name', 'E2E-1');
    await page.fill('#dmbx-as-of', '2099-12-31');
    await page.fill('#dmbx-rulebook', JSON.stringify({ maxTapeAgeMonths: 1200, minEligibleLoans: 1, minEligibleBalance: 0, minDataQuality: 0 }));
    await page.click('button:has-text("Create series")');
    await page.waitForSelector('h1:has-text("DMBX series E2E-1")');
    const composition = await page.$$eval('section[aria-labelledby="h-composition"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText));
    expect(composition).toHaveLength(3);
    for (const row of composition) expect(row).toContain('33.33 %');
    const caps = await page.$$eval('section[aria-labelledby="h-caps-reported-not-enforced-"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText));
    expect(caps.map((r) => r.split('\t')[0])).toEqual(['tenantGroup', 'sponsor', 'market']);
    for (const r of caps) expect(r).toMatch(/pass|fail/);
    expect((await drawn('canvas')).every(Boolean)).toBe(true);
    // The local stack's events log carries DmbxSeriesCreated, as EventBridge does on AWS.
    const events = (await readFile(t.stack.events.path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { 'detail-type': string; detail: { name?: string; deals?: unknown[] } });
    expect(events.filter((e) => e['detail-type'] === 'DmbxSeriesCreated').map((e) => [e.detail.name, e.detail.deals?.length])).toEqual([['E2E-1', 3]]);
    // A reused name is refused on the form.
    await page.goto(`${t.stack.endpoints.api}/#/dmbx`);
    await page.waitForSelector('#dmbx-name');
    await page.fill('#dmbx-name', 'E2E-1');
    await page.fill('#dmbx-as-of', '2099-12-31');
    await page.click('button:has-text("Create series")');
    await page.waitForSelector('#dmbx-status:has-text("already exists")');
    expect(await page.textContent('tbody')).toContain('E2E-1');
    expect(consoleErrors.filter((e) => !/409/.test(e))).toEqual([]);
  });
});
