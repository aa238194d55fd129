// The conformance matrix: one line per catalogue ID with its scenarios and their outcome for the target, rendered
// as conformance.md (conformance.html: page.ts) (design.md "Reports"); rows that no scenario covers show as gaps.

import type { CatalogueRow } from './catalogue.ts';
import type { DeclaredScenario } from './declared.ts';
import type { OutcomeCounts, ScenarioOutcome, ScenarioStatus } from './outcomes.ts';

/** pass: every scenario passed; fail: one failed; n/a: all not applicable; not run: only excluded ones; gap: none */
export type RowVerdict = 'pass' | 'fail' | 'n/a' | 'partial' | 'not run' | 'gap';

export interface MatrixRow {
  row: CatalogueRow;
  scenarios: { name: string; status: ScenarioStatus; pickleId: string }[];
  /** declared scenarios tagged with the ID that the tag expression excluded (e.g. @wip) */
  excluded: string[];
  verdict: RowVerdict;
}

export interface MatrixInput {
  target: string;
  runId: string;
  tags: string;
  rows: readonly CatalogueRow[];
  outcomes: readonly ScenarioOutcome[];
  declared: readonly DeclaredScenario[];
  counts: OutcomeCounts;
}

function verdictOf(statuses: readonly ScenarioStatus[], excluded: number): RowVerdict {
  if (statuses.length === 0) return excluded > 0 ? 'not run' : 'gap';
  if (statuses.some((status) => status !== 'passed' && status !== 'not-applicable')) return 'fail';
  if (statuses.every((status) => status === 'not-applicable')) return 'n/a';
  if (statuses.every((status) => status === 'passed')) return 'pass';
  return 'partial';
}

export function buildMatrix(input: MatrixInput): MatrixRow[] {
  return input.rows.map((row) => {
    const tag = `@${row.id}`;
    const scenarios = input.outcomes
      .filter((outcome) => outcome.tags.includes(tag))
      .map((outcome) => ({ name: outcome.name, status: outcome.status, pickleId: outcome.pickleId }));
    const excluded = input.declared
      .filter((scenario) => scenario.tags.includes(tag) && !wasRun(scenario, input.outcomes))
      .map((scenario) => `${scenario.name} (${scenario.tags.includes('@wip') ? '@wip' : 'excluded'})`);
    return {
      row,
      scenarios,
      excluded,
      verdict: verdictOf(
        scenarios.map((scenario) => scenario.status),
        excluded.length,
      ),
    };
  });
}

/** Scenarios that carry no catalogue row (protocol features, generated schema-driven checks, IdP profiles). */
export interface FeatureSummary {
  feature: string;
  passed: number;
  failed: number;
  notApplicable: number;
  /** the scenarios that did not pass, with their status (n/a included, so gaps in coverage show) */
  notPassed: { name: string; status: ScenarioStatus }[];
}

export function summariseByFeature(input: MatrixInput): FeatureSummary[] {
  const rowTags = new Set(input.rows.map((row) => `@${row.id}`));
  const byFeature = new Map<string, FeatureSummary>();
  for (const outcome of input.outcomes) {
    if (outcome.tags.some((tag) => rowTags.has(tag))) continue;
    let summary = byFeature.get(outcome.feature);
    if (summary === undefined) {
      summary = { feature: outcome.feature, passed: 0, failed: 0, notApplicable: 0, notPassed: [] };
      byFeature.set(outcome.feature, summary);
    }
    if (outcome.status === 'passed') summary.passed += 1;
    else if (outcome.status === 'not-applicable') summary.notApplicable += 1;
    else summary.failed += 1;
    if (outcome.status !== 'passed') summary.notPassed.push({ name: outcome.name, status: outcome.status });
  }
  return [...byFeature.values()];
}

function wasRun(scenario: DeclaredScenario, outcomes: readonly ScenarioOutcome[]): boolean {
  const prefix = stripOutline(scenario.name);
  return outcomes.some((outcome) => outcome.uri === scenario.uri && outcome.name.startsWith(prefix));
}

/** Outline names carry <placeholders>; the run's pickle names have them filled in. */
function stripOutline(name: string): string {
  const cut = name.indexOf('<');
  return (cut === -1 ? name : name.slice(0, cut)).trim();
}

export const STATUS_LABEL: Record<ScenarioStatus, string> = {
  passed: 'passed',
  failed: 'FAILED',
  'not-applicable': 'n/a',
  skipped: 'skipped',
  pending: 'pending',
  undefined: 'undefined',
  ambiguous: 'ambiguous',
};

function escapeMarkdown(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function verdictCounts(matrix: readonly MatrixRow[]): Record<RowVerdict, number> {
  const counts: Record<RowVerdict, number> = { pass: 0, fail: 0, 'n/a': 0, partial: 0, 'not run': 0, gap: 0 };
  for (const line of matrix) counts[line.verdict] += 1;
  return counts;
}

export function renderMarkdown(input: MatrixInput, matrix: readonly MatrixRow[]): string {
  const { counts } = input;
  const verdicts = verdictCounts(matrix);
  const lines = [
    `# Conformance of ${input.target}`,
    '',
    `Run \`${input.runId}\`, tag expression \`${input.tags}\`.`,
    '',
    `Scenarios: ${counts.total} — ${counts.passed} passed, ${counts.failed} failed, ${counts.notApplicable} n/a, ${counts.other} other.`,
    `Catalogue rows: ${matrix.length} — ${verdicts.pass} pass, ${verdicts.fail} fail, ${verdicts['n/a']} n/a, ` +
      `${verdicts.partial} partial, ${verdicts['not run']} not run, ${verdicts.gap} gaps.`,
    '',
    '| ID | Behaviour | Verdict | Scenarios |',
    '|---|---|---|---|',
  ];
  for (const line of matrix) {
    const scenarios = [
      ...line.scenarios.map((scenario) => `${STATUS_LABEL[scenario.status]}: ${scenario.name}`),
      ...line.excluded.map((name) => `not run: ${name}`),
    ];
    lines.push(
      `| ${line.row.id} | ${escapeMarkdown(line.row.behaviour)} | ${line.verdict} | ${escapeMarkdown(scenarios.join('<br>')) || '—'} |`,
    );
  }
  const features = summariseByFeature(input);
  if (features.length > 0) {
    lines.push('', '## Scenarios outside the catalogue, by feature', '');
    lines.push('| Feature | Passed | Failed | n/a | Not passed |', '|---|---|---|---|---|');
    for (const summary of features) {
      const notPassed = summary.notPassed.map(
        (scenario) => `${STATUS_LABEL[scenario.status]}: ${scenario.name}`,
      );
      lines.push(
        `| ${escapeMarkdown(summary.feature)} | ${summary.passed} | ${summary.failed} | ${summary.notApplicable} | ${escapeMarkdown(notPassed.join('<br>')) || '—'} |`,
      );
    }
  }
  const failures = input.outcomes.filter(
    (outcome) => outcome.status !== 'passed' && outcome.status !== 'not-applicable',
  );
  if (failures.length > 0) {
    lines.push('', '## Scenarios that did not pass', '');
    for (const failure of failures) {
      lines.push(
        `- **${failure.name}** (${failure.uri}): ${STATUS_LABEL[failure.status]} — ${failure.message ?? ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
