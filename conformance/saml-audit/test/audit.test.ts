// The SAML audit end to end: the whole catalogue against the reference server (in-process target), and against the
// same server described only by a target file (an external http target), with the report card written. Issue #11.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ServerHandle } from '../../../server/http/app.ts';
import { silentLogger } from '../../../server/http/logger.ts';
import { FAULT_CATALOGUE } from '../../../simulator/saml/faults/index.ts';
import { loadTargetFile } from '../../config.ts';
import { createHttpControlDriver } from '../../control-http.ts';
import { createTargetFactory } from '../../targets/factory.ts';
import { createReferenceTargetFactory } from '../../targets/reference.ts';
import { AUDIT_IDP_ENTITY_ID, type AuditResult, runSamlAudit } from '../audit.ts';
import { writeReportCard } from '../report-card.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'idsim-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saml-audit against the reference server', () => {
  let result: AuditResult;
  beforeAll(async () => {
    result = await runSamlAudit({ factory: createReferenceTargetFactory() });
  }, 60_000);

  it('passes the genuine control sign-in and runs every fault', () => {
    expect(result.control.ok, result.control.detail).toBe(true);
    expect(result.rows.map((r) => r.id)).toEqual(FAULT_CATALOGUE.map((f) => f.id));
    expect(result.rows.filter((r) => r.verdict === 'error' || r.verdict === 'not-applicable')).toEqual([]);
  });

  for (const fault of FAULT_CATALOGUE) {
    const check = (): void => {
      const row = result.rows.find((r) => r.id === fault.id);
      expect(row?.pass, `${fault.id}: ${row?.verdict} ${row?.note}`).toBe(true);
      if (row?.verdict === 'refused') expect(row.created, 'a refusal creates nothing').toEqual([]);
    };
    it(`${fault.id} gets its expected verdict (${fault.expected})`, check);
  }

  it('signs an ASCII case variant in to the existing account, and refusals carry a stable code', () => {
    const variant = result.rows.find((r) => r.id === 'ascii-case-variant');
    expect(variant?.verdict).toBe('accepted-as-signed');
    expect(variant?.landedAs).toBe(result.identities.victim);
    for (const row of result.rows.filter((r) => r.verdict === 'refused'))
      expect(row.code).toMatch(/^[a-z_]+$/);
  });

  it('writes the report card as HTML, JSON and JUnit, one row per fault grouped by family', async () => {
    const files = await writeReportCard(result, path.join(dir, 'reference'));
    const html = readFileSync(files.html, 'utf8');
    for (const fault of FAULT_CATALOGUE) expect(html).toContain(`data-fault="${fault.id}"`);
    expect(html).toContain('data-family="wrapping"');
    expect(html).toContain(`data-grade="${result.summary.grade}"`);
    const json = JSON.parse(readFileSync(files.json, 'utf8')) as AuditResult;
    expect(json.rows).toHaveLength(FAULT_CATALOGUE.length);
    const junit = readFileSync(files.junit, 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(FAULT_CATALOGUE.length + 1);
    expect(junit.match(/<failure /g)?.length ?? 0).toBe(result.summary.failed);
  });
});

describe('saml-audit against an SP described only by a target file', () => {
  let server: ServerHandle;
  let inProcess: AuditResult;
  let external: AuditResult;
  const token = 'audit-external-control-token';

  beforeAll(async () => {
    server = createServer({
      host: '127.0.0.1',
      port: 0,
      dbPath: ':memory:',
      controlToken: token,
      logger: silentLogger,
    });
    await server.listen();
    // An administrator configures the SP to trust the simulated IdP once, as they would in their own product.
    const control = createHttpControlDriver({ baseUrl: server.urls.control, token, record: () => {} });
    const { team, owner } = await control.createTeam({
      name: 'External SP',
      plan: 'Enterprise',
      licensedSeats: 50,
      owner: { email: 'admin@example.test', givenName: 'Ada', familyName: 'Admin' },
    });
    const method = await control.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      label: 'SSO',
      enabled: true,
      autoAddUsers: true,
      saml: {
        idpEntityId: AUDIT_IDP_ENTITY_ID,
        idpSsoUrl: 'https://idp.idsim.test/saml/sso',
        idpCertificates: [
          readFileSync(new URL('../../../simulator/saml/fixtures/idp-signing.crt', import.meta.url), 'utf8'),
        ],
      },
    });
    const base = server.urls.base.replace(/\/+$/, '');
    const file = path.join(dir, 'external.target.yaml');
    writeFileSync(
      file,
      [
        'name: external reference SP',
        'kind: http',
        'saml:',
        `  metadataUrl: ${base}/saml/${method.id}/metadata`,
        `  loginUrl: ${base}/saml/${method.id}/login`,
        '  outcome: { mode: auto, errorParam: error }',
        '',
      ].join('\n'),
    );
    external = await runSamlAudit({ factory: await createTargetFactory(await loadTargetFile(file)) });
    inProcess = await runSamlAudit({ factory: createReferenceTargetFactory() });
  }, 60_000);
  afterAll(() => server.close());

  it('stops after a failed control sign-in: no fault is run, the grade says nothing was proven', async () => {
    const file = path.join(dir, 'untrusting.target.yaml');
    const base = server.urls.base.replace(/\/+$/, '');
    writeFileSync(
      file,
      `name: untrusting\nkind: http\nsaml:\n  entityId: ${base}/saml/nope/metadata\n  acsUrl: ${base}/saml/nope/acs\n`,
    );
    const failed = await runSamlAudit({ factory: await createTargetFactory(await loadTargetFile(file)) });
    expect(failed.control.ok).toBe(false);
    expect(failed.control.detail).toContain('refused');
    expect(failed.rows).toEqual([]);
    expect(failed.summary.grade).toBe('-');
  });

  it('runs from the target file alone and reaches the same verdicts as the in-process run', () => {
    expect(external.control.ok, external.control.detail).toBe(true);
    for (const row of external.rows) {
      const same = inProcess.rows.find((r) => r.id === row.id);
      if (row.id === 'inresponseto-other-sp') {
        // a target file names one SP: there is no second SP to take a request ID from
        expect(row.verdict).toBe('not-applicable');
        continue;
      }
      expect(`${row.id}: ${row.verdict}`).toBe(`${row.id}: ${same?.verdict}`);
    }
  });
});
