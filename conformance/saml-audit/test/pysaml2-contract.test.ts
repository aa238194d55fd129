// The audit against an SP it was not written with: pysaml2 (Debian python3-pysaml2) behind a small ACS script on
// loopback, described only by a target file. Its signature handling is sound, so those families must come out safe.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_CATALOGUE } from '../../../simulator/saml/faults/index.ts';
import { defaultSigningCredentials } from '../../../simulator/saml/keys.ts';
import { buildIdpMetadata } from '../../../simulator/saml/metadata.ts';
import { loadTargetFile } from '../../config.ts';
import { createTargetFactory } from '../../targets/factory.ts';
import { AUDIT_IDP_ENTITY_ID, type AuditResult, runSamlAudit } from '../audit.ts';

const PYTHON = '/usr/bin/python3';
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../simulator/saml/test/fixtures');
/** The families that exercise the XML-signature layer, which pysaml2 + xmlsec1 get right. */
const FAMILIES = ['wrapping', 'signature-scope', 'keys', 'parsing'];

const dir = mkdtempSync(path.join(tmpdir(), 'idsim-pysaml2-'));
let child: ChildProcess | undefined;
let result: AuditResult;

beforeAll(async () => {
  try {
    execFileSync(PYTHON, ['-c', 'import saml2'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      "pysaml2 is missing: install Debian's python3-pysaml2 (apt-get install -y python3-pysaml2)",
    );
  }
  const idpMetadata = path.join(dir, 'idp-metadata.xml');
  writeFileSync(
    idpMetadata,
    buildIdpMetadata({
      entityId: AUDIT_IDP_ENTITY_ID,
      ssoUrl: 'https://idp.idsim.test/saml/sso',
      sloUrl: 'https://idp.idsim.test/saml/slo',
      certBase64: defaultSigningCredentials().certBase64,
    }),
  );
  const started = spawn(
    PYTHON,
    [
      path.join(here, 'pysaml2_sp.py'),
      idpMetadata,
      ...['sp-signing.key', 'sp-signing.crt', 'sp-encryption.key', 'sp-encryption.crt'].map((f) =>
        path.join(fixtures, f),
      ),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  child = started;
  const baseUrl = await new Promise<string>((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`the pysaml2 SP exited (${code})`)));
    started.stdout?.once('data', (chunk) =>
      resolve((JSON.parse(String(chunk)) as { baseUrl: string }).baseUrl),
    );
  });
  const file = path.join(dir, 'pysaml2.target.yaml');
  writeFileSync(
    file,
    `name: pysaml2 SP\nkind: http\nsaml:\n  metadataUrl: ${baseUrl}/metadata\n  loginUrl: ${baseUrl}/login\n`,
  );
  result = await runSamlAudit({
    factory: await createTargetFactory(await loadTargetFile(file)),
    faults: FAULT_CATALOGUE.filter((f) => FAMILIES.includes(f.family)).map((f) => f.id),
  });
}, 60_000);

afterAll(() => {
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('saml-audit against pysaml2 (an independent SP, target file only)', () => {
  it('passes the genuine control sign-in through pysaml2', () => {
    expect(result.control.ok, result.control.detail).toBe(true);
  });

  it('runs every fault of the signature, key and parsing families, and each comes out safe', () => {
    expect(result.rows.length).toBe(FAULT_CATALOGUE.filter((f) => FAMILIES.includes(f.family)).length);
    const unsafe = result.rows.filter((r) => !r.pass).map((r) => `${r.id}: ${r.verdict} ${r.note}`);
    expect(unsafe).toEqual([]);
  });

  it('reads pysaml2 refusals as refusals with a code, and acceptances through its landing page', () => {
    const refused = result.rows.filter((r) => r.verdict === 'refused');
    expect(refused.length).toBeGreaterThan(30);
    for (const row of refused) expect(row.code).toMatch(/^[a-z_]+$/);
    expect(result.rows.find((r) => r.id === 'strip-response-signature')?.landedAs).toBe(
      result.identities.attacker,
    );
  });
});
