/**
 * The compute tape's view of the reviewers' page (web/compute-view.js) in a real browser
 * (test/support/browser.ts). The page is served from web/ by the API's static assets on a small
 * loopback server; its API calls are answered with Playwright routes from a report the compute
 * kind's core builds from examples/compute-tape.csv (the pipeline does not run compute tapes yet).
 * Only `validation` is a stand-in: its counts are the rows read, and the data-quality score a fixed value.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal } from 'decimal.js';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import computeCriteriaSchema from '../../schemas/compute-criteria.schema.json' with { type: 'json' };
import computeScoreModel from '../../schemas/compute-score-model.json' with { type: 'json' };
import { COMPUTE_CRITERION_IDS, COMPUTE_TEST_IDS, describeComputeTest, loadComputeCriteria } from '../../functions/core/kinds/compute/index.ts';
import { createDiskAssets } from '../../functions/api/static-assets.ts';
import { launchChromium, openPage } from '../support/browser.ts';
import { exampleEvaluation } from '../support/compute-example.ts';

interface Canvas { readonly width: number }
declare const window: { Chart: { getChart(canvas: Canvas): { data: { labels: string[]; datasets: Array<{ label: string; data: Array<number | null> }> } } | undefined } };
declare const document: { querySelector(s: string): unknown };
declare const sessionStorage: { setItem(k: string, v: string): void };

const TAPE_ID = 'tape-compute-1';
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let evaluation: Awaited<ReturnType<typeof exampleEvaluation>>;
const consoleErrors: string[] = [];

/** The criteria route's answer for a compute tape, worded from schemas/ as the loan tape's is. */
function criteriaAnswer() {
  const criteria = loadComputeCriteria();
  const specs = computeCriteriaSchema.properties.concentrations.properties as Record<string, { description?: string }>;
  return {
    dealCurrency: criteria.dealCurrency,
    eligibility: COMPUTE_CRITERION_IDS.map((id) => ({ id, enabled: true, label: describeComputeTest(id, criteria) })),
    concentrations: COMPUTE_TEST_IDS.map((id) => ({ id, enabled: true, label: describeComputeTest(id, criteria), top: (specs[id]?.description ?? '').replace(/^top: /, '') })),
    scoreFactors: computeScoreModel.factors.map((f) => ({ name: f.name, metric: f.metric, label: f.description })),
  };
}

function report() {
  const { sections, lots } = evaluation;
  return {
    schemaVersion: 'dmbs-report/1',
    tape: { kind: 'compute', fileName: 'compute-tape.csv', sha256: '0'.repeat(64), format: 'csv', reportingDate: lots[0]!.lot.reportingDate, dealId: 'gpu-1' },
    validation: { rowCount: lots.length, validRowCount: lots.length, invalidRowCount: 0, errorCount: 0, warningCount: 0, dataQualityScore: '97.50', errors: [] },
    ...sections,
  };
}

function tape() {
  const e = evaluation.sections.eligibility;
  const now = '2026-11-02T09:00:00.000Z';
  return {
    tapeId: TAPE_ID, issuerId: 'acme', dealId: 'gpu-1', fileName: 'compute-tape.csv', status: 'SCORED', object: { key: 'incoming/acme/gpu-1/compute-tape.csv', size: 4000 },
    uploadedAt: now, receivedAt: now, updatedAt: now, scoredAt: now, revision: 1, revisions: [], rescoring: null,
    progress: { step: null, stepNumber: 4, stepCount: 4, percent: 100, final: true },
    summary: {
      sha256: '0'.repeat(64), format: 'csv', reportingDate: '2026-10-31', rowCount: 12, validRowCount: 12, invalidRowCount: 0, errorCount: 0, warningCount: 0,
      dataQualityScore: '97.50', eligibleCount: e.eligibleCount, ineligibleCount: e.ineligibleCount, eligibleBalance: e.eligibleBalance,
      scorePoints: evaluation.sections.score.points, scoreBand: evaluation.sections.score.band, failedTests: [],
    },
    links: {},
  };
}

