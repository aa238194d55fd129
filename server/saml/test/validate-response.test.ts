// Unit tests of the SP's Response validation: one test per attack or fault (saml-notes.md, idsim issue #3 negatives).
// Fixtures are signed here with xml-crypto; the integration tests use the real simulator instead.
import { describe, expect, it } from 'vitest';
import { startAuthnRequest } from '../authn-request.ts';
import { spEndpoints } from '../sp-endpoints.ts';
import {
  ROGUE_CERT,
  ROGUE_KEY,
  refusalCode,
  TEST_IDP_ENTITY_ID,
  TEST_SP_ENDPOINTS,
  testSpResponse,
  testValidator,
} from './test-idp.ts';

const endpoints = TEST_SP_ENDPOINTS;

const setup = testValidator;

const response = testSpResponse;

const codeOf = refusalCode;

describe('SP Response validation: accepted responses', () => {
  it('accepts a Response whose assertion is signed by the pinned IdP certificate', async () => {
    const { validator } = setup();
    const result = await validator.validate(response({ givenName: 'Ada', familyName: 'Lovelace' }));
    expect(result.person).toEqual({ email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace' });
    expect(result.issuer).toBe(TEST_IDP_ENTITY_ID);
    expect(result.pending).toBeNull();
  });

  it('accepts a Response signed at both levels', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ sign: 'both' })))).toBe('accepted');
  });

  it('SP-initiated: accepts the answer to its own request once, then refuses a second answer', async () => {
    const { validator, requestIds } = setup();
    const start = startAuthnRequest(
      { endpoints, methodId: 'method-1', idpSsoUrl: 'http://idp.invalid/sso', context: { purpose: 'team' } },
      requestIds,
    );
    const result = await validator.validate(response({ inResponseTo: start.requestId }));
    expect(result.pending?.context).toEqual({ purpose: 'team' });
    expect(await codeOf(validator.validate(response({ inResponseTo: start.requestId })))).toBe(
      'in_response_to_mismatch',
    );
  });
});

