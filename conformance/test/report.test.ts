// The conformance matrix (design.md "Reports"): outcomes from cucumber messages, one row per catalogue ID, gaps.
// Built from a small hand-written messages fixture (fixtures/small-run.ndjson) and an inline catalogue excerpt.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCatalogue, rowsFromTags } from '../report/catalogue.ts';
import { declaredScenarios } from '../report/declared.ts';
import { buildMatrix, renderHtml, renderMarkdown } from '../report/matrix.ts';
import { countOutcomes, everyApplicablePassed, parseNdjson, summariseEnvelopes } from '../report/outcomes.ts';

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
    expect(html).toContain('<td>KEY-04</td>');
    expect(html).toContain('&quot;Test API Credentials&quot;');
    expect(html).not.toContain('"Test API Credentials"');
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
