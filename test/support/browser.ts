/**
 * The browser of the e2e tests: playwright-core driving the Chromium that the npm package
 * @sparticuz/chromium carries (nothing is downloaded), and a page that records what the page
 * logged as errors (console errors, uncaught exceptions) for the tests to assert none.
 */
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.executablePath().then((executablePath) => playwright.launch({ executablePath, args: chromium.args, headless: true }));
}

/** A page in a new context; its console errors and uncaught exceptions are pushed to `errors`. */
export async function openPage(browser: Browser, errors: string[], options: BrowserContextOptions = {}): Promise<Page> {
  const page = await (await browser.newContext(options)).newPage();
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return page;
}

/** Opens the page at `url`, signs in with `token` and waits for the deals list. */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.fill('#api-key', token);
  await page.click('button:has-text("Sign in")');
  await page.waitForSelector('#deals-table tbody tr');
}
