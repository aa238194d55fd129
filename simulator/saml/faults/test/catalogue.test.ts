// Every fault builder: the genuine Response verifies with an independent verifier (xmlsec1, the IdP certificate),
// and the faulty one differs from it exactly where the fault says. idsim issue #11 (tests).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSigningCredentials } from '../../keys.ts';
import { structuralDiff, withinTouches } from '../diff.ts';
import { genuineBuilder } from '../genuine.ts';
import { buildFaultyResponse, FAULT_CATALOGUE, FAULT_FAMILIES, type FaultInput } from '../index.ts';
import { parseXml } from '../xml-kit.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'idsim-faults-'));
const idpCert = new URL('../../fixtures/idp-signing.crt', import.meta.url).pathname;
const spEncryptionCert = readFileSync(
  new URL('../../test/fixtures/sp-encryption.crt', import.meta.url),
  'utf8',
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Debian's xmlsec1 (libxmlsec1), a verifier independent of xml-crypto: true when the first signature verifies. */
function xmlsecVerifies(xml: string, name: string): boolean {
  const file = path.join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync(
      'xmlsec1',
      [
        '--verify',
        '--pubkey-cert-pem',
        idpCert,
        '--id-attr:ID',
        'urn:oasis:names:tc:SAML:2.0:protocol:Response',
        '--id-attr:ID',
        'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
        file,
      ],
      { stdio: 'pipe' },
    );
    return true;
  } catch {
    return false;
  }
}

const identities = { attacker: 'mallory@example.test', victim: 'kristin.oakes@example.test' };
const input: FaultInput = {
  identities,
  idpEntityId: 'https://idp.idsim.test/metadata',
  now: new Date(),
  genuine: genuineBuilder({
    issuer: 'https://idp.idsim.test/metadata',
    acsUrl: 'http://127.0.0.1:9/saml/acs',
    audience: 'http://127.0.0.1:9/saml/metadata',
    credentials: defaultSigningCredentials(),
    now: () => new Date(),
  }),
  spEncryptionCert,
  previous: { assertionId: '_previousAssertion', xml: '<samlp:Response/>' },
  pendingRequestId: '_pendingRequest',
  otherSpRequestId: '_otherSpRequest',
};

/** Faults that are the IdP's own signature over changed content: xmlsec1 must verify the faulty bytes too. */
const SIGNED_BY_IDP = [
  'unsigned-assertion-in-signed-response',
  'cert-expired',
  'cert-not-yet-valid',
  'sig-rsa-sha1',
  'digest-sha1',
  'sig-rsa-sha1-digest-sha1',
  'kelvin-sign',
  'ascii-case-variant',
  'email-disagrees-with-nameid',
  'wrong-audience',
  'expired',
  'missing-conditions',
  'two-assertions',
  'strip-response-signature',
];
/** Faults whose point is a broken or untrusted signature: xmlsec1 with the IdP certificate must not verify them. */
const NOT_VERIFIABLE = [
  'tamper-after-signing',
  'wrong-key',
  'retired-key',
  'keyinfo-attacker-cert',
  'empty-signature-value',
];

describe('the SAML fault catalogue', () => {
  it('has at least 45 faults, unique ids, every family, explanations and references', () => {
    expect(FAULT_CATALOGUE.length).toBeGreaterThanOrEqual(45);
    expect(new Set(FAULT_CATALOGUE.map((f) => f.id)).size).toBe(FAULT_CATALOGUE.length);
    for (const family of FAULT_FAMILIES)
      expect(FAULT_CATALOGUE.some((f) => f.family === family.id)).toBe(true);
    for (const fault of FAULT_CATALOGUE) {
      expect(fault.explanation.length, fault.id).toBeGreaterThan(120);
      expect(fault.references.length, fault.id).toBeGreaterThan(0);
    }
    for (let n = 1; n <= 8; n += 1) expect(FAULT_CATALOGUE.some((f) => f.id === `xsw${n}`)).toBe(true);
  });

  it.each(FAULT_CATALOGUE.map((f) => [f.id]))(
    '%s: genuine verifies, the fault differs where intended',
    async (id) => {
      const fault = FAULT_CATALOGUE.find((f) => f.id === id);
      if (fault === undefined) throw new Error(id);
      const { genuine, faulty } = await buildFaultyResponse(id, input);
      expect(xmlsecVerifies(genuine.xml, `${id}-genuine`), 'xmlsec1 verifies the genuine Response').toBe(
        true,
      );
      const bytes = faulty.bytes;
      expect(bytes.equals(Buffer.from(genuine.xml, 'utf8'))).toBe(false);
      if (id === 'replayed-response') {
        expect(bytes.toString('utf8')).toBe(input.previous?.xml);
        return;
      }
      let text = bytes.toString(fault.raw?.encoding ?? 'utf8');
      if (fault.raw !== undefined) {
        // raw faults: the raw edit is visible, and once undone the rest is the genuine Response
        expect(text.startsWith(genuine.xml)).toBe(false);
        text = fault.raw.undo(text);
      }
      const differences = structuralDiff(parseXml(genuine.xml), parseXml(text));
      expect(
        withinTouches(differences, fault.touches),
        `changes outside ${fault.touches.join(', ')}`,
      ).toEqual([]);
      if (fault.raw === undefined) expect(differences.length).toBeGreaterThan(0);
      if (SIGNED_BY_IDP.includes(id))
        expect(xmlsecVerifies(text, `${id}-faulty`), 'IdP-signed fault verifies').toBe(true);
      if (NOT_VERIFIABLE.includes(id)) expect(xmlsecVerifies(text, `${id}-faulty`)).toBe(false);
    },
  );

  it('the @saml-sp-security feature has one example per fault, each exactly once', () => {
    const feature = readFileSync(
      new URL('../../../../features/saml-sp/sp-security.feature', import.meta.url),
      'utf8',
    );
    const examples = [...feature.matchAll(/^\s+\| ([a-z0-9_-]+) \|$/gm)]
      .map((m) => m[1])
      .filter((id) => id !== 'fault');
    expect([...examples].sort()).toEqual(FAULT_CATALOGUE.map((f) => f.id).sort());
  });

  it('the signed identity is the attacker for wrapping and the asserted variant for identity faults', async () => {
    const xsw = await buildFaultyResponse('xsw3', input);
    expect(xsw.faulty.signedIdentity).toBe(identities.attacker);
    expect(xsw.faulty.bytes.toString('utf8')).toContain(identities.victim);
    const kelvin = await buildFaultyResponse('kelvin-sign', input);
    expect(kelvin.faulty.signedIdentity).toBe('\u212Aristin.oakes@example.test');
  });
});
