// The conformance matrix (design.md "Reports"): outcomes from cucumber messages, one row per catalogue ID, gaps.
// Built from a small hand-written messages fixture (fixtures/small-run.ndjson) and an inline catalogue excerpt.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCatalogue, rowsFromTags } from '../report/catalogue.ts';
import { declaredScenarios } from '../report/declared.ts';
import { buildMatrix, renderMarkdown } from '../report/matrix.ts';
import { countOutcomes, everyApplicablePassed, parseNdjson, summariseEnvelopes } from '../report/outcomes.ts';
import { inlineMarkdown, renderHtml } from '../report/page.ts';

const CATALOGUE = `# Behaviour catalogue

## Enabling SCIM and SCIM API keys (001, 003)

| ID | Behaviour | Src | Project decision |
|---|---|---|---|
| KEY-01 | SCIM provisioning exists only for Enterprise teams. | 001 | |
| KEY-02 | A key needs exactly one SSO method. | 001 | Email/password does not count. |
| KEY-03 | Only admins can generate a key. | 001 | |
| KEY-04 | Test API Credentials works with an active key. | 003 | |
| KEY-05 | A row \\| with a pipe. | 003 | |

## Groups

| ID | Behaviour | Src | Project decision |
|---|---|---|---|
| GRP-01 | Unprovisioned members fail a group push. | 002 | |
`;

async function fixtureOutcomes() {
  const text = await readFile(new URL('./fixtures/small-run.ndjson', import.meta.url), 'utf8');
  return summariseEnvelopes(parseNdjson(text));
}

describe('outcomes from cucumber messages', () => {
  it('gives each scenario its final outcome: passed, failed with its message, n/a, and retried-then-passed', async () => {
    const outcomes = await fixtureOutcomes();
    expect(outcomes.map((outcome) => [outcome.pickleId, outcome.status])).toEqual([
      ['p1', 'passed'],
      ['p2', 'failed'],
      ['p3', 'not-applicable'],
      ['p4', 'passed'],
    ]);
    expect(outcomes[1]?.message).toContain('expected sso_method_count');
    expect(outcomes[0]?.feature).toBe('Enabling SCIM and SCIM API keys');
    expect(countOutcomes(outcomes)).toEqual({ total: 4, passed: 2, failed: 1, notApplicable: 1, other: 0 });
    expect(everyApplicablePassed(outcomes)).toBe(false);
    expect(everyApplicablePassed(outcomes.filter((outcome) => outcome.status !== 'failed'))).toBe(true);
  });

  it('never treats a skipped scenario without the n/a marker as n/a', () => {
    const outcomes = summariseEnvelopes([
      { pickle: { id: 'p', uri: 'f.feature', name: 'S', tags: [] } },
      { testCase: { id: 't', pickleId: 'p' } },
      { testCaseStarted: { id: 's', testCaseId: 't' } },
      { testStepFinished: { testCaseStartedId: 's', testStepResult: { status: 'SKIPPED' } } },
      { testCaseFinished: { testCaseStartedId: 's' } },
    ]);
    expect(outcomes[0]?.status).toBe('skipped');
    expect(everyApplicablePassed(outcomes)).toBe(false);
  });
});

describe('catalogue', () => {
  it('reads one row per ID with its section, escaping nothing away', () => {
    const rows = parseCatalogue(CATALOGUE);
    expect(rows.map((row) => row.id)).toEqual(['KEY-01', 'KEY-02', 'KEY-03', 'KEY-04', 'KEY-05', 'GRP-01']);
    expect(rows[1]).toMatchObject({ section: 'Enabling SCIM and SCIM API keys (001, 003)' });
    expect(rows[1]?.decision).toBe('Email/password does not count.');
  });

  it('derives rows from tags when there is no catalogue', () => {
    expect(rowsFromTags(['@scim', '@KEY-02', '@KEY-01', '@KEY-02']).map((row) => row.id)).toEqual([
      'KEY-01',
      'KEY-02',
    ]);
  });
});

