/**
 * Surveillance on the reviewers' page in a real browser: a deal with three monthly tapes in which
 * the same loans evolve shows trend charts with a point per reporting date and its current
 * watchlist (loans, codes with their meaning, prior → current values); a tape shows its own.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DealWatchlist } from '../../functions/api/generated/api.ts';
import { monthlyVersions } from '../../functions/local/demo-history.ts';
import { toCsv } from '../../functions/local/tape-generator.ts';
import { KEYS, startApiStack, uploadAndRun, type ApiStack } from '../api/support/api-stack.ts';
import { launchChromium, openPage, signIn } from '../support/browser.ts';

// Browser globals as page.evaluate callbacks see them (the project compiles without lib "dom").
interface DomElement { readonly textContent: string | null; getAttribute(name: string): string | null }
declare const document: { querySelectorAll(s: string): Iterable<DomElement> };
declare const window: { Chart: { getChart(canvas: unknown): { data: { labels: unknown[]; datasets: Array<{ data: unknown[] }> } } | undefined } };

let stack: ApiStack;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const tapeIds: string[] = [];

beforeAll(async () => {
  await mkdir(join(process.cwd(), 'test-artifacts'), { recursive: true });
  [stack, browser] = await Promise.all([
    startApiStack().then(async (started) => {
      const versions = monthlyVersions({ rows: 30, seed: 4, dealId: 'deal-t', reportingDates: ['2026-08-31', '2026-09-30', '2026-10-31'] });
      for (const [i, rows] of versions.entries()) tapeIds.push(await uploadAndRun(started.aws, `incoming/acme/deal-t/tape-${i + 8}.csv`, toCsv(rows)));
      return started;
    }),
    launchChromium(),
  ]);
  page = await openPage(browser, consoleErrors, { viewport: { width: 1280, height: 900 } });
  // Signed in once the deals list shows: a deal page opened before that could be replaced by it.
  await signIn(page, stack.api.url, KEYS.reviewer);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Per chart in `selector`: its labels and each dataset's point count. */
const chartsIn = (selector: string) => page.$$eval(selector, (canvases) => canvases.map((c) => {
  const chart = window.Chart.getChart(c);
  return chart ? { labels: chart.data.labels, points: chart.data.datasets.map((d) => d.data.length) } : null;
}));

describe('surveillance on the reviewers page', () => {
  it('a deal: trend charts with a point per reporting date, the current watchlist with codes and meanings', async () => {
    await page.goto(`${stack.api.url}/#/deal/acme/deal-t`);
    await page.waitForSelector('#trends canvas');
    await page.waitForSelector('#watchlist-loans tbody tr');
    const charts = await chartsIn('#trends canvas');
    expect(charts).toHaveLength(4);
    for (const c of charts) {
      expect(c?.labels).toEqual(['2026-08-31', '2026-09-30', '2026-10-31']);
      expect(c?.points.every((n) => n === 3)).toBe(true);
    }
    const api = await stack.fetch('/v1/deals/deal-t/watchlist?issuerId=acme&limit=50');
    const expected = (await api.json()) as DealWatchlist;
    expect(expected.tape.tapeId).toBe(tapeIds[2]);
    const shown = await page.$$eval('#watchlist-loans tbody tr', (trs) => trs.map((tr) => [...(tr as unknown as { querySelectorAll(s: string): Iterable<DomElement> }).querySelectorAll('td')].map((td) => td.textContent)));
    expect(shown.map((cells) => cells[1])).toEqual(expected.items.map((l) => l.loanId));
    expect(shown.map((cells) => cells[2])).toEqual(expected.items.map((l) => l.codes.join('')));
    // A code's meaning is its tooltip, and the legend lists every code with its meaning.
    const w01 = expected.codes.find((c) => c.code === 'W01')!.meaning;
    const titles = await page.$$eval('#watchlist-loans abbr', (els) => els.map((e) => `${e.textContent}: ${e.getAttribute('title')}`));
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t).toMatch(/^W0\d: \S/);
    expect(await page.textContent('#watchlist')).toContain(w01);
    // A loan compared with its prior shows "prior → current".
    const fell = expected.items.find((l) => l.prior !== null && l.codes.includes('W02'));
    expect(fell).toBeDefined(); // the demo history plants a fall in coverage every month
    expect(shown.find((cells) => cells[1] === fell!.loanId)?.[4]).toBe(`${fell!.prior!.dscr} → ${fell!.current.dscr}`);
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'deal-surveillance.png'), fullPage: true });
    expect(expected.priorTape?.tapeId).toBe(tapeIds[1]);

    // Filtering by a code leaves only its loans.
    const code = expected.items[0]!.codes[0]!;
    await page.selectOption('#watch-code', code);
    await page.waitForFunction((c) => [...document.querySelectorAll('#watchlist-loans tbody tr')].every((tr) => (tr.textContent ?? '').includes(c)), code);
    expect(await page.$$eval('#watchlist-loans tbody tr', (trs) => trs.length)).toBe(expected.countsByCode[code]);
    expect(consoleErrors).toEqual([]);
  });

  it('a tape: its watchlist section against its prior tape', async () => {
    await page.goto(`${stack.api.url}/#/tape/${tapeIds[1]}`);
    await page.waitForSelector('#watchlist-loans tbody tr');
    const text = await page.textContent('#watchlist');
    expect(text).toContain('against the tape of 2026-08-31');
    expect(consoleErrors).toEqual([]);
  });
});