describe('SP Response validation: refusals with stable codes', () => {
  it('tampered signature: a NameID changed after signing', async () => {
    const { validator, replayCache } = setup();
    const tampered = response({
      afterSigning: (xml) => xml.replace('ada@example.com</saml:NameID>', 'eve@example.com</saml:NameID>'),
    });
    expect(await codeOf(validator.validate(tampered))).toBe('signature_invalid');
    expect(replayCache.size()).toBe(0);
  });

  it('tampered Response signature is not excused by a valid assertion signature', async () => {
    const { validator } = setup();
    const tampered = response({
      sign: 'both',
      afterSigning: (xml) => xml.replace(/IssueInstant="[^"]+"/, 'IssueInstant="2020-01-01T00:00:00Z"'),
    });
    expect(await codeOf(validator.validate(tampered))).toBe('signature_invalid');
  });

  it('wrong certificate: signed by a key the team does not pin', async () => {
    const { validator } = setup();
    const rogue = response({ signKey: ROGUE_KEY, signCert: ROGUE_CERT });
    expect(await codeOf(validator.validate(rogue))).toBe('wrong_certificate');
  });

  it('unsigned assertion', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ sign: 'none' })))).toBe('unsigned_assertion');
  });

  it('expired assertion, beyond the clock skew', async () => {
    const { validator } = setup({ clockSkewMs: 60_000 });
    const old = response({ notBeforeOffsetMs: -20 * 60_000, notOnOrAfterOffsetMs: -2 * 60_000 });
    expect(await codeOf(validator.validate(old))).toBe('assertion_expired');
  });

  it('bounded skew: an assertion expired 30 s ago passes with 60 s skew', async () => {
    const { validator } = setup({ clockSkewMs: 60_000 });
    const justExpired = response({ notBeforeOffsetMs: -5 * 60_000, notOnOrAfterOffsetMs: -30_000 });
    expect(await codeOf(validator.validate(justExpired))).toBe('accepted');
  });

  it('skew is capped at 5 minutes whatever is configured', async () => {
    const { validator } = setup({ clockSkewMs: 60 * 60_000 });
    const old = response({ notBeforeOffsetMs: -30 * 60_000, notOnOrAfterOffsetMs: -10 * 60_000 });
    expect(await codeOf(validator.validate(old))).toBe('assertion_expired');
  });

  it('not yet valid', async () => {
    const { validator } = setup();
    const early = response({ notBeforeOffsetMs: 10 * 60_000, notOnOrAfterOffsetMs: 20 * 60_000 });
    expect(await codeOf(validator.validate(early))).toBe('not_yet_valid');
  });

  it('wrong audience', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ audience: 'https://other.invalid/sp' })))).toBe(
      'audience_mismatch',
    );
  });

  it('replayed assertion: the same Response twice', async () => {
    const { validator } = setup();
    const once = response();
    expect(await codeOf(validator.validate(once))).toBe('accepted');
    expect(await codeOf(validator.validate(once))).toBe('assertion_replayed');
  });

  it('wrong Destination, and a missing Destination', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ destination: 'https://evil.invalid/acs' })))).toBe(
      'destination_mismatch',
    );
    expect(await codeOf(validator.validate(response({ destination: null })))).toBe('destination_mismatch');
  });

  it('wrong Recipient', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ recipient: 'https://evil.invalid/acs' })))).toBe(
      'recipient_mismatch',
    );
  });

  it('DOCTYPE is refused before parsing', async () => {
    const { validator } = setup();
    const withDoctype = response({
      afterSigning: (xml) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]>${xml}`,
    });
    expect(await codeOf(validator.validate(withDoctype))).toBe('doctype_forbidden');
  });

  it('two assertions (signature wrapping): refused', async () => {
    const { validator } = setup();
    const wrapped = response({
      afterSigning: (xml) => {
        const assertion = xml.slice(xml.indexOf('<saml:Assertion'), xml.indexOf('</saml:Assertion>') + 17);
        const evil = assertion.replace('ada@example.com', 'eve@example.com');
        return xml.replace(
          '</samlp:Response>',
          `<samlp:Extensions>${evil}</samlp:Extensions></samlp:Response>`,
        );
      },
    });
    expect(await codeOf(validator.validate(wrapped))).toBe('multiple_assertions');
  });

  it('unknown issuer', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ issuer: 'https://other-idp.invalid' })))).toBe(
      'issuer_mismatch',
    );
  });

  it('no AuthnStatement (Web SSO profile 4.1.4.2)', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ withAuthnStatement: false })))).toBe(
      'missing_authn_statement',
    );
  });

  it('InResponseTo naming no request of this SP', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(response({ inResponseTo: '_never-sent' })))).toBe(
      'in_response_to_mismatch',
    );
  });

  it('IdP-initiated sign-in refused when the method requires SP-initiated', async () => {
    const { validator } = setup({ allowIdpInitiated: false });
    expect(await codeOf(validator.validate(response()))).toBe('in_response_to_mismatch');
  });

  it('an answer to a request made for another auth method', async () => {
    const { validator, requestIds } = setup();
    const other = startAuthnRequest(
      {
        endpoints: spEndpoints('http://127.0.0.1:9', 'method-2'),
        methodId: 'method-2',
        idpSsoUrl: 'http://i/sso',
      },
      requestIds,
    );
    expect(await codeOf(validator.validate(response({ inResponseTo: other.requestId })))).toBe(
      'in_response_to_mismatch',
    );
  });

  it('IdP status RequestDenied becomes not_assigned; garbage becomes malformed_response', async () => {
    const { validator } = setup();
    const denied = response({
      statusXml:
        '<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">' +
        '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/></samlp:StatusCode></samlp:Status>',
    });
    expect(await codeOf(validator.validate(denied))).toBe('not_assigned');
    expect(await codeOf(validator.validate('not base64!'))).toBe('malformed_response');
    expect(await codeOf(validator.validate(Buffer.from('<a><b></a>').toString('base64')))).toBe(
      'malformed_response',
    );
  });
});
