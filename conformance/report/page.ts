// conformance.html, the page a person opens first after a run: a summary line, one line per catalogue row with its
// verdict, filters (failed, n/a, not passing), and for every scenario its steps and a link to its SCIM/SAML
// transcript. Plain HTML and CSS (:has() filters, no script). design.md "Reports"; idsim issue #15 item 12.
import { escapeHtml } from '../../protocol/html/escape.ts';
import type { MatrixInput, MatrixRow, RowVerdict } from './matrix.ts';
import { STATUS_LABEL, summariseByFeature, verdictCounts } from './matrix.ts';
import type { ScenarioOutcome } from './outcomes.ts';

export interface PageInput extends MatrixInput {
  /** the transcript file of a scenario, relative to the page (transcripts/…json), or null when none was written */
  transcriptOf?: (outcome: ScenarioOutcome) => string | null;
}

const VERDICT_CLASS: Record<RowVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  'n/a': 'na',
  partial: 'partial',
  'not run': 'notrun',
  gap: 'gap',
};

/** Escapes text, then shows `code spans` of the catalogue's Markdown as <code> instead of raw backticks. */
export function inlineMarkdown(text: string): string {
  return escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function scenarioAnchor(pickleId: string): string {
  return `scenario-${pickleId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function rowAnchor(id: string): string {
  return `row-${id}`;
}

function statusClass(status: string): string {
  if (status === 'passed') return 'pass';
  if (status === 'not-applicable') return 'na';
  if (status === 'skipped' || status === 'not run') return 'notrun';
  return 'fail';
}

function rowHtml(line: MatrixRow, input: PageInput, byPickle: Map<string, ScenarioOutcome>): string {
  const scenarios = [
    ...line.scenarios.map((scenario) => {
      const outcome = byPickle.get(scenario.pickleId);
      const transcript = outcome === undefined ? null : (input.transcriptOf?.(outcome) ?? null);
      return (
        `<li><span class="status ${statusClass(scenario.status)}">${STATUS_LABEL[scenario.status]}</span> ` +
        `<a href="#${scenarioAnchor(scenario.pickleId)}">${inlineMarkdown(scenario.name)}</a>` +
        (transcript === null ? '' : ` · <a href="${escapeHtml(transcript)}">transcript</a>`) +
        '</li>'
      );
    }),
    ...line.excluded.map(
      (name) => `<li><span class="status notrun">not run</span> ${inlineMarkdown(name)}</li>`,
    ),
  ].join('');
  const verdict = VERDICT_CLASS[line.verdict];
  return (
    `<tr id="${rowAnchor(line.row.id)}" data-verdict="${verdict}">` +
    `<td class="id">${escapeHtml(line.row.id)}</td>` +
    `<td>${inlineMarkdown(line.row.behaviour)}</td>` +
    `<td><span class="verdict ${verdict}">${escapeHtml(line.verdict)}</span></td>` +
    `<td>${scenarios === '' ? '<span class="muted">no scenario</span>' : `<ul>${scenarios}</ul>`}</td></tr>`
  );
}

/** Scenarios without a catalogue row (protocol features, generated schema-driven checks, IdP profiles), by feature. */
function featureTable(input: PageInput): string {
  const rows = summariseByFeature(input).map((summary) => {
    const verdict = summary.failed > 0 ? 'fail' : summary.passed > 0 ? 'pass' : 'na';
    const notPassed = summary.notPassed
      .map((scenario) => `<li>${STATUS_LABEL[scenario.status]}: ${inlineMarkdown(scenario.name)}</li>`)
      .join('');
    return (
      `<tr data-verdict="${verdict}"><td>${escapeHtml(summary.feature)}</td><td>${summary.passed}</td>` +
      `<td>${summary.failed}</td><td>${summary.notApplicable}</td><td>${notPassed === '' ? '' : `<ul>${notPassed}</ul>`}</td></tr>`
    );
  });
  if (rows.length === 0) return '';
  return `<h2>Scenarios outside the catalogue, by feature</h2>
<table><thead><tr><th>Feature</th><th>Passed</th><th>Failed</th><th>n/a</th><th>Not passed</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function scenarioHtml(outcome: ScenarioOutcome, input: PageInput, rowsOf: string[]): string {
  const transcript = input.transcriptOf?.(outcome) ?? null;
  const steps =
    outcome.steps.length === 0
      ? '<p class="muted">The run recorded no steps for this scenario.</p>'
      : `<ol class="steps">${outcome.steps
          .map(
            (step) =>
              `<li><span class="status ${statusClass(step.status)}">${escapeHtml(step.status)}</span> ` +
              `${inlineMarkdown(step.text)}${step.message === null ? '' : `<pre>${escapeHtml(step.message)}</pre>`}</li>`,
          )
          .join('')}</ol>`;
  const rows = rowsOf.map((id) => `<a href="#${rowAnchor(id)}" class="id">${escapeHtml(id)}</a>`).join(' ');
  return (
    `<section class="scenario" id="${scenarioAnchor(outcome.pickleId)}" data-status="${statusClass(outcome.status)}">` +
    `<h3><span class="status ${statusClass(outcome.status)}">${STATUS_LABEL[outcome.status]}</span> ${inlineMarkdown(outcome.name)}</h3>` +
    `<p class="muted">${escapeHtml(outcome.feature)} (<code>${escapeHtml(outcome.uri)}</code>)` +
    `${rows ? ` · rows ${rows}` : ''}` +
    `${transcript === null ? '' : ` · <a href="${escapeHtml(transcript)}">SCIM/SAML transcript</a>`}</p>` +
    (outcome.message === null ? '' : `<pre class="failure">${escapeHtml(outcome.message)}</pre>`) +
    steps +
    '</section>'
  );
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1f24}
h1{font-size:1.4rem;margin:0 0 .3rem}
.summary{font-size:1.05rem;margin:.2rem 0 .8rem}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #d0d5dd;padding:4px 8px;vertical-align:top;text-align:left}
th{background:#f4f5f7;position:sticky;top:0}
.id{white-space:nowrap;font-family:ui-monospace,monospace}
ul,ol{margin:0;padding-left:1.2em}
code{background:#f1f3f5;padding:0 .25em;border-radius:3px}
pre{white-space:pre-wrap;background:#fbeaea;padding:4px;margin:2px 0}
.muted{color:#5b6472}
.verdict,.status{display:inline-block;padding:0 .45em;border-radius:3px;font-weight:600;white-space:nowrap}
.pass{background:#d4f7d4}.fail{background:#f9d0d0}.na{background:#e6e6e6}.partial{background:#fff2c2}
.notrun{background:#f3e6ff}.gap{background:#ffe0b3}
.filters{margin:.5rem 0;display:flex;gap:1rem;flex-wrap:wrap}
.filters label{white-space:nowrap}
.scenario{border-top:1px solid #e3e6ea;padding:.4rem 0}
.scenario h3{font-size:1rem;margin:.2rem 0}
body:has(#show-failed:checked) tbody tr:not([data-verdict=fail]){display:none}
body:has(#show-na:checked) tbody tr:not([data-verdict=na]){display:none}
body:has(#show-open:checked) tbody tr[data-verdict=pass]{display:none}
body:has(#show-failed:checked) .scenario:not([data-status=fail]){display:none}
body:has(#show-na:checked) .scenario:not([data-status=na]){display:none}
body:has(#show-open:checked) .scenario[data-status=pass]{display:none}
`;

export function renderHtml(input: PageInput, matrix: readonly MatrixRow[]): string {
  const { counts } = input;
  const verdicts = verdictCounts(matrix);
  const byPickle = new Map(input.outcomes.map((outcome) => [outcome.pickleId, outcome]));
  const rowsOfPickle = new Map<string, string[]>();
  for (const line of matrix) {
    for (const scenario of line.scenarios) {
      rowsOfPickle.set(scenario.pickleId, [...(rowsOfPickle.get(scenario.pickleId) ?? []), line.row.id]);
    }
  }
  const open = verdicts.fail + verdicts.partial + verdicts['not run'] + verdicts.gap;
  const summary =
    `${verdicts.pass} of ${matrix.length} catalogue rows pass, ${verdicts.fail} fail, ${verdicts['n/a']} not applicable` +
    `${verdicts.partial ? `, ${verdicts.partial} partial` : ''}${verdicts['not run'] ? `, ${verdicts['not run']} not run` : ''}` +
    `${verdicts.gap ? `, ${verdicts.gap} without a scenario` : ''}. ` +
    `Scenarios: ${counts.passed} of ${counts.total} passed, ${counts.failed} failed, ${counts.notApplicable} n/a` +
    `${counts.other ? `, ${counts.other} other` : ''}.`;
  const filter = (id: string, label: string, checked = false): string =>
    `<label><input type="radio" name="show" id="${id}"${checked ? ' checked' : ''}> ${label}</label>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Conformance of ${escapeHtml(input.target)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style>
</head><body>
<h1>Conformance of ${escapeHtml(input.target)}</h1>
<p class="summary" id="summary"><span class="verdict ${verdicts.fail > 0 ? 'fail' : 'pass'}">${verdicts.fail > 0 ? 'failing' : 'passing'}</span> ${escapeHtml(summary)}</p>
<p class="muted">Run <code>${escapeHtml(input.runId)}</code>, tag expression <code>${escapeHtml(input.tags)}</code>.
Also in this folder: <a href="cucumber.html">cucumber report</a>, <a href="junit.xml">JUnit XML</a>, <a href="conformance.md">Markdown</a>, <a href="transcripts/">transcripts</a>.</p>
<form class="filters" aria-label="Show">
${filter('show-all', `all rows (${matrix.length})`, true)}
${filter('show-failed', `failed (${verdicts.fail})`)}
${filter('show-na', `not applicable (${verdicts['n/a']})`)}
${filter('show-open', `not passing (${open + verdicts['n/a']})`)}
</form>
<table id="rows"><thead><tr><th>ID</th><th>Behaviour</th><th>Verdict</th><th>Scenarios</th></tr></thead>
<tbody>
${matrix.map((line) => rowHtml(line, input, byPickle)).join('\n')}
</tbody></table>
${featureTable(input)}
<h2>Scenarios</h2>
${input.outcomes.map((outcome) => scenarioHtml(outcome, input, rowsOfPickle.get(outcome.pickleId) ?? [])).join('\n')}
</body></html>
`;
}
