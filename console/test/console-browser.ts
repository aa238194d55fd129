// Test wiring for the console's cards in headless Chromium: a demo on port 0, the console page open, and the page's
// errors collected (playwright-core with Debian's chromium; idsim issues #6, #13, #14).
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../conformance/report/chromium.ts';
import { silentLogger } from '../../server/http/logger.ts';
import type { Demo } from '../demo.ts';
import { startDemo } from '../demo.ts';

export interface ConsoleBrowser {
  demo: Demo;
  page: Page;
  /** uncaught page errors and console.error messages, for a test to expect none */
  errors: string[];
  close(): Promise<void>;
}

export async function openConsoleInChromium(
  options: { people?: number; assigned?: number } = {},
): Promise<ConsoleBrowser> {
  const demo = await startDemo({
    logger: silentLogger,
    people: options.people ?? 4,
    assigned: options.assigned ?? 2,
  });
  const browser: Browser = await launchChromium();
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(demo.urls.console);
  return {
    demo,
    page,
    errors,
    close: async () => {
      await browser.close();
      await demo.close();
    },
  };
}
