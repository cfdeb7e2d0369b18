/**
 * The reviewers' page in a real browser: playwright-core driving the Chromium that the npm
 * package @sparticuz/chromium carries (nothing is downloaded), against the API served by
 * serveApi on the embedded emulators with tapes run through the pipeline. Screenshots go to
 * test-artifacts/ (gitignored).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startApiStack, uploadAndRun, type ApiStack } from '../api/support/api-stack.ts';
import { toCsv } from '../../bench/tape-generator.ts';
import { validRow } from '../support/rows.ts';

// Browser globals, as seen inside page.evaluate callbacks (the project compiles without lib "dom").
interface DomElement { readonly id: string; readonly tagName: string; readonly textContent: string | null; getAttribute(name: string): string | null }
interface Canvas { readonly width: number; readonly height: number; getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null }
declare const document: { readonly activeElement: DomElement | null; querySelector(s: string): DomElement | null; querySelectorAll(s: string): Iterable<DomElement> };
declare const window: { Chart: { getChart(canvas: Canvas): unknown } };

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
let stack: ApiStack;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startApiStack(),
    chromium.executablePath().then((executablePath) => playwright.launch({ executablePath, args: chromium.args, headless: true })),
  ]);
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** True when the canvas has drawn pixels (not blank) and Chart.js owns it. */
async function canvasDrawn(selector: string): Promise<boolean[]> {
  return page.$$eval(selector, (canvases) => canvases.map((c) => {
    const canvas = c as unknown as Canvas;
    const chart = window.Chart.getChart(canvas);
    const ctx = canvas.getContext('2d');
    if (!ctx || !chart || canvas.width === 0 || canvas.height === 0) return false;
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }));
}

describe('reviewers page', () => {
  it('is keyboard usable: a skip link first, the key field focused, Tab to a real button, Enter signs in', async () => {
    await page.goto(`${stack.api.url}/`);
    const first = await page.evaluate(() => {
      const el = document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])');
      return { text: el?.textContent, href: el?.getAttribute('href') };
    });
    expect(first).toEqual({ text: 'Skip to content', href: '#main' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('api-key');
    expect(await page.evaluate(() => document.querySelector('label[for="api-key"]')?.textContent)).toBe('API key');
    await page.keyboard.type(KEYS.reviewer);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).toEqual(['BUTTON', 'Sign in']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#deals-table tbody tr');
  });

  it('lists deals with the latest tape status, data quality and score band', async () => {
    const rows = await page.$$eval('#deals-table tbody tr', (trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const acme1 = rows.find((r) => r.startsWith('acme') && r.includes('deal-1'));
    expect(acme1).toMatch(/tape-2026-10\.csv/);
    expect(acme1).toMatch(/SCORED/);
    expect(acme1).toMatch(/range/);
    expect(rows.find((r) => r.includes('deal-3'))).toMatch(/FAILED/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-deals.png'), fullPage: true });
  });

  it('opens a deal and a tape, and draws every chart', async () => {
    await page.click('a[href="#/deal/acme/deal-1"]');
    await page.waitForSelector('text=Tape versions (newest first)');
    await page.click('a:has-text("tape-2026-09.csv")');
    await page.waitForSelector('#errors-table table');
    const drawn = await canvasDrawn('canvas');
    expect(drawn.length).toBe(3); // eligibility, concentration, balance-sheet transition
    expect(drawn.every(Boolean)).toBe(true);
    expect(await page.textContent('main')).toMatch(/Concentration tests against limits/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-tape-detail.png'), fullPage: true });
  });

  it('filters the errors table by code and field', async () => {
    await page.selectOption('#errors-code', 'FORMAT');
    await page.click('form[aria-label="Filter findings"] button[type="submit"]');
    await page.waitForFunction(() => {
      const codes = [...document.querySelectorAll('#errors-table tbody tr td:nth-child(3)')].map((td) => td.textContent);
      return codes.length > 0 && codes.every((c) => c === 'FORMAT');
    });
    await page.selectOption('#errors-field', 'currency');
    await page.click('form[aria-label="Filter findings"] button[type="submit"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#errors-table tbody tr td:nth-child(2)')].every((td) => td.textContent === 'currency'));
  });

  it('downloads the errors as CSV with formula-like cells neutralised', async () => {
    await page.selectOption('#errors-field', '');
    await page.selectOption('#errors-code', '');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(download.suggestedFilename()).toMatch(/^[0-9a-f]{32}-errors\.csv$/);
    const path = join(ARTIFACTS, 'e2e-errors.csv');
    await download.saveAs(path);
    const csv = await readFile(path, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('row,column,field,code,severity,message,value');
    expect(csv).toContain(`,'+SUM(A1:A2)`);
    expect(csv).not.toMatch(/,[=+@-][^,]*\r\n/);
  });

  it('compares two tape versions', async () => {
    await page.click('nav.breadcrumbs a:has-text("acme / deal-1")');
    await page.waitForSelector('#compare-from');
    await page.click('button:has-text("Compare versions")');
    await page.waitForSelector('text=Tests before and after');
    const text = await page.textContent('main');
    expect(text).toMatch(/Added \(2\)/);
    expect(text).toMatch(/Removed \(3\)/);
    expect(text).toMatch(/Balance changed \(2\)/);
    expect((await canvasDrawn('canvas')).every(Boolean)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-compare.png'), fullPage: true });
  });

  it('a deal view shows each tape\'s errors, warnings and invalid rows; a NO_VALID_LOANS tape shows its findings', async () => {
    const bad = [validRow({ loanId: 'L-1', dscr: 'high' }), validRow({ loanId: 'L-2', maturityDate: '2030-13-01' })];
    await uploadAndRun(stack.aws, 'incoming/acme/deal-7/all-invalid.csv', toCsv(bad, { columns: Object.keys(bad[0]!) }));
    await page.goto(`${stack.api.url}/#/deal/acme/deal-7`);
    await page.waitForSelector('text=Tape versions (newest first)');
    const headers = await page.$$eval('table th', (ths) => ths.map((th) => th.textContent ?? ''));
    expect(headers).toEqual(expect.arrayContaining(['Errors', 'Warnings', 'Invalid rows']));
    const row = await page.$eval('table tbody tr', (tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? ''));
    expect(row.slice(1, 7)).toEqual([expect.stringMatching(/^FAILED.*none of the tape's 2 rows is a valid loan/), expect.any(String), '2', '2', '0', '2']);
    await page.click('a:has-text("all-invalid.csv")');
    await page.waitForSelector('#errors-table table');
    expect(await page.textContent('#errors-table')).toMatch(/there is no month 13/);
  });

  it('logged no console errors along the way', () => {
    expect(consoleErrors).toEqual([]);
  });

  it('an issuer sees only its own deals; a wrong key is refused with a message', async () => {
    await page.click('#sign-out');
    await page.fill('#api-key', KEYS.issuerB);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('#deals-table tbody tr');
    const issuers = await page.$$eval('#deals-table tbody tr td:first-child', (tds) => [...new Set(tds.map((td) => td.textContent))]);
    expect(issuers).toEqual(['bravo']);
    await page.click('#sign-out');
    await page.fill('#api-key', 'not-a-key-at-all-0123456789');
    await page.click('button:has-text("Sign in")');
    await page.waitForFunction(() => (document.querySelector('#signin-status')?.textContent ?? '').length > 0);
    expect(await page.textContent('#signin-status')).toMatch(/not known/);
  });
});
