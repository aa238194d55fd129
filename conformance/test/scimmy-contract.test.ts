// Proves the target contract: the @scim-core features run against an independent SCIM server from npm (scimmy),
// started on loopback here, and the run completes with an outcome for every scenario (design.md, idsim issue #5).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from '../config.ts';
import { ENTRA_PROFILE } from '../profiles/entra.ts';
import { OKTA_OIN_PROFILE } from '../profiles/okta-oin.ts';
import type { ProfileRun } from '../profiles/run-profile.ts';
import { runProfileAgainst } from '../profiles/run-profile.ts';
import type { ConformanceResult } from '../run.ts';
import { REPO_ROOT, runConformance } from '../run.ts';
import type { ScimmyServer } from './scimmy-server.ts';
import { startScimmyServer } from './scimmy-server.ts';

describe('target contract: @scim-core and the schema-driven checks against scimmy (an implementation this project did not write)', () => {
  let scimmy: ScimmyServer;
  let reportsRoot: string;
  let result: ConformanceResult;
  let okta: ProfileRun;
  let entra: ProfileRun;

  beforeAll(async () => {
    scimmy = await startScimmyServer();
    reportsRoot = await mkdtemp(path.join(tmpdir(), 'idsim-scimmy-'));
    const target = resolveTarget(
      { name: 'scimmy', kind: 'http', scim: { baseUrl: scimmy.baseUrl, bearerKey: scimmy.bearerKey } },
      reportsRoot,
    );
    result = await runConformance({
      target,
      tags: '(@scim-core or @scim-checks) and not @wip',
      parallel: 0,
      reportsRoot,
      runId: 'scimmy',
    });
    okta = await runProfileAgainst(OKTA_OIN_PROFILE, target, path.join(reportsRoot, 'profiles'));
    entra = await runProfileAgainst(ENTRA_PROFILE, target, path.join(reportsRoot, 'profiles'));
  }, 60_000);

  afterAll(async () => {
    await scimmy?.close();
    if (reportsRoot !== undefined) await rm(reportsRoot, { recursive: true, force: true });
  });

  const core = () => result.outcomes.filter((outcome) => outcome.tags.includes('@scim-core'));
  const generated = () => result.outcomes.filter((outcome) => outcome.tags.includes('@scim-checks'));

  it('runs every @scim-core scenario to a pass, fail or n/a outcome, none undefined or ambiguous', () => {
    expect(core().length).toBeGreaterThanOrEqual(20);
    for (const outcome of core()) expect(['passed', 'failed', 'not-applicable']).toContain(outcome.status);
    expect(core().some((outcome) => outcome.status === 'passed')).toBe(true);
  });

  it('RFC 7644 3.14: scimmy declares etag.supported false, so the ETag scenarios are n/a, not failed', () => {
    const etag = core().filter((outcome) => outcome.tags.includes('@scim-etag'));
    expect(etag.length).toBeGreaterThanOrEqual(2);
    for (const outcome of etag) expect(outcome.status).toBe('not-applicable');
  });

  it("generates checks from scimmy's own /Schemas (its richer User schema gives more than the reference server)", () => {
    expect(generated().length).toBeGreaterThan(150);
    const ids = generated().map((outcome) => outcome.name);
    expect(ids.some((name) => name.includes('[patch/User/emails/replace-by-filter]'))).toBe(true);
    expect(ids.some((name) => name.includes('[filter/User/datetime-gt]'))).toBe(true);
    for (const outcome of generated())
      expect(['passed', 'failed', 'not-applicable']).toContain(outcome.status);
  });

  it("reports scimmy's known deviations as failures (paging of an unpaged store, caseExact false filters)", () => {
    const status = (id: string) => generated().find((outcome) => outcome.name.includes(`[${id}]`))?.status;
    expect(status('query/User/paging/count-zero')).toBe('failed');
    expect(status('query/User/paging/consistent-pages')).toBe('failed');
    expect(status('filter/User/case-exact')).toBe('failed');
    expect(status('resource/User/userName')).toBe('passed');
    expect(status('filter/User/or')).toBe('passed');
  });

  it('maps optional features to its ServiceProviderConfig: sort declared (checked), changePassword not (n/a)', () => {
    const status = (id: string) => generated().find((outcome) => outcome.name.includes(`[${id}]`))?.status;
    expect(status('query/User/sort/userName')).toBe('passed');
    expect(status('patch/User/password/write-only')).toBe('not-applicable');
    expect(result.counts.notApplicable).toBeGreaterThanOrEqual(3);
  });

  it('writes the reports: cucumber HTML, messages, JUnit, transcripts and the conformance matrix', async () => {
    const dir = result.reportDir;
    const junit = await readFile(path.join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('<testsuite');
    const messages = await readFile(path.join(dir, 'cucumber-messages.ndjson'), 'utf8');
    expect(messages.split('\n').filter(Boolean).length).toBeGreaterThan(result.counts.total);
    expect((await readFile(path.join(dir, 'cucumber.html'), 'utf8')).length).toBeGreaterThan(1000);
    const matrix = await readFile(path.join(dir, 'conformance.md'), 'utf8');
    expect(matrix).toContain('# Conformance of scimmy');
  });

  it('reports the run as failed when any scenario fails, and never as passed when it did not', () => {
    expect(result.success).toBe(result.counts.failed === 0 && result.counts.other === 0);
  });

  it('the CLI reads the same target from a file and exits non-zero because scimmy fails scenarios', async () => {
    const file = path.join(reportsRoot, 'scimmy.target.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'scimmy', scim: { baseUrl: scimmy.baseUrl, bearerKey: { env: 'SCIMMY_KEY' } } }),
    );
    const args = ['cli/idsim.ts', 'conformance', '--target', file, '--tags', '@scim-core', '--quiet'];
    const exit = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        [...args, '--parallel', '0', '--reports', reportsRoot, '--run-id', 'cli'],
        { cwd: REPO_ROOT, env: { ...process.env, SCIMMY_KEY: scimmy.bearerKey } },
        (_error, stdout) => resolve({ code: child.exitCode, stdout }),
      );
    });
    expect(exit.stdout).toMatch(/scimmy: \d+ scenarios/);
    expect(result.counts.failed).toBeGreaterThan(0);
    expect(exit.code).toBe(1);
  }, 60_000);

  it('idsim conformance --profile entra --target <file> prints every row, writes the report, exits 1 (not ready)', async () => {
    const file = path.join(reportsRoot, 'scimmy-profile.target.json');
    await writeFile(
      file,
      JSON.stringify({ name: 'scimmy', scim: { baseUrl: scimmy.baseUrl, bearerKey: scimmy.bearerKey } }),
    );
    const args = ['cli/idsim.ts', 'conformance', '--target', file, '--profile', 'entra'];
    const exit = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        path.join(REPO_ROOT, 'node_modules/.bin/tsx'),
        [...args, '--reports', reportsRoot, '--run-id', 'cli-profile'],
        { cwd: REPO_ROOT },
        (_error, stdout) => resolve({ code: child.exitCode, stdout }),
      );
    });
    expect(exit.stdout).toMatch(/FAIL user-pagination/);
    expect(exit.stdout).toMatch(/readiness report: .*readiness-entra\.html/);
    expect(
      await readFile(path.join(reportsRoot, 'cli-profile', 'readiness-entra.junit.xml'), 'utf8'),
    ).toContain('<testsuite');
    expect(exit.code).toBe(1);
  }, 60_000);

  it('runs both acceptance profiles against scimmy: one readiness row per published test, as HTML, JSON, JUnit', async () => {
    expect(okta.result.rows).toHaveLength(18);
    expect(okta.result.rows[0]?.id).toBe('spec-01');
    expect(entra.result.rows).toHaveLength(19);
    const rows = [...okta.result.rows, ...entra.result.rows];
    // a test that could not start (an earlier one left it no id) has no exchange; a passed one always has one
    expect(
      rows.filter((row) => row.status === 'pass' && row.exchanges.length === 0).map((row) => row.id),
    ).toEqual([]);
    expect(rows.filter((row) => row.got === '').map((row) => row.id)).toEqual([]);
    const junit = await readFile(path.join(reportsRoot, 'profiles', 'readiness-entra.junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(19);
    expect(await readFile(entra.htmlFile, 'utf8')).toContain('What the IdP expects');
    const json = JSON.parse(
      await readFile(path.join(reportsRoot, 'profiles', 'readiness-okta-oin.json'), 'utf8'),
    );
    expect(json.rows).toHaveLength(18);
  });

  it("reports scimmy's unpaged list as an Entra pagination failure and the missing enterprise manager as n/a", () => {
    const status = (id: string) => entra.result.rows.find((row) => row.id === id)?.status;
    expect(status('user-pagination')).toBe('fail');
    expect(status('manager-set')).toBe('n/a');
    expect(status('filter-miss')).toBe('pass');
    expect(entra.result.ready).toBe(false);
  });
});
