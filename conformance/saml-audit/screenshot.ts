// A PNG of the report card, rendered by real Chromium (Debian's /usr/bin/chromium through playwright-core).
// idsim issue #11 ("the note shows a report card screenshot").

import { pathToFileURL } from 'node:url';
import { launchChromium } from '../report/chromium.ts';

/** Renders the HTML file at desktop width and saves the top of the page (or the whole page) as a PNG. */
export async function screenshotReportCard(
  htmlFile: string,
  pngFile: string,
  fullPage = false,
): Promise<void> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    await page.goto(pathToFileURL(htmlFile).href);
    await page.screenshot({ path: pngFile, fullPage });
  } finally {
    await browser.close();
  }
}
