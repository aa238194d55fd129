// The SAML audit's report card: HTML for people who do not know SAML, JSON for tools, JUnit for CI.
// idsim issue #11 (one row per fault: verdict, HTTP exchange, explanation and reference, by family, a grade).

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeHtml } from '../../protocol/html/escape.ts';
import { lineDiff } from '../../simulator/saml/faults/diff.ts';
import { FAULT_FAMILIES } from '../../simulator/saml/faults/index.ts';
import type { HttpExchange } from '../target.ts';
import { type AuditResult, type AuditRow, type AuditVerdict, visible } from './audit.ts';

export interface ReportFiles {
  dir: string;
  html: string;
  json: string;
  junit: string;
}

const VERDICT_LABEL: Record<AuditVerdict, string> = {
  refused: 'refused',
  'accepted-as-signed': 'accepted as the signed identity',
  accepted: 'ACCEPTED = vulnerable',
  'not-applicable': 'not applicable',
  error: 'could not run',
};

const GRADE_TEXT: Record<string, string> = {
  A: 'Every attack was handled safely.',
  B: 'One or two Responses that must be refused were accepted, none opened someone else’s account.',
  C: 'Several Responses that must be refused were accepted, none opened someone else’s account.',
  D: 'Many Responses that must be refused were accepted.',
  F: 'At least one attack signed the attacker in as another person: account takeover.',
  '-': 'The genuine control sign-in failed, so nothing was tested: the results would prove nothing.',
};

const cut = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;

function exchangeHtml(exchange: HttpExchange): string {
  let body = exchange.requestBody ?? '';
  const form = new URLSearchParams(body);
  const saml = form.get('SAMLResponse');
  if (saml !== null)
    body = `SAMLResponse=<base64 of the faulty Response shown above, ${saml.length} characters>${form.get('RelayState') === null ? '' : '&RelayState=…'}`;
  const headers = Object.entries(exchange.responseHeaders)
    .filter(([k]) => ['location', 'set-cookie', 'content-type'].includes(k))
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return (
    `<pre class="http">${escapeHtml(`${exchange.method} ${exchange.url}\n${cut(body, 400)}`)}</pre>` +
    `<pre class="http">${escapeHtml(`HTTP ${exchange.status}\n${headers}\n\n${cut(exchange.responseBody, 1200)}`)}</pre>`
  );
}

function diffHtml(row: AuditRow): string {
  if (row.genuineXml === null || row.faultyText === null) return '';
  const lines = lineDiff(row.genuineXml, row.faultyText);
  const keep = new Set<number>();
  lines.forEach((line, i) => {
    if (line.op !== ' ') for (let j = i - 1; j <= i + 1; j += 1) keep.add(j);
  });
  let out = '';
  let skipped = false;
  lines.forEach((line, i) => {
    if (!keep.has(i)) {
      if (!skipped) out += '<span class="ctx">  …</span>\n';
      skipped = true;
      return;
    }
    skipped = false;
    const cls = line.op === '+' ? 'add' : line.op === '-' ? 'del' : 'ctx';
    out += `<span class="${cls}">${escapeHtml(`${line.op} ${cut(visible(line.text), 300)}`)}</span>\n`;
  });
  return `<p class="label">How this Response differs from the genuine one (− genuine, + faulty):</p><pre class="diff">${out}</pre>`;
}

