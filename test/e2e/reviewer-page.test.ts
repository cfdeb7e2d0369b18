/**
 * The reviewers' page in a real browser: playwright-core driving the Chromium that the npm
 * package @sparticuz/chromium carries (nothing is downloaded), against the API served by
 * serveApi on the embedded emulators with tapes run through the pipeline. Screenshots go to
 * test-artifacts/ (gitignored).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import type { DealPage } from '../../functions/api/generated/api.ts';
import { KEYS, startApiStack, uploadAndRun, type ApiStack } from '../api/support/api-stack.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { validRow } from '../support/rows.ts';

// Browser globals, as seen inside page.evaluate callbacks (the project compiles without lib "dom").
interface DomElement { readonly id: string; readonly tagName: string; readonly textContent: string | null; readonly innerText: string; readonly className: string; getAttribute(name: string): string | null; querySelector(s: string): DomElement | null; getBoundingClientRect(): { width: number; left: number } }
interface Canvas { readonly width: number; readonly height: number; getContext(type: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null }
declare const document: { readonly activeElement: DomElement | null; querySelector(s: string): DomElement | null; querySelectorAll(s: string): Iterable<DomElement> };
declare const window: { Chart: { getChart(canvas: Canvas): unknown }; getComputedStyle(el: DomElement): { whiteSpace: string } };

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
/** Deals seeded beyond the stack's own five, so that the deals list has more than one page (25). */
const EXTRA_DEALS = 22;
/** Extra-01's tape: every row invalid. */
let noValidLoan: string;
let stack: ApiStack;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([
    startApiStack().then(async (started) => {
      // Mixed-case ids: ids are case-sensitive and must be shown as they are. Empty files: FAILED tapes, quick to run.
      const { rows } = generateTape({ rows: 4, seed: 5, dealId: 'Extra-01' });
      for (const r of rows) r.currentBalance = 'not-a-number';
      noValidLoan = await uploadAndRun(started.aws, 'incoming/acme/Extra-01/all-rows-bad.csv', toCsv(rows));
      for (let i = 2; i <= EXTRA_DEALS; i++) await uploadAndRun(started.aws, `incoming/acme/Extra-${String(i).padStart(2, '0')}/empty.csv`, '');
      return started;
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors, { acceptDownloads: true, viewport: { width: 1280, height: 900 } });
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
    expect(await page.isVisible('#sign-out')).toBe(false); // nobody to sign out yet
    await page.keyboard.type(KEYS.reviewer);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => [document.activeElement?.tagName, document.activeElement?.textContent])).toEqual(['BUTTON', 'Sign in']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#deals-table tbody tr');
  });

  it('shows who is signed in, and a Sign out button', async () => {
    await page.waitForFunction(() => (document.querySelector('#whoami')?.textContent ?? '') !== '');
    expect(await page.innerText('#whoami')).toBe('Signed in as test reviewer (reviewer)');
    expect(await page.isVisible('#sign-out')).toBe(true);
  });

  it('lists a page of deals, and Load more adds the next page once, then hides', async () => {
    const all = ((await (await stack.fetch('/v1/deals?limit=100')).json()) as DealPage).items;
    expect(all.length).toBe(5 + EXTRA_DEALS);
    const rowCount = () => page.$$eval('#deals-table tbody tr', (trs) => trs.length);
    expect(await rowCount()).toBe(25);
    expect(await page.isVisible('button:has-text("Load more deals")')).toBe(true);
    await page.click('button:has-text("Load more deals")');
    await page.waitForFunction((n) => [...document.querySelectorAll('#deals-table tbody tr')].length >= n, all.length);
    await page.waitForSelector('button:has-text("Load more deals")', { state: 'hidden' });
    expect(await rowCount()).toBe(all.length);
    // Focus moves to the first deal added, where a keyboard user goes on reading.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(all[25]!.dealId);
    // Deal ids as a person sees them (innerText applies CSS text-transform): case kept, none twice.
    const shown = await page.$$eval('#deals-table tbody tr', (trs) => trs.map((tr) => {
      const row = tr as unknown as DomElement;
      return `${row.querySelector('td')?.innerText ?? ''}/${row.querySelector('th')?.innerText ?? ''}`;
    }));
    expect(shown).toEqual(all.map((d) => `${d.issuerId}/${d.dealId}`));
    expect(shown).toContain('acme/Extra-07');
  });

  it('lists deals with the latest tape status, data quality and score band', async () => {
    const rows = await page.$$eval('#deals-table tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    const acme1 = rows.find((r) => r.startsWith('acme') && r.includes('deal-1'));
    expect(acme1).toMatch(/tape-2026-10\.csv/);
    expect(acme1).toMatch(/SCORED/);
    expect(acme1).toMatch(/range/);
    expect(rows.find((r) => r.includes('deal-3'))).toMatch(/FAILED/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-deals.png'), fullPage: true });
  });

  it('opens a deal: each version with its error counts and score band', async () => {
    await page.click('a[href="#/deal/acme/deal-1"]');
    await page.waitForSelector('text=Tape versions (newest first)');
    const headers = await page.$$eval('section[aria-labelledby="h-tape-versions-newest-first-"] thead th', (ths) => ths.map((th) => (th as unknown as DomElement).innerText));
    expect(headers).toEqual(['FILE', 'STATUS', 'UPLOADED', 'ROWS', 'ERRORS', 'WARNINGS', 'INVALID ROWS', 'DATA QUALITY', 'ELIGIBLE BALANCE', 'SCORE BAND']);
    const versions = await page.$$eval('section[aria-labelledby="h-tape-versions-newest-first-"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(versions).toHaveLength(2);
    expect(versions[1]).toMatch(/^tape-2026-09\.csv\tSCORED\t2026-11-01 \d{2}:\d{2}:\d{2} UTC\t60\t/);
    expect(versions[1]).toMatch(/range$/);
  });

  it('opens a tape: the verdict first, money formatted, times to the second', async () => {
    await page.click('a:has-text("tape-2026-09.csv")');
    await page.waitForSelector('#errors-table table');
    await page.waitForSelector('#loans-table table');
    const drawn = await canvasDrawn('canvas');
    expect(drawn.length).toBe(3); // eligibility failures, balance-sheet transition, credit enhancement by rating (stress panel)
    expect(drawn.every(Boolean)).toBe(true);

    const verdict = await page.innerText('#verdict');
    expect(verdict).toMatch(/^SCORED \S.* range; /);
    expect(verdict).toMatch(/Errors\n\d+/);
    expect(verdict).toMatch(/Invalid rows\n\d+ of 60/);
    expect(verdict).toMatch(/Eligible balance\nUSD \d{1,3}(,\d{3})+\.\d{2}/);
    expect(await page.isVisible('#tape-progress')).toBe(false); // final: no progress bar
    expect(await page.innerText('main')).toMatch(/Uploaded 2026-11-01 \d{2}:\d{2}:\d{2} UTC/);
    // Money never wraps mid-number.
    await page.locator('#verdict').screenshot({ path: join(ARTIFACTS, 'e2e-tape-verdict.png') });
    expect(await page.$$eval('#verdict .nowrap', (els) => els.map((el) => window.getComputedStyle(el as unknown as DomElement).whiteSpace))).toEqual(['nowrap']);
    // ... and is not cut off: every figure fits its box.
    expect(await page.$$eval('#verdict dd, section[aria-labelledby="h-pool-eligible-loans-"] dd', (dds) => dds.filter((dd) => {
      const el = dd as unknown as { scrollWidth: number; clientWidth: number };
      return el.scrollWidth > el.clientWidth;
    }).length)).toBe(0);
  });

  it('names criteria, tests and score factors by their schema labels, each test on its own scale with its largest contributors', async () => {

    const eligibility = await page.$$eval('section[aria-labelledby="h-eligibility-failures-by-criterion"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(eligibility).toContainEqual(expect.stringMatching(/^dscr >= 1\.2 E05\t\d+$/));

    const tests = await page.$$eval('section[aria-labelledby="h-concentration-tests-against-limits"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(tests).toHaveLength(12);
    const c05 = tests.find((r) => r.includes('C05'));
    expect(c05).toMatch(/^largest single market share C05\s+\d+\.\d{2} %\t≤ 35\.00 %\t-?\d+\.\d{2} %\t(pass|fail)\s+the largest markets\.\n/);
    expect(c05).toMatch(/\n\S.* \d+\.\d{2} %$/m); // a market and its share
    expect(tests.find((r) => r.includes('C09'))).toMatch(/≥ 10\.0 loans/);
    // Each bullet on its own scale: every limit line and every bar inside the track, no bar squashed to nothing.
    const bullets = await page.$$eval('.bullet', (els) => els.map((el) => {
      const box = (el as unknown as DomElement).getBoundingClientRect();
      const bar = (el as unknown as DomElement).querySelector('.bar')?.getBoundingClientRect();
      const limit = (el as unknown as DomElement).querySelector('.limit')!.getBoundingClientRect();
      return { limit: (limit.left - box.left) / box.width, bar: bar ? bar.width / box.width : null };
    }));
    await page.locator('section[aria-labelledby="h-concentration-tests-against-limits"]').screenshot({ path: join(ARTIFACTS, 'e2e-tape-tests.png') });
    expect(bullets).toHaveLength(12);
    for (const b of bullets) {
      expect(b.limit).toBeGreaterThan(0.1);
      expect(b.limit).toBeLessThanOrEqual(0.81);
      if (b.bar !== null && b.bar > 0) expect(b.bar).toBeGreaterThan(0.02);
    }

    const factors = await page.$$eval('section[aria-labelledby="h-score-factors"] tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(factors[0]).toMatch(/^Balance-weighted average LTV of the eligible pool: lower is better\. leverage\t\d+\.\d{2} %\t\d+\.\d\t20\.00 %$/);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-tape-detail.png'), fullPage: true });
  });

  it('pages the per-loan eligibility and filters it by criterion', async () => {
    const report = (await (await stack.fetch(`/v1/tapes/${stack.tapes.a1v1}/report`)).json()) as { eligibility: { eligibleCount: number; ineligibleCount: number; failuresByCriterion: Record<string, number> } };
    const loans = report.eligibility.eligibleCount + report.eligibility.ineligibleCount;
    expect(loans).toBeGreaterThan(25);
    const rows = () => page.$$eval('#loans-table tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(await rows()).toHaveLength(25);
    expect(await page.innerText('#loans-status')).toBe(`Loans 1–25 of ${loans}`);
    const firstPage = await rows();
    await page.click('#loans-next');
    await page.waitForFunction(() => (document.querySelector('#loans-status')?.textContent ?? '').startsWith('Loans 26–'));
    expect((await rows())[0]).not.toBe(firstPage[0]);
    await page.click('#loans-prev');
    await page.waitForFunction(() => (document.querySelector('#loans-status')?.textContent ?? '').startsWith('Loans 1–'));
    expect(await rows()).toEqual(firstPage);

    const [criterion, failing] = Object.entries(report.eligibility.failuresByCriterion).find(([, n]) => n > 0)!;
    await page.selectOption('#loans-eligible', 'false');
    await page.selectOption('#loans-criterion', criterion);
    await page.click('form[aria-label="Filter loans"] button[type="submit"]');
    await page.waitForFunction((n) => (document.querySelector('#loans-status')?.textContent ?? '').endsWith(` of ${n}`), failing);
    const filtered = await rows();
    expect(filtered.length).toBe(Math.min(failing, 25));
    for (const r of filtered) {
      expect(r).toMatch(/\tineligible\t/);
      expect(r).toContain(`${criterion})`);
    }
  });

  it('pages the findings', async () => {
    const report = (await (await stack.fetch(`/v1/tapes/${stack.tapes.a1v1}/report`)).json()) as { validation: { errorCount: number; warningCount: number } };
    const total = report.validation.errorCount + report.validation.warningCount;
    const shown = Math.min(total, 50);
    expect(await page.innerText('#errors-status')).toBe(`Findings 1–${shown} of ${total}`);
    expect(await page.$$eval('#errors-table tbody tr', (trs) => trs.length)).toBe(shown);
    expect(await page.isDisabled('#errors-next')).toBe(total <= 50);
    expect(await page.isDisabled('#errors-prev')).toBe(true);
  });

  it('filters the errors table by code and field', async () => {
    await page.selectOption('#errors-code', 'FORMAT');
    await page.click('form[aria-label="Filter findings"] button[type="submit"]');
    await page.waitForFunction(() => {
      const codes = [...document.querySelectorAll('#errors-table tbody tr td:nth-child(4)')].map((td) => td.textContent);
      return codes.length > 0 && codes.every((c) => c === 'FORMAT');
    });
    await page.selectOption('#errors-field', 'currency');
    await page.click('form[aria-label="Filter findings"] button[type="submit"]');
    await page.waitForFunction(() => [...document.querySelectorAll('#errors-table tbody tr td:nth-child(3)')].every((td) => td.textContent === 'currency'));
  });

  it('downloads the errors as CSV with formula-like cells neutralised', async () => {
    await page.selectOption('#errors-field', '');
    await page.selectOption('#errors-code', '');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(download.suggestedFilename()).toMatch(/^[0-9a-f]{32}-errors\.csv$/);
    const path = join(ARTIFACTS, 'e2e-errors.csv');
    await download.saveAs(path);
    const csv = await readFile(path, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('row,column,field,code,severity,message,value,loanId');
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

  it('lists uploads outside any deal for reviewers, each opening its FAILED tape', async () => {
    await page.goto(`${stack.api.url}/#/`);
    await page.waitForSelector('#invalid-keys tbody tr');
    const rows = await page.$$eval('#invalid-keys tbody tr', (trs) => trs.map((tr) => (tr as unknown as DomElement).innerText));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^2026-11-01 \d{2}:\d{2}:\d{2} UTC\tobject key 'incoming\/acme\/tape\.csv' has 2 parts after incoming\//);
    await page.click('#invalid-keys tbody a');
    await page.waitForSelector('#verdict');
    expect(await page.innerText('h1')).toBe('incoming/acme/tape.csv');
    expect(await page.innerText('#verdict .headline')).toMatch(/^FAILED object key 'incoming\/acme\/tape\.csv'/);
    expect(await page.innerText('#verdict')).toMatch(/Code OBJECT_KEY_INVALID/);
  });

  it('a FAILED tape: red verdict with its reason at the top, no progress bar', async () => {
    await page.goto(`${stack.api.url}/#/tape/${stack.tapes.a3failed}`);
    await page.waitForSelector('#verdict');
    expect(await page.getAttribute('#verdict', 'class')).toContain('bad');
    expect(await page.innerText('#verdict .headline')).toMatch(/^FAILED \S/);
    expect(await page.isVisible('#tape-progress')).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'e2e-tape-failed.png'), fullPage: true });
  });

  it('a tape with no valid loan: FAILED in red saying so, its counts and its findings', async () => {
    await page.goto(`${stack.api.url}/#/tape/${noValidLoan}`);
    await page.waitForSelector('#verdict .headline');
    expect(await page.getAttribute('#verdict', 'class')).toContain('bad');
    expect(await page.innerText('#verdict .headline')).toMatch(/^FAILED .*4 rows/);
    expect(await page.innerText('#verdict')).toMatch(/Invalid rows\n4 of 4/);
    await page.waitForSelector('#errors-table tbody tr');
    expect(await page.innerText('#errors-table')).toMatch(/currentBalance/);
  });

  it('a tape still running: its step and a progress bar', async () => {
    await page.goto(`${stack.api.url}/#/tape/${stack.tapes.b9pending}`);
    await page.waitForSelector('#verdict .headline');
    expect(await page.getAttribute('#verdict', 'class')).toContain('pending');
    expect(await page.innerText('#verdict .headline')).toMatch(/^RECEIVED Step 1 of \d+/);
    expect(await page.isVisible('#tape-progress')).toBe(true);
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
    // each row's finding names its loan in the Loan column
    expect(await page.$$eval('#errors-table th', (ths) => ths.map((th) => th.textContent))).toEqual(['Row', 'Loan', 'Field', 'Code', 'Severity', 'Message', 'Value']);
    const loans = await page.$$eval('#errors-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)));
    expect(loans).toEqual(expect.arrayContaining([['2', 'L-1', 'dscr'], ['3', 'L-2', 'maturityDate']]));
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
    expect(await page.isVisible('#invalid-keys')).toBe(false);
    await page.waitForFunction(() => (document.querySelector('#whoami')?.textContent ?? '').includes('bravo'));
    expect(await page.innerText('#whoami')).toBe('Signed in as key 4 (issuer bravo)'); // keys.json gives this key no name
    await page.click('#sign-out');
    await page.fill('#api-key', 'not-a-key-at-all-0123456789');
    await page.click('button:has-text("Sign in")');
    await page.waitForFunction(() => (document.querySelector('#signin-status')?.textContent ?? '').length > 0);
    expect(await page.textContent('#signin-status')).toMatch(/not known/);
    expect(await page.isVisible('#sign-out')).toBe(false);
  });
});
