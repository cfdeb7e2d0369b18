/**
 * The reviewers' page against the local stack with the large-response redirect switched on, as
 * on AWS (there a body over 4 MB is stored and answered by a presigned S3 location; here the
 * limit is 150 KB, over what the page reads to show a tape and under the CSV of all findings of a
 * tape of 1,500 broken rows, as on AWS only downloads of large tapes pass 4 MB): the CSV download arrives,
 * the CSP is not violated, and the S3 guard lets the browser's presigned GET through. Also: a
 * malformed address in the page shows a message.
 */
import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTape, toCsv } from '../../bench/tape-generator.ts';
import { startTestStack, type TestStack } from '../integration/support/local-stack-harness.ts';
import { launchChromium, openPage, signIn } from '../support/browser.ts';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const LIMIT = 150_000;
let t: TestStack;
let browser: Browser;
let page: Page;
let tapeId: string;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [t, browser] = await Promise.all([
    startTestStack({
      webPage: true, apiOptions: { maxResponseBytes: LIMIT },
      // The stored report keeps 5 findings (on AWS 1,000 of a far larger tape): it stays under the limit.
      wrapPorts: (ports) => ({ ...ports, options: { ...ports.options, maxReportErrors: 5 } }),
    }),
    launchChromium(),
  ]);
  ({ tapeId } = await t.upload('incoming/demo/deal-e2e/tape.csv', toCsv(generateTape({ rows: 1500, seed: 9, dealId: 'deal-e2e', brokenShare: 1 }).rows)));
  await t.waitForFinal(tapeId);
  page = await openPage(browser, consoleErrors, { acceptDownloads: true });
  await signIn(page, t.stack.endpoints.api, t.reviewerToken);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('the page on the local stack with large responses redirected', () => {
  it('downloads the findings CSV through the presigned location', async () => {
    await page.goto(`${t.stack.endpoints.api}/#/tape/${tapeId}`);
    await page.waitForSelector('#download-csv');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    const path = join(ARTIFACTS, 'e2e-local-errors.csv');
    await download.saveAs(path);
    const csv = await readFile(path, 'utf8');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(LIMIT);
    expect(csv.split('\r\n')[0]).toBe('row,column,field,code,severity,message,value,loanId');
    // The same bytes the API gives a client that follows the redirect.
    const viaApi = await fetch(`${t.stack.endpoints.api}/v1/tapes/${tapeId}/errors?format=csv`, { headers: { authorization: `Bearer ${t.reviewerToken}` } });
    expect(viaApi.redirected).toBe(true);
    expect(await viaApi.text()).toBe(csv);
  });

  it('lists findings even when the first thousand are too large to answer inline (fewer, no CSP violation)', async () => {
    await page.goto(`${t.stack.endpoints.api}/#/tape/${tapeId}`);
    await page.waitForSelector('#errors-table tbody tr');
    expect(await page.locator('#errors-table tbody tr').count()).toBe(50);
  });

  it('shows a message for a malformed address instead of failing', async () => {
    await page.goto(`${t.stack.endpoints.api}/#/tape/%E0%A4%A`);
    await page.waitForSelector('[role="alert"]');
    expect(await page.textContent('[role="alert"]')).toMatch(/address is not valid/);
  });

  it("lets an issuer upload a tape from the page through the S3 guard (presigned PUT from the API's origin) and see it scored", async () => {
    const issuerErrors: string[] = [];
    const issuerPage = await openPage(browser, issuerErrors);
    await issuerPage.goto(`${t.stack.endpoints.api}/`);
    await issuerPage.fill('#api-key', t.issuerToken);
    await issuerPage.click('button:has-text("Sign in")');
    await issuerPage.waitForSelector('#upload-form');
    await issuerPage.fill('#upload-deal', 'deal-page-upload');
    await issuerPage.setInputFiles('#upload-file', join(process.cwd(), 'examples', 'dmbs-tape.csv'));
    await issuerPage.click('#upload-form button[type="submit"]');
    await issuerPage.waitForURL(/#\/tape\//, { timeout: 30_000 });
    await issuerPage.waitForSelector('#verdict');
    expect(await issuerPage.locator('#verdict').innerText()).toMatch(/SCORED/);
    await issuerPage.screenshot({ path: join(ARTIFACTS, 'e2e-local-issuer-upload.png'), fullPage: true });
    // The browser logs the 404 of the new deal's tapes, asked before its first upload; nothing else (no CSP violation).
    expect(issuerErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  });

  it('logged no console errors (no CSP violation, no uncaught URIError)', () => {
    expect(consoleErrors).toEqual([]);
  });
});