function rowHtml(row: AuditRow): string {
  const verdictClass =
    row.verdict === 'not-applicable' || row.verdict === 'error'
      ? 'na'
      : row.pass
        ? 'ok'
        : row.severity === 'critical'
          ? 'critical'
          : 'bad';
  const refs = row.references
    .map((r) =>
      r.url === undefined ? escapeHtml(r.label) : `<a href="${escapeHtml(r.url)}">${escapeHtml(r.label)}</a>`,
    )
    .join(' · ');
  const saml = row.exchanges.filter((e) => e.channel === 'saml');
  const expected =
    row.expected === 'refuse'
      ? 'must be refused'
      : 'may be accepted, but only as the identity the IdP signed';
  return `<tr class="${verdictClass}" id="fault-${escapeHtml(row.id)}" data-fault="${escapeHtml(row.id)}" data-verdict="${row.verdict}" data-pass="${row.pass}">
<td class="verdict"><span class="badge ${verdictClass}">${escapeHtml(VERDICT_LABEL[row.verdict])}</span>${row.code === null ? '' : `<br><code>${escapeHtml(row.code)}</code>`}</td>
<td><strong>${escapeHtml(row.title)}</strong> <code class="id">${escapeHtml(row.id)}</code>
<p>${escapeHtml(row.note)}</p>
<details><summary>What this is and why it matters</summary><p>${escapeHtml(row.explanation)}</p><p class="refs">${refs}</p>
${row.signedIdentity === null ? '' : `<p>The IdP’s signature covers the identity <code>${escapeHtml(visible(row.signedIdentity))}</code>${row.landedAs === null ? '' : `; the SP signed in <code>${escapeHtml(visible(row.landedAs))}</code>`}.</p>`}
${row.created.length === 0 ? '' : `<p class="bad-text">Created on the target: ${escapeHtml(row.created.join(', '))}</p>`}</details>
${saml.length === 0 ? '' : `<details><summary>The HTTP exchange</summary>${diffHtml(row)}${saml.map(exchangeHtml).join('')}</details>`}
</td><td class="expected">${escapeHtml(expected)}</td></tr>`;
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f4f6f8}
header{background:#1d2733;color:#fff;padding:24px 32px;display:flex;gap:28px;align-items:center}
.grade{font-size:64px;font-weight:700;width:96px;height:96px;border-radius:14px;display:flex;align-items:center;justify-content:center;background:#3a4654}
.grade.A{background:#1f8a4c}.grade.B{background:#6a9a1f}.grade.C{background:#c98a0b}.grade.D{background:#c8590b}.grade.F{background:#b3261e}
header h1{margin:0 0 6px;font-size:24px}header p{margin:2px 0;color:#d5dce4}
main{padding:16px 32px 48px;max-width:1200px}
.intro{background:#fff;border-radius:10px;padding:14px 18px;margin:16px 0}
.legend span{margin-right:14px}
section{background:#fff;border-radius:10px;padding:12px 18px;margin:18px 0}
section h2{margin:6px 0 2px}section .sum{color:#556;margin:0 0 10px}
table{border-collapse:collapse;width:100%}td{border-top:1px solid #e4e8ec;padding:8px 6px;vertical-align:top}
td.verdict{width:190px}td.expected{width:170px;color:#556;font-size:13px}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.badge.ok{background:#1f8a4c}.badge.bad{background:#c8590b}.badge.critical{background:#b3261e}.badge.na{background:#8a94a0}
tr.critical td{background:#fdf0ef}tr.bad td{background:#fff6ec}
code.id{color:#667;font-size:12px}p{margin:4px 0}.refs{font-size:13px;color:#445}
pre{background:#f0f2f5;padding:8px;border-radius:6px;overflow-x:auto;font-size:12px;white-space:pre-wrap;word-break:break-all}
pre.diff .add{color:#0b6b2e;background:#e4f6ea}pre.diff .del{color:#9a1c14;background:#fbe7e5}pre.diff .ctx{color:#667}
.not-safe li.critical{color:#b3261e;font-weight:600}.control.fail{border-left:6px solid #b3261e}.control.ok{border-left:6px solid #1f8a4c}.bad-text{color:#b3261e}
summary{cursor:pointer;color:#1a5fb4}`;

function notSafe(result: AuditResult): string {
  const failed = result.rows
    .filter((r) => !r.pass && r.verdict !== 'not-applicable')
    .sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical'));
  if (failed.length === 0) return '';
  const items = failed
    .map(
      (r) =>
        `<li class="${r.severity ?? ''}"><a href="#fault-${escapeHtml(r.id)}">${escapeHtml(r.title)}</a>: ${escapeHtml(r.note)}</li>`,
    )
    .join('');
  return `<div class="intro not-safe"><p><strong>Fix these first</strong> (account takeovers first):</p><ul>${items}</ul></div>`;
}

export function reportCardHtml(result: AuditResult): string {
  const s = result.summary;
  const families = FAULT_FAMILIES.map((family) => {
    const rows = result.rows.filter((r) => r.family === family.id);
    if (rows.length === 0) return '';
    const counts = s.byFamily[family.id] ?? { passed: 0, failed: 0, notApplicable: 0 };
    return `<section data-family="${family.id}"><h2>${escapeHtml(family.title)}</h2>
<p class="sum">${escapeHtml(family.summary)} — <strong>${counts.passed} safe</strong>, <strong>${counts.failed} not safe</strong>${counts.notApplicable === 0 ? '' : `, ${counts.notApplicable} not applicable`}.</p>
<table>${rows.map(rowHtml).join('\n')}</table></section>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SAML report card · ${escapeHtml(result.target)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body data-grade="${s.grade}"><header><div class="grade ${s.grade}">${s.grade}</div><div>
<h1>SAML security report card: ${escapeHtml(result.target)}</h1>
<p>${escapeHtml(GRADE_TEXT[s.grade] ?? '')}</p>
<p>${s.passed} of ${s.total - s.notApplicable} attacks handled safely · ${s.failed} not safe (${s.critical} opened someone else’s account) · ${s.notApplicable} not applicable · ${(result.wallMs / 1000).toFixed(1)} s · ${escapeHtml(result.startedAt)}</p>
</div></header><main>
<div class="intro"><p><strong>What was tested.</strong> Your service lets people sign in with SAML: an identity provider (IdP) sends a signed message saying who the person is. We acted as the IdP and as an attacker who has an ordinary account there (<code>${escapeHtml(result.identities.attacker)}</code>), and sent your service ${s.total} altered or broken messages, each trying to get in as another existing person (<code>${escapeHtml(result.identities.victim)}</code>) or to slip past a rule. Each row says what your service did.</p>
<p class="legend"><span class="badge ok">refused</span> or <span class="badge ok">accepted as the signed identity</span> = safe for that attack · <span class="badge bad">ACCEPTED = vulnerable</span> a message that must be refused got in · <span class="badge critical">ACCEPTED = vulnerable</span> the attacker got in as someone else.</p></div>
<div class="intro control ${result.control.ok ? 'ok' : 'fail'}" data-control="${result.control.ok}"><p><strong>Control sign-in:</strong> ${escapeHtml(result.control.detail)}.</p></div>
${notSafe(result)}
${families}
</main></body></html>
`;
}

const xmlAttr = (value: string): string => escapeHtml(value);

export function reportCardJunit(result: AuditResult): string {
  const suites = FAULT_FAMILIES.map((family) => {
    const rows = result.rows.filter((r) => r.family === family.id);
    const failures = rows.filter(
      (r) => !r.pass && r.verdict !== 'not-applicable' && r.verdict !== 'error',
    ).length;
    const errors = rows.filter((r) => r.verdict === 'error').length;
    const skipped = rows.filter((r) => r.verdict === 'not-applicable').length;
    const cases = rows
      .map((r) => {
        const inner =
          r.verdict === 'not-applicable'
            ? `<skipped message="${xmlAttr(r.note)}"/>`
            : r.verdict === 'error'
              ? `<error message="${xmlAttr(r.note)}"/>`
              : r.pass
                ? ''
                : `<failure message="${xmlAttr(`${VERDICT_LABEL[r.verdict]}: ${r.note}`)}">${escapeHtml(r.explanation)}</failure>`;
        return `<testcase classname="saml-audit.${family.id}" name="${xmlAttr(`${r.id}: ${r.title}`)}" time="${(r.ms / 1000).toFixed(3)}">${inner}</testcase>`;
      })
      .join('\n');
    return `<testsuite name="${xmlAttr(`SAML audit: ${family.title}`)}" tests="${rows.length}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${cases}\n</testsuite>`;
  });
  const control = result.control.ok
    ? '<testcase classname="saml-audit.control" name="genuine control sign-in"/>'
    : `<testcase classname="saml-audit.control" name="genuine control sign-in"><failure message="${xmlAttr(result.control.detail)}"/></testcase>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="idsim saml-audit">\n<testsuite name="SAML audit: control" tests="1" failures="${result.control.ok ? 0 : 1}">${control}</testsuite>\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Writes saml-audit.html, .json and .junit.xml into `dir`. */
export async function writeReportCard(result: AuditResult, dir: string): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    dir,
    html: path.join(dir, 'saml-audit.html'),
    json: path.join(dir, 'saml-audit.json'),
    junit: path.join(dir, 'saml-audit.junit.xml'),
  };
  await writeFile(files.html, reportCardHtml(result));
  await writeFile(files.json, `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(files.junit, reportCardJunit(result));
  return files;
}
