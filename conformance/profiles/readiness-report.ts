// Renders a profile run as a readiness report: HTML (one row per published test, its exchanges folded in), JSON and
// JUnit XML. The plain-language columns say what the IdP expects and what the target returned (idsim issue #12).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeHtml } from '../../protocol/html/escape.ts';
import { escapeXmlAttr, escapeXmlText } from '../../protocol/saml/xml-text.ts';
import type { HttpExchange } from '../target.ts';
import type { ReadinessResult } from './profile.ts';

const LABEL = { pass: 'PASS', fail: 'FAIL', 'n/a': 'N/A' } as const;

function exchangeText(exchange: HttpExchange): string {
  const request = `${exchange.method} ${exchange.url}\n${Object.entries(exchange.requestHeaders)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}${exchange.requestBody === null ? '' : `\n\n${exchange.requestBody}`}`;
  const body =
    exchange.responseBody.length > 2000 ? `${exchange.responseBody.slice(0, 2000)}…` : exchange.responseBody;
  return `${request}\n\n→ ${exchange.status}\n${body}`;
}

export function renderReadinessHtml(result: ReadinessResult): string {
  const rows = result.rows
    .map(
      (row) => `<tr class="${row.status === 'n/a' ? 'na' : row.status}">
<td>${escapeHtml(row.id)}</td><td class="verdict">${LABEL[row.status]}</td><td>${escapeHtml(row.title)}</td>
<td>${escapeHtml(row.expects)}</td><td>${escapeHtml(row.got)}</td>
<td><details><summary>${row.exchanges.length} exchange(s), ${row.ms} ms</summary>${row.exchanges
        .map((exchange) => `<pre>${escapeHtml(exchangeText(exchange))}</pre>`)
        .join('')}</details></td></tr>`,
    )
    .join('\n');
  const verdict = result.ready
    ? 'Ready: every applicable test passed'
    : `Not ready: ${result.counts.fail} test(s) failed`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(result.title)} — ${escapeHtml(result.target)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{border:1px solid #d0d7de;padding:6px 8px;vertical-align:top;text-align:left}
th{background:#f6f8fa}.pass .verdict{color:#1a7f37;font-weight:700}.fail .verdict{color:#cf222e;font-weight:700}.na .verdict{color:#6e7781;font-weight:700}
.fail{background:#fff5f5}pre{white-space:pre-wrap;font-size:12px;background:#f6f8fa;padding:6px;max-width:60rem}
.summary{font-size:18px;margin:1rem 0}.ready{color:#1a7f37}.not-ready{color:#cf222e}
</style></head><body>
<h1>${escapeHtml(result.title)}</h1>
<p>Target: <strong>${escapeHtml(result.target)}</strong> · run ${escapeHtml(result.startedAt)} · ${result.wallSeconds.toFixed(1)} s</p>
<p class="summary ${result.ready ? 'ready' : 'not-ready'}">${escapeHtml(verdict)} — ${result.counts.pass} passed, ${result.counts.fail} failed, ${result.counts.notApplicable} n/a</p>
<table><thead><tr><th>Test</th><th>Result</th><th>Published test</th><th>What the IdP expects</th><th>What you returned</th><th>Exchange</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Sources</h2><ul>${result.sources.map((source) => `<li>${escapeHtml(source)}</li>`).join('')}</ul>
</body></html>
`;
}

export function renderReadinessJunit(result: ReadinessResult): string {
  const cases = result.rows
    .map((row) => {
      const name = `${row.id}: ${row.title}`;
      const inner =
        row.status === 'fail'
          ? `<failure message="${escapeXmlAttr(row.got)}">${escapeXmlText(`Expected: ${row.expects}\nReturned: ${row.got}`)}</failure>`
          : row.status === 'n/a'
            ? `<skipped message="${escapeXmlAttr(`not applicable: ${row.got}`)}"/>`
            : '';
      return `  <testcase classname="${escapeXmlAttr(result.profile)}" name="${escapeXmlAttr(name)}" time="${(row.ms / 1000).toFixed(3)}">${inner}</testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="${escapeXmlAttr(`${result.title}: ${result.target}`)}" tests="${result.rows.length}" failures="${result.counts.fail}" skipped="${result.counts.notApplicable}" time="${result.wallSeconds.toFixed(3)}">
${cases}
</testsuite>
`;
}

/** Writes readiness-<profile>.html, .json and .junit.xml into `dir`; returns the HTML file's path. */
export async function writeReadinessReport(result: ReadinessResult, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const base = path.join(dir, `readiness-${result.profile}`);
  await writeFile(`${base}.json`, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(`${base}.junit.xml`, renderReadinessJunit(result));
  await writeFile(`${base}.html`, renderReadinessHtml(result));
  return `${base}.html`;
}