/** Answers the page's API calls (GET /v1/...) from the report built above. */
async function answer(route: Route): Promise<void> {
  const url = new URL(route.request().url());
  const json = (body: unknown) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) });
  const path = url.pathname;
  if (path === '/v1/me') return json({ subject: 'test reviewer', role: 'reviewer' });
  if (path === `/v1/tapes/${TAPE_ID}`) return json(tape());
  if (path === `/v1/tapes/${TAPE_ID}/report`) return json(report());
  if (path === `/v1/tapes/${TAPE_ID}/criteria`) return json(criteriaAnswer());
  if (path === `/v1/tapes/${TAPE_ID}/errors`) return route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: '' });
  if (path === `/v1/tapes/${TAPE_ID}/loans`) {
    const eligible = url.searchParams.get('eligible');
    const items = evaluation.lots.filter((l) => eligible === null || String(l.evaluation.eligible) === eligible)
      .map((l) => ({ row: l.row, lotId: l.evaluation.lotId, eligible: l.evaluation.eligible, failures: l.evaluation.failures }));
    return json({ items, nextToken: null });
  }
  return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify({ detail: `not in this test: ${path}` }) });
}

beforeAll(async () => {
  await mkdir('test-artifacts', { recursive: true });
  const assets = createDiskAssets();
  server = createServer((req, res) => {
    void assets.get(new URL(req.url ?? '/', 'http://x').pathname).then((file) => {
      if (!file) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': file.contentType }).end(file.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  [evaluation, browser] = await Promise.all([exampleEvaluation(), launchChromium()]);
  page = await openPage(browser, consoleErrors, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript(() => sessionStorage.setItem('dmbs.apiKey', 'test-key'));
  await page.route('**/v1/**', answer);
  await page.goto(`${base}/#/tape/${TAPE_ID}`);
  await page.waitForSelector('[data-compute="path"] tbody tr');
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

/** The rows of a table inside `selector`, cells as the person reads them. */
const rowsOf = (selector: string) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => (tr as unknown as { innerText: string }).innerText.split('\t').map((c) => c.trim())));
/** "0.546099" -> "54.61 %": the share as a person reads it, rounded half up on the decimal. */
const pct = (share: string) => `${new Decimal(share).times(100).toFixed(2, Decimal.ROUND_HALF_UP)} %`;
/** "206611201.00" -> "USD 206,611,201.00". */
function usd(amount: string): string {
  const [int, dec] = amount.split('.');
  return `USD ${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}
const section = (name: string) => `[data-compute="${name}"]`;

describe('the compute tape view', () => {
  it('shows the K01-K07 tests against their limits, each passing or failing as the report decides', async () => {
    const rows = await rowsOf(section('tests'));
    const tests = evaluation.sections.concentrations;
    expect(rows.map((r) => r[0]!.slice(-3))).toEqual(['K01', 'K02', 'K03', 'K04', 'K05', 'K06', 'K07']);
    expect(rows.map((r) => r[5]!.split('\n')[0])).toEqual(tests.map((t) => (t.pass ? 'pass' : 'fail')));
    // Both outcomes on this tape: K01 (customer group) breached, K06 within its limit.
    expect(rows[0]![5]).toMatch(/^fail/);
    expect(rows[5]![5]).toMatch(/^pass/);
    expect(rows[0]![2]).toBe(pct(tests[0]!.actual!));
    expect(await page.innerText('#verdict')).toContain(evaluation.sections.score.band);
  });

  it('draws the residual LTV path with the K06 limit and the worst point, and gives its figures as a table', async () => {
    const path = evaluation.sections.pool.residualPath;
    const k06 = evaluation.sections.concentrations.find((t) => t.id === 'K06')!;
    expect(path.length).toBeGreaterThan(2);
    const rows = await rowsOf(section('path'));
    expect(rows).toEqual(path.map((p) => [p.date === k06.worstDate ? `${p.date} (worst)` : p.date, usd(p.balance), usd(p.residual), pct(p.ltv!)]));
    // The worst point is not the first date here: the path is needed to see it.
    expect(k06.worstDate).not.toBe(path[0]!.date);
    expect(await page.innerText(`${section('path')} [data-figure="worst"]`)).toBe(`Worst point: ${pct(k06.actual!)} on ${k06.worstDate} against a maximum of ${pct(k06.limit)} pass`);
    const chart = await page.evaluate(() => {
      const c = window.Chart.getChart(document.querySelector('[data-compute="path"] canvas') as Canvas);
      return c && { labels: c.data.labels, datasets: c.data.datasets.map((d) => ({ label: d.label, data: d.data })) };
    });
    expect(chart?.labels).toEqual(path.map((p) => p.date));
    expect(chart?.datasets[0]!.data.map((x) => x!.toFixed(4))).toEqual(path.map((p) => new Decimal(p.ltv!).times(100).toFixed(4)));
    expect(new Set(chart?.datasets[1]!.data)).toEqual(new Set([Number(k06.limit) * 100]));
    expect(chart?.datasets[2]!.data.filter((x) => x !== null)).toHaveLength(1);
    expect(chart?.datasets[2]!.data[path.findIndex((p) => p.date === k06.worstDate)]).toBeCloseTo(Number(k06.actual) * 100, 6);
    await page.locator(section('path')).screenshot({ path: 'test-artifacts/compute-ltv-path.png' });
    const label = await page.getAttribute(`${section('path')} canvas`, 'aria-label');
    expect(label).toContain(`worst ${pct(k06.actual!)} on ${k06.worstDate}`);
  });

  it('shows contract coverage against its minimum with the pool figures', async () => {
    const k05 = evaluation.sections.concentrations.find((t) => t.id === 'K05')!;
    const text = await page.innerText(section('coverage'));
    expect(await page.innerText(`${section('coverage')} [data-figure="coverage"]`)).toBe(new Decimal(k05.actual!).toFixed(2, Decimal.ROUND_HALF_UP));
    expect(text).toContain(`≥ ${new Decimal(k05.limit).toFixed(2)}`);
    expect(text).toContain(usd(evaluation.sections.pool.pvContracted!));
    expect(await page.innerText(section('pool'))).toContain(usd(evaluation.sections.pool.residualNow!));
  });

  it('lists the customer groups and GPU models by share, with their charts', async () => {
    const byId = Object.fromEntries(evaluation.sections.concentrations.map((t) => [t.id, t.top]));
    expect(await rowsOf(section('customers'))).toEqual(byId.K01!.map((c) => [c.key, pct(c.share)]));
    expect(await rowsOf(section('models'))).toEqual(byId.K03!.map((c) => [c.key, pct(c.share)]));
    const bars = await page.evaluate(() => ['customers', 'models'].map((n) => window.Chart.getChart(document.querySelector(`[data-compute="${n}"] canvas`) as Canvas)?.data.labels ?? null));
    expect(bars).toEqual([byId.K01!.map((c) => c.key), byId.K03!.map((c) => c.key)]);
    await page.locator(section('customers')).screenshot({ path: 'test-artifacts/compute-customers.png' });
  });

  it('shows eligibility failures by criterion, the lots with their reasons, and no loan-only card', async () => {
    const failing = Object.entries(evaluation.sections.eligibility.failuresByCriterion);
    const rows = await rowsOf(section('eligibility'));
    expect(rows.map((r) => [r[0]!.slice(-3), r[1]])).toEqual(failing.map(([id, n]) => [id, String(n)]));
    await page.waitForSelector('#loans-table tbody tr');
    expect(await page.$$eval('#loans-table thead th', (ths) => ths.map((t) => t.textContent))).toEqual(['Row', 'Lot', 'Eligible', 'Why not']);
    const lots = await rowsOf('#loans-table');
    const ineligible = evaluation.lots.find((l) => !l.evaluation.eligible)!;
    const row = lots.find((r) => r[1] === ineligible.evaluation.lotId)!;
    expect(row[2]).toBe('ineligible');
    expect(row[3]).toContain(ineligible.evaluation.failures[0]!.reason);
    const titles = await page.$$eval('h2', (hs) => hs.map((x) => (x as unknown as { innerText: string }).innerText));
    expect(titles).not.toContain('Balance-sheet transition by quarter');
    expect(titles).toContain('Residual LTV over time');
    await page.screenshot({ path: 'test-artifacts/compute-view.png', fullPage: true });
    expect(consoleErrors).toEqual([]);
  });
});
