// The ACS over HTTP against the simulator's deliberately faulty Responses (simulator/saml/faults.ts) and hand-made
// DOCTYPE and two-assertion variants: each refused with its stable code, and nothing stored (saml-notes.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseFault } from '../../../simulator/saml/faults.ts';
import {
  addIdpPerson,
  browserSignIn,
  type Harness,
  postForm,
  setUpSamlTeam,
  startHarness,
  type TeamSetup,
} from '../../signin/test/harness.ts';

let h: Harness;
let t: TeamSetup;
beforeAll(async () => {
  h = await startHarness();
  t = await setUpSamlTeam(h, { autoAddUsers: true });
});
afterAll(async () => {
  await h.close();
});

const cases: [ResponseFault, string][] = [
  ['tamper-after-signing', 'signature_invalid'],
  ['wrong-key', 'wrong_certificate'],
  ['unsigned', 'unsigned_assertion'],
  ['expired', 'assertion_expired'],
  ['wrong-audience', 'audience_mismatch'],
  ['wrong-recipient', 'recipient_mismatch'],
  ['wrong-destination', 'destination_mismatch'],
];

describe('ACS refuses faulty Responses from the simulator', () => {
  it.each(cases)('%s → %s, and creates no account', async (fault, code) => {
    const email = `neg-${fault}@corp.example`;
    const person = addIdpPerson(h, { email, assignTo: t.appId });
    h.simulator.idp.armFaults(t.appId, [fault]);
    const auditBefore = h.service.listAuditEvents().length;
    const membersBefore = h.service.listMembers(t.team.id).length;
    const result = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(h.service.listAuditEvents().length).toBe(auditBefore);
    expect(h.service.listMembers(t.team.id).length).toBe(membersBefore);
    expect(result.samlResponse).toBeDefined();
    expect(result.errorCode).toBe(code);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.body).not.toMatch(/node_modules|at .*\.ts:\d+/);
    expect(h.service.findAccountByEmail(email)).toBeNull();
  });

  it('replayed assertion ID → assertion_replayed', async () => {
    const person = addIdpPerson(h, { email: 'neg-replay@corp.example', assignTo: t.appId });
    const first = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(first.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    h.simulator.idp.armFaults(t.appId, ['replay-assertion-id']);
    const second = await browserSignIn(`${h.serverUrl}/saml/${t.methodId}/login`, person);
    expect(second.errorCode).toBe('assertion_replayed');
  });

  it('the very same IdP-initiated Response posted twice → assertion_replayed', async () => {
    const person = addIdpPerson(h, { email: 'neg-replay2@corp.example', assignTo: t.appId });
    const first = await browserSignIn(`${h.simulator.baseUrl}/apps/${t.appId}/sso`, person);
    expect(first.landedAt).toBe(`${h.serverUrl}/teams/${t.team.id}/home`);
    const again = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      { SAMLResponse: Buffer.from(first.samlResponse ?? '').toString('base64') },
      { json: true },
    );
    expect(again.status).toBe(401);
    expect(((await again.json()) as { code: string }).code).toBe('assertion_replayed');
  });
});

