// Each IdP personality's sign-in looks like that IdP's: NameID format, attribute names and NameFormat, which
// signatures are present, Rippling's unsolicited InResponseTo and Entra's Test SSO rule (issue #13); every
// personality's SP-initiated sign-in is accepted by the node-saml SP over real HTTP.
import { DOMParser, type Element } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMEID_EMAIL, NAMEID_UNSPECIFIED, NS_ASSERTION, NS_PROTOCOL } from '../../../protocol/saml/index.ts';
import { IDP_APP_TEMPLATES, IDP_PERSONALITIES, type IdpPersonality } from '../../directory/index.ts';
import { ENTRA_TEST_SSO_REQUEST_ID } from '../personality-profiles.ts';
import { type Rig, startRig } from './harness.ts';
import type { SpSignInBody } from './node-saml-sp.ts';

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

function parse(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement;
  if (!response) throw new Error('no document');
  const assertion = response.getElementsByTagNameNS(NS_ASSERTION, 'Assertion')[0];
  if (!assertion) throw new Error('no assertion');
  const nameId = assertion.getElementsByTagNameNS(NS_ASSERTION, 'NameID')[0];
  const attributes = [...Array.from(assertion.getElementsByTagNameNS(NS_ASSERTION, 'Attribute'))];
  const directSignature = (element: Element) =>
    Array.from(element.childNodes).some(
      (node) =>
        node.nodeType === 1 &&
        (node as Element).localName === 'Signature' &&
        (node as Element).namespaceURI === DSIG,
    );
  const confirmation = assertion.getElementsByTagNameNS(NS_ASSERTION, 'SubjectConfirmationData')[0];
  return {
    isResponse: response.namespaceURI === NS_PROTOCOL && response.localName === 'Response',
    responseInResponseTo: response.getAttribute('InResponseTo'),
    confirmationInResponseTo: confirmation?.getAttribute('InResponseTo') ?? null,
    nameIdFormat: nameId?.getAttribute('Format'),
    attributeNames: attributes.map((attribute) => attribute.getAttribute('Name')),
    nameFormats: attributes.map((attribute) => attribute.getAttribute('NameFormat')),
    responseSigned: directSignature(response),
    assertionSigned: directSignature(assertion),
  };
}

const EXPECTED_NAMEID: Record<IdpPersonality, string> = {
  okta: NAMEID_EMAIL,
  entra: NAMEID_EMAIL,
  onelogin: NAMEID_EMAIL,
  jumpcloud: NAMEID_UNSPECIFIED,
  rippling: NAMEID_EMAIL,
  ping: NAMEID_UNSPECIFIED,
};

describe('SAML personalities', () => {
  let rig: Rig;
  beforeAll(async () => {
    // Entra, OneLogin, JumpCloud and Rippling sign the assertion only: the SP accepts either signature
    rig = await startRig({ validateInResponseTo: 'always', wantResponseSigned: false });
  });
  afterAll(() => rig.close());

  function becomes(idp: IdpPersonality): void {
    // what creating the app from that IdP's template gives: its attribute names and signing
    const template = IDP_APP_TEMPLATES[idp];
    rig.sim.directory.updateApp(rig.app.id, {
      idp,
      attributeStatements: template.attributeStatements.map((statement) => ({ ...statement })),
      signing: template.signing,
    });
  }

  it.each(IDP_PERSONALITIES)('%s: SP-initiated sign-in is accepted and looks like that IdP', async (idp) => {
    becomes(idp);
    const result = await rig.signIn(rig.sp.loginUrl);
    expect(result.status, JSON.stringify(result.json)).toBe(200);
    expect((result.json as SpSignInBody).nameID).toBe(rig.person.login);
    const shape = parse(result.samlResponse ?? '');
    expect(shape.isResponse).toBe(true);
    expect(shape.nameIdFormat).toBe(EXPECTED_NAMEID[idp]);
    expect(shape.attributeNames).toEqual(
      IDP_APP_TEMPLATES[idp].attributeStatements
        .filter(
          (statement) => statement.value !== 'groups' || rig.sim.directory.groupsOf(rig.person.id).length > 0,
        )
        .map((statement) => statement.name),
    );
    expect(new Set(shape.nameFormats)).toEqual(
      new Set([idp === 'entra' ? null : 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic']),
    );
    expect(shape.responseSigned).toBe(IDP_APP_TEMPLATES[idp].signing.signResponse);
    // the SP's metadata may ask for signed assertions (WantAssertionsSigned) whatever the template says
    expect(shape.assertionSigned).toBe(
      IDP_APP_TEMPLATES[idp].signing.signAssertion || rig.app.sp?.wantAssertionsSigned === true,
    );
    expect(shape.responseInResponseTo).not.toBeNull();
  });

  it('Entra: the Claims URIs carry the person', async () => {
    becomes('entra');
    const built = await rig.sim.idp.issueResponse({
      appId: rig.app.id,
      personId: rig.person.id,
      inResponseTo: '_abc',
    });
    expect(built.xml).toContain('http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname');
    expect(built.xml).toContain(`>${rig.person.firstName}</saml:AttributeValue>`);
  });

  it("Entra's Test SSO: InResponseTo is left out only for the fixed test request ID", async () => {
    becomes('entra');
    const test = parse(
      (
        await rig.sim.idp.issueResponse({
          appId: rig.app.id,
          personId: rig.person.id,
          inResponseTo: ENTRA_TEST_SSO_REQUEST_ID,
        })
      ).xml,
    );
    expect(test.responseInResponseTo).toBeNull();
    expect(test.confirmationInResponseTo).toBeNull();
    const other = parse(
      (
        await rig.sim.idp.issueResponse({
          appId: rig.app.id,
          personId: rig.person.id,
          inResponseTo: '_sp-request-1',
        })
      ).xml,
    );
    expect(other.responseInResponseTo).toBe('_sp-request-1');
    expect(other.confirmationInResponseTo).toBe('_sp-request-1');
    // Okta has no such rule: the constant is answered like any other ID
    becomes('okta');
    const okta = parse(
      (
        await rig.sim.idp.issueResponse({
          appId: rig.app.id,
          personId: rig.person.id,
          inResponseTo: ENTRA_TEST_SSO_REQUEST_ID,
        })
      ).xml,
    );
    expect(okta.responseInResponseTo).toBe(ENTRA_TEST_SSO_REQUEST_ID);
  });

  it.each([
    ['rippling', true],
    ['okta', false],
    ['entra', false],
  ] as const)('%s IdP-initiated Response carries an InResponseTo: %s', async (idp, carries) => {
    becomes(idp);
    const shape = parse(
      (await rig.sim.idp.issueResponse({ appId: rig.app.id, personId: rig.person.id })).xml,
    );
    if (carries) {
      expect(shape.responseInResponseTo).toMatch(/^_/);
      expect(shape.confirmationInResponseTo).toBe(shape.responseInResponseTo);
    } else {
      expect(shape.responseInResponseTo).toBeNull();
    }
  });

  it('a Rippling IdP-initiated sign-in is refused by an SP that checks InResponseTo (no request was sent)', async () => {
    becomes('rippling');
    const result = await rig.signIn(`${rig.sim.baseUrl}/apps/${rig.app.id}/sso`);
    expect(result.status).toBe(401);
    expect(JSON.stringify(result.json)).toMatch(/InResponseTo/i);
  });
});
