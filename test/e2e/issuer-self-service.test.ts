/**
 * Issuers' self-service on the reviewers' page, in a real browser (the harness of
 * reviewer-page.test.ts): an issuer uploads examples/issuer-tape.csv to a new deal through the
 * page (presigned PUT to the S3 emulator, with upload progress), watches it end with every row
 * invalid, maps the unknown columns with the page's form, uploads the same file again and sees it
 * scored. The pipeline runs on each upload's S3 notification, as the local stack's runner does.
 * Screenshots go to test-artifacts/ (gitignored).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromS3Notification } from '../../functions/aws/object-created.ts';
import { runPipeline } from '../../functions/pipeline/run-pipeline.ts';
import { KEYS, startApiStack, type ApiStack } from '../api/support/api-stack.ts';
import { launchChromium, openPage } from '../support/browser.ts';

const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const TAPE = join(process.cwd(), 'examples', 'issuer-tape.csv');
const DEAL = 'self-service-1';
const KEY = `incoming/acme/${DEAL}/issuer-tape.csv`;
let stack: ApiStack;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [stack, browser] = await Promise.all([startApiStack(), launchChromium()]);
  page = await openPage(browser, consoleErrors, { viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/**
 * Runs the pipeline on the `nth` (0-based) upload of `key` once its notification arrives. The
 * emulator bucket has no versions: a unique sequencer stands in, so that the same bytes uploaded
 * again are a new tape (the local stack gives them version ids).
 */
async function runUpload(key: string, nth: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const found = fromS3Notification(stack.aws.notifications, { urlEncodedKeys: false }).filter((o) => o.key === key);
    if (found.length > nth) {
      const object = { ...found[nth]!, eTag: null, versionId: null, sequencer: `upload-${nth}` };
      await runPipeline(object, stack.aws.ports, { runId: randomUUID(), sleep: async () => {} });
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no upload of ${key} arrived`);
}

const text = (selector: string) => page.locator(selector).innerText();

describe('issuer self-service', () => {
  it('serves the page with connect-src allowing the bucket origin the API presigns for', async () => {
    const res = await fetch(`${stack.api.url}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    const ticket = await (await stack.fetch(`/v1/deals/${DEAL}/tapes`, { key: 'issuerA', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fileName: 'probe.csv', size: 1 }) })).json() as { uploadUrl: string };
    expect(connect).toEqual(["'self'", new URL(ticket.uploadUrl).origin]);
  });

  it('uploads a tape to a new deal, maps its columns, uploads it again and sees it scored', async () => {
    await page.goto(`${stack.api.url}/`);
    await page.fill('#api-key', KEYS.issuerA);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#deals-table tbody tr');
    expect(await text('#h-new-upload')).toBe('New upload');

    // First upload: the deal does not exist yet.
    await page.fill('#upload-deal', DEAL);
    await page.setInputFiles('#upload-file', TAPE);
    await page.click('#upload-form button[type="submit"]');
    await runUpload(KEY, 0);
    await page.waitForURL(/#\/tape\//, { timeout: 20_000 });
    await page.waitForSelector('#mapping-form');
    expect(await text('#verdict')).toMatch(/FAILED/);
    expect(await text('#verdict')).toMatch(/Invalid rows\s*12 of 12/);
    await page.screenshot({ path: join(ARTIFACTS, 'issuer-1-failed-map-columns.png'), fullPage: true });

    // The form lists each unknown header; the suggested field and how it is written are pre-filled.
    const headers = await page.$$eval('#mapping-form select[data-header]', (els) => els.map((e) => e.getAttribute('data-header')));
    // The others ('Loan Number', 'Metro', ...) are aliases of the standard's fields already.
    expect(headers).toEqual(['Maturity (MM/DD/YYYY)', 'Curr Bal', 'Note Rate (%)', 'Pay Status Code', 'Top Tenant', 'Top Tenant Parent', 'Internal Notes']);
    const row = (header: string) => page.locator(`#mapping-form tr:has(select[data-header="${header}"])`);
    // Each select starts at the field its UNKNOWN_COLUMN finding suggests (`suggestedField`), none for 'Internal Notes'.
    const preselected = Object.fromEntries(await Promise.all(headers.map(async (h) => [h, await row(h!).locator('select[data-header]').inputValue()])));
    expect(preselected).toEqual({
      'Maturity (MM/DD/YYYY)': 'maturityDate', 'Curr Bal': 'currentBalance', 'Note Rate (%)': 'interestRate', 'Pay Status Code': 'paymentStatus',
      'Top Tenant': 'largestTenant', 'Top Tenant Parent': 'largestTenantParent', 'Internal Notes': '',
    });
    // What examples/issuer-mapping.json says of those columns.
    const example = JSON.parse(await readFile(join(process.cwd(), 'examples', 'issuer-mapping.json'), 'utf8')) as {
      columns: Record<string, string | { field: string; values?: Record<string, string> }>; ignore: string[];
    };
    const wanted = Object.fromEntries(Object.entries(example.columns).filter(([header]) => headers.includes(header)));
    for (const [header, spec] of Object.entries(wanted)) {
      const field = typeof spec === 'string' ? spec : spec.field;
      await row(header).locator('select[data-header]').selectOption(field);
      if (typeof spec === 'object' && spec.values) {
        await row(header).locator('[data-option="values"]').fill(Object.entries(spec.values).map(([k, v]) => `${k}=${v}`).join(', '));
      }
    }
    for (const header of example.ignore) await row(header).locator('select[data-header]').selectOption('-ignore');
    expect(await row('Maturity (MM/DD/YYYY)').locator('[data-option="datePattern"]').inputValue()).toBe('MM/DD/YYYY');
    expect(await row('Note Rate (%)').locator('[data-option="unit"]').inputValue()).toBe('percent');
    await page.click('#mapping-form button[type="submit"]');
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('#mapping-status')?.textContent !== '');
    expect(await text('#mapping-status')).toBe('Mapping saved — upload the tape again.');
    const stored = await (await stack.fetch(`/v1/deals/${DEAL}/mapping`, { key: 'issuerA' })).json();
    expect(stored).toEqual({ schemaVersion: 'dmbs-column-mapping/1', columns: wanted, ignore: example.ignore });

    // Upload the same file again, from the tape's page.
    const firstUrl = page.url();
    await page.setInputFiles('#upload-file', TAPE);
    await page.click('#upload-form button[type="submit"]');
    await runUpload(KEY, 1);
    await page.waitForURL((url) => url.href !== firstUrl && /#\/tape\//.test(url.href), { timeout: 20_000 });
    await page.waitForSelector('#loans-table tbody tr');
    expect(await text('#verdict')).toMatch(/SCORED/);
    expect(await text('#h-overview + dl')).toMatch(/Rows \(valid \/ invalid\)\s*12 \/ 0/);
    await page.screenshot({ path: join(ARTIFACTS, 'issuer-2-scored.png'), fullPage: true });

    // The deal lists both versions, newest first.
    await page.goto(`${stack.api.url}/#/deal/acme/${DEAL}`);
    await page.waitForSelector('#h-tape-versions-newest-first-');
    const statuses = await page.$$eval('section[aria-labelledby="h-tape-versions-newest-first-"] tbody tr', (trs) => trs.map((tr) => tr.querySelector('.badge')?.textContent));
    expect(statuses).toEqual(['SCORED', 'FAILED']);
    // The browser logs each 404 it was answered: the new deal's tapes and its mapping before the first save.
    expect(consoleErrors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  }, 60_000);
});