describe('ACS refuses hand-made malicious documents', () => {
  async function capturedResponse(email: string): Promise<string> {
    const person = addIdpPerson(h, { email, assignTo: t.appId });
    // sign in once IdP-initiated to capture a genuine signed Response (this one is used and accepted)
    const result = await browserSignIn(`${h.simulator.baseUrl}/apps/${t.appId}/sso`, person);
    return result.samlResponse ?? '';
  }

  it('DOCTYPE → doctype_forbidden', async () => {
    const xml = await capturedResponse('neg-doctype@corp.example');
    const evil = `<?xml version="1.0"?><!DOCTYPE Response [<!ENTITY x "x">]>${xml.replace(/^<\?xml[^>]*>/, '')}`;
    const response = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      { SAMLResponse: Buffer.from(evil).toString('base64') },
      { json: true },
    );
    expect(((await response.json()) as { code: string }).code).toBe('doctype_forbidden');
  });

  it('a second (forged) assertion beside the signed one → multiple_assertions, nothing stored', async () => {
    // The app sends plaintext assertions (Assertion Encryption off), so there is a signed one to copy.
    const xml = await capturedResponse('neg-wrap@corp.example');
    const start = xml.indexOf('<saml:Assertion');
    const end = xml.indexOf('</saml:Assertion>') + '</saml:Assertion>'.length;
    const forged = xml
      .slice(start, end)
      .replaceAll('neg-wrap@corp.example', 'mallory@corp.example')
      .replace(/ID="[^"]+"/, 'ID="_forged"');
    const wrapped = `${xml.slice(0, start)}${forged}${xml.slice(start)}`;
    const response = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      { SAMLResponse: Buffer.from(wrapped).toString('base64') },
      { json: true },
    );
    expect(((await response.json()) as { code: string }).code).toBe('multiple_assertions');
    expect(h.service.findAccountByEmail('mallory@corp.example')).toBeNull();
  });

  it('a forged plaintext assertion beside the EncryptedAssertion → multiple_assertions, nothing stored', async () => {
    h.simulator.directory.updateApp(t.appId, { assertionEncryption: true });
    let xml: string;
    try {
      xml = await capturedResponse('neg-wrap-enc@corp.example');
    } finally {
      h.simulator.directory.updateApp(t.appId, { assertionEncryption: false });
    }
    expect(xml).toContain('<saml:EncryptedAssertion');
    const forged =
      '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_forged" Version="2.0">' +
      '<saml:Subject><saml:NameID>mallory-enc@corp.example</saml:NameID></saml:Subject></saml:Assertion>';
    const wrapped = xml.replace('<saml:EncryptedAssertion', `${forged}<saml:EncryptedAssertion`);
    const response = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      { SAMLResponse: Buffer.from(wrapped).toString('base64') },
      { json: true },
    );
    expect(((await response.json()) as { code: string }).code).toBe('multiple_assertions');
    expect(h.service.findAccountByEmail('mallory-enc@corp.example')).toBeNull();
  });

  it('no SAMLResponse field, or garbage → a refusal page, never a stack', async () => {
    const missing = await postForm(`${h.serverUrl}/saml/${t.methodId}/acs`, {});
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('data-error-code="bad_request"');
    const garbage = await postForm(
      `${h.serverUrl}/saml/${t.methodId}/acs`,
      { SAMLResponse: 'PHg+' },
      { json: true },
    );
    expect(((await garbage.json()) as { code: string }).code).toBe('malformed_response');
    const unknown = await postForm(
      `${h.serverUrl}/saml/no-such-method/acs`,
      { SAMLResponse: 'PHg+' },
      { json: true },
    );
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown_auth_method');
  });
});

describe('SP metadata', () => {
  it('publishes entityID, the HTTP-POST ACS, the redirect SLO, the SP key and emailAddress NameIDFormat', async () => {
    const response = await fetch(`${h.serverUrl}/saml/${t.methodId}/metadata`);
    expect(response.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await response.text();
    expect(xml).toContain(`entityID="${h.serverUrl}/saml/${t.methodId}/metadata"`);
    expect(xml).toContain(`Location="${h.serverUrl}/saml/${t.methodId}/acs"`);
    expect(xml).toContain('urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST');
    expect(xml).toContain('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(xml).toContain('AuthnRequestsSigned="false"');
    expect(xml).toContain(
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${h.serverUrl}/saml/${t.methodId}/slo"/>`,
    );
    expect(xml).toContain('<md:KeyDescriptor use="signing">');
    expect(xml).toContain('<md:KeyDescriptor use="encryption">');
    // what the simulator reads from it: both uses of the one SP certificate, and the SLO URL
    const app = h.simulator.directory.getApp(t.appId);
    expect(app.sp?.sloUrl).toBe(`${h.serverUrl}/saml/${t.methodId}/slo`);
    expect(app.sp?.encryptionCert).toBeDefined();
    expect(app.sp?.signingCerts).toEqual([app.sp?.encryptionCert]);
  });
});
