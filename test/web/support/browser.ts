/**
 * Browser plumbing for the web console's end-to-end tests: Debian's chromium
 * driven by playwright-core, against the real API (startTestApp + listen(0))
 * serving the built console from dist/web.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { once } from '../../support/install-once';
import type { TestApp } from '../../support/test-app';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..', '..');
export const SCREENSHOTS = join(ROOT, 'test', 'screenshots');

/** Installs Debian's chromium when it is missing (needs root). */
export function ensureChromium(): void {
  once(
    'chromium-install',
    () => existsSync(CHROMIUM),
    () => {
      if (typeof process.getuid === 'function' && process.getuid() !== 0) {
        throw new Error(
          `The web tests need Chromium at ${CHROMIUM}. Install it as root: apt-get update && apt-get install -y chromium`,
        );
      }
      execSync('apt-get update && apt-get install -y chromium', {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    },
  );
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is still missing at ${CHROMIUM} after apt-get install`);
}

let webChecked = false;
/**
 * Builds the web console (dist/web) unless its build stamp matches the sources: a console built before a merge
 * or an edit is rebuilt, not tested stale (build.js compares the fingerprint; a fresh build costs nothing).
 */
export function ensureWebBuilt(): void {
  const index = join(ROOT, 'dist', 'web', 'index.html');
  once(
    'web-build',
    () => webChecked,
    () => {
      execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.js'), '--web'], { cwd: ROOT, stdio: 'inherit' });
      webChecked = true;
    },
  );
  if (!existsSync(index))
    throw new Error('The web console did not build: run `npm run build:web` and look at its output');
}

export async function launch(): Promise<Browser> {
  ensureChromium();
  ensureWebBuilt();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** Starts the HTTP server of a test app on a free port; returns its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function newPage(
  browser: Browser,
  /** bypassCSP: only so a test can inject axe-core; the console's own CSP is tested elsewhere */
  opts: { timezoneId?: string; bypassCSP?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: opts.timezoneId ?? 'Europe/London',
    bypassCSP: opts.bypassCSP,
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/signin`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}