describe('conformance matrix', () => {
  it('shows each row with its scenarios and verdict, rows covered only by @wip as not run, others as gaps', async () => {
    const outcomes = await fixtureOutcomes();
    const declared = declaredScenarios(
      'features/groups.feature',
      '@product\nFeature: G\n\n  @GRP-01 @wip\n  Scenario: Unprovisioned members\n    Given x\n',
    );
    const input = {
      target: 'reference server',
      runId: 'run-1',
      tags: 'not @wip',
      rows: parseCatalogue(CATALOGUE),
      outcomes,
      declared,
      counts: countOutcomes(outcomes),
    };
    const matrix = buildMatrix(input);
    expect(Object.fromEntries(matrix.map((line) => [line.row.id, line.verdict]))).toEqual({
      'KEY-01': 'pass',
      'KEY-02': 'fail',
      'KEY-03': 'pass',
      'KEY-04': 'n/a',
      'KEY-05': 'gap',
      'GRP-01': 'not run',
    });
    const markdown = renderMarkdown(input, matrix);
    expect(markdown).toContain(
      '| KEY-02 | A key needs exactly one SSO method. | fail | FAILED: A SCIM API key',
    );
    expect(markdown).toContain('| KEY-05 | A row \\| with a pipe. | gap | — |');
    expect(markdown).toContain('not run: Unprovisioned members (@wip)');
    expect(markdown).toContain('## Scenarios that did not pass');
    const html = renderHtml(input, matrix);
    expect(html).toContain('<td class="id">KEY-04</td>');
    expect(html).toContain('&quot;Test API Credentials&quot;');
    expect(html).not.toContain('"Test API Credentials"');
  });

  it("conformance.html: summary, per-row verdicts linking to each scenario's steps and transcript, filters (#15.12)", () => {
    const outcomes = summariseEnvelopes([
      { gherkinDocument: { uri: 'features/k.feature', feature: { name: 'Keys' } } },
      {
        pickle: {
          id: 'pk1',
          uri: 'features/k.feature',
          name: 'A key for `Enterprise` teams',
          tags: [{ name: '@KEY-01' }],
          steps: [
            { id: 's1', text: 'a team on the "Free" plan' },
            { id: 's2', text: 'the admin generates a key' },
          ],
        },
      },
      {
        testCase: {
          id: 't1',
          pickleId: 'pk1',
          testSteps: [{ id: 'h' }, { id: 'ts1', pickleStepId: 's1' }, { id: 'ts2', pickleStepId: 's2' }],
        },
      },
      { testCaseStarted: { id: 'r1', testCaseId: 't1' } },
      {
        testStepFinished: { testCaseStartedId: 'r1', testStepId: 'h', testStepResult: { status: 'PASSED' } },
      },
      {
        testStepFinished: {
          testCaseStartedId: 'r1',
          testStepId: 'ts1',
          testStepResult: { status: 'PASSED' },
        },
      },
      {
        testStepFinished: {
          testCaseStartedId: 'r1',
          testStepId: 'ts2',
          testStepResult: { status: 'FAILED', message: 'expected 403 <plan_forbids>' },
        },
      },
      { testCaseFinished: { testCaseStartedId: 'r1' } },
    ]);
    expect(outcomes[0]?.steps).toEqual([
      { text: 'a team on the "Free" plan', status: 'passed', message: null },
      { text: 'the admin generates a key', status: 'failed', message: 'expected 403 <plan_forbids>' },
    ]);
    const rows = parseCatalogue(CATALOGUE);
    const input = {
      target: 'reference server',
      runId: 'run-2',
      tags: 'not @wip',
      rows: [
        { ...rows[0], behaviour: 'Only `Enterprise` teams get SCIM.' } as (typeof rows)[number],
        ...rows.slice(1),
      ],
      outcomes,
      declared: [],
      counts: countOutcomes(outcomes),
      transcriptOf: () => 'transcripts/k--a-key--pk1.json',
    };
    const html = renderHtml(input, buildMatrix(input));
    expect(html).toMatch(
      /id="summary"[^>]*><span class="verdict fail">failing<\/span> 0 of 6 catalogue rows pass, 1 fail/,
    );
    expect(html).toContain('<tr id="row-KEY-01" data-verdict="fail">');
    expect(html).toContain('<a href="#scenario-pk1">A key for <code>Enterprise</code> teams</a>');
    expect(html).toContain('<a href="transcripts/k--a-key--pk1.json">transcript</a>');
    expect(html).toContain('<section class="scenario" id="scenario-pk1" data-status="fail">');
    expect(html).toContain(
      '<li><span class="status fail">failed</span> the admin generates a key<pre>expected 403 &lt;plan_forbids&gt;</pre></li>',
    );
    expect(html).toContain('Only <code>Enterprise</code> teams get SCIM.');
    expect(html).not.toMatch(/`/);
    expect(html).toContain('id="show-failed"');
    expect(html).toContain('id="show-na"');
    expect(html).toContain('.id{white-space:nowrap');
    expect(inlineMarkdown('a `<b>` c')).toBe('a <code>&lt;b&gt;</code> c');
  });

  it('reads examples tags into the declared scenario of an outline', () => {
    const declared = declaredScenarios(
      'f.feature',
      '@a\nFeature: F\n  Scenario Outline: O <x>\n    Given <x>\n    @DEA-03\n    Examples: one\n      | x |\n      | 1 |\n    @DEA-04\n    Examples: two\n      | x |\n      | 2 |\n',
    );
    expect(declared).toEqual([{ uri: 'f.feature', name: 'O <x>', tags: ['@a', '@DEA-03', '@DEA-04'] }]);
  });
});

describe('scenarios outside the catalogue (generated schema-driven checks, protocol features)', () => {
  it('are summed up per feature in the matrix, with those that did not pass listed', () => {
    const outcome = (name: string, status: 'passed' | 'failed' | 'not-applicable', tags: string[]) => ({
      pickleId: name,
      name,
      uri: 'generated/scim-checks.feature',
      feature: 'Schema-driven SCIM checks',
      tags,
      status,
      message: null,
      steps: [],
    });
    const outcomes = [
      outcome('[filter/User/eq]', 'passed', ['@scim-checks']),
      outcome('[query/User/sort/userName]', 'not-applicable', ['@scim-checks', '@scim-sort']),
      outcome('[resource/Group/members]', 'failed', ['@scim-checks']),
      outcome('catalogued', 'passed', ['@KEY-01']),
    ];
    const input = {
      target: 'x',
      runId: 'r',
      tags: 'not @wip',
      rows: parseCatalogue(CATALOGUE),
      outcomes,
      declared: [],
      counts: countOutcomes(outcomes),
    };
    const markdown = renderMarkdown(input, buildMatrix(input));
    expect(markdown).toContain('## Scenarios outside the catalogue, by feature');
    expect(markdown).toMatch(
      /\| Schema-driven SCIM checks \| 1 \| 1 \| 1 \| n\/a: \[query\/User\/sort\/userName\]<br>FAILED: \[resource\/Group\/members\] \|/,
    );
    expect(renderHtml(input, buildMatrix(input))).toContain(
      '<td>Schema-driven SCIM checks</td><td>1</td><td>1</td><td>1</td>',
    );
  });
});
