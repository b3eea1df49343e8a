/// <reference lib="dom" />
/**
 * The Swagger page (/api/docs) under its own Content-Security-Policy, in a
 * real browser: it must still render every operation, with no CSP violation
 * and no script error (issue 16, item 7).
 */
import type { Browser } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app';
import { launch, listen, newPage, shot } from './support/browser';

describe('API docs page under its CSP', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launch()]);
    base = await listen(t);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders every operation with no CSP violation or script error', async () => {
    const { context, page, errors } = await newPage(browser);
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
    });
    try {
      const res = await page.goto(`${base}/api/docs`);
      expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.locator('.opblock').first().waitFor();
      const spec = (await (await fetch(`${base}/api/docs-json`)).json()) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const operations = Object.values(spec.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
      expect(await page.locator('.opblock').count()).toBe(operations);
      // a section opens (React renders the parameters on click): the page works, not just its first paint
      await page.locator('.opblock-summary').first().click();
      await page.locator('.opblock-body').first().waitFor();
      await shot(page, 'api-docs');
      expect(violations).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
