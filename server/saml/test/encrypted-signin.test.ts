// End to end over loopback HTTP: with Assertion Encryption on, the simulator encrypts assertions to the certificate in
// the SP's metadata and the reference SP decrypts them; encrypted to another key → decryption_failed and nothing stored. SAML core 2.3.4.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addIdpPerson,
  browserSignIn,
  type Harness,
  setUpSamlTeam,
  startHarness,
  type TeamSetup,
} from '../../signin/test/harness.ts';
import { defaultSpCredentials } from '../sp-credentials.ts';

const ROGUE_CERT = readFileSync(new URL('./fixtures/rogue.crt', import.meta.url), 'utf8');

let h: Harness;
let t: TeamSetup;
beforeAll(async () => {
  h = await startHarness();
  t = await setUpSamlTeam(h, { autoAddUsers: true });
  // Okta's "Assertion Encryption" setting: the SP metadata offers the key, the app admin turns encryption on.
  h.simulator.directory.updateApp(t.appId, { assertionEncryption: true });
});
afterAll(async () => {
  await h.close();
});

describe('core 2.3.4: sign-in with an encrypted assertion from the simulator', () => {
  it('the IdP app encrypts to the SP metadata certificate; the SP decrypts and signs the person in', async () => {
    expect(h.simulator.directory.getApp(t.appId).sp?.encryptionCert?.replace(/\s+/g, '')).toBe(
      defaultSpCredentials().certPem.replace(/\s+/g, ''),
    );
    const person = addIdpPerson(h, { email: 'enc-ok@corp.example', firstName: 'Enc', assignTo: t.appId });
    const result = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(result.samlResponse).toContain('<saml:EncryptedAssertion');
    expect(result.samlResponse).not.toContain('enc-ok@corp.example');
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    const account = h.service.findAccountByEmail('enc-ok@corp.example');
    expect(account?.givenName).toBe('Enc');
    expect(h.service.getMember(t.team.id, account?.id ?? '').status).toBe('active');
  });

  it('IdP-initiated works the same way', async () => {
    const person = addIdpPerson(h, { email: 'enc-tile@corp.example', assignTo: t.appId });
    const result = await browserSignIn(`${h.idpUrl}/apps/${t.appId}/sso`, person);
    expect(result.samlResponse).toContain('<saml:EncryptedAssertion');
    expect(result.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
  });

  it('encrypted to another key: decryption_failed on the page, nothing created or audited', async () => {
    const other = await setUpSamlTeam(h, { autoAddUsers: true });
    h.simulator.directory.updateApp(other.appId, {
      sp: { encryptionCert: ROGUE_CERT },
      assertionEncryption: true,
    });
    const person = addIdpPerson(h, { email: 'enc-wrong@corp.example', assignTo: other.appId });
    const auditBefore = h.service.listAuditEvents().length;
    const membersBefore = h.service.listMembers(other.team.id).length;
    const result = await browserSignIn(`${h.serverUrl}/saml/${other.methodId}/login`, person);
    expect(result.samlResponse).toContain('<saml:EncryptedAssertion');
    expect(result.status).toBe(400);
    expect(result.errorCode).toBe('decryption_failed');
    expect(result.body).toContain('could not be decrypted with this service');
    expect(result.body).not.toMatch(/node_modules|at .*\.ts:\d+/);
    expect(h.service.findAccountByEmail('enc-wrong@corp.example')).toBeNull();
    expect(h.service.listMembers(other.team.id).length).toBe(membersBefore);
    expect(h.service.listAuditEvents().length).toBe(auditBefore);
  });
});
