// The SP's EncryptedAssertion handling: decrypted with the SP key, then every check of a plain assertion; one test per
// refusal (wrong key, insecure algorithms, unsigned, DOCTYPE, wrapping). SAML core 2.3.4, xmlenc-core1; saml-notes.md.
import { describe, expect, it } from 'vitest';
import { startAuthnRequest } from '../authn-request.ts';
import { defaultSpCredentials } from '../sp-credentials.ts';
import type { SpValidationSettings } from '../validate-response.ts';
import {
  buildEncryptedTestResponse,
  type EncryptionOptions,
  ROGUE_CERT,
  ROGUE_KEY,
  refusalCode,
  TEST_SP_ENDPOINTS,
  type TestResponseOptions,
  testValidator,
} from './test-idp.ts';

const endpoints = TEST_SP_ENDPOINTS;
const sp = defaultSpCredentials();

function setup(overrides: Partial<SpValidationSettings> = {}) {
  return testValidator({ decryptionKeyPem: sp.privateKeyPem, ...overrides });
}

function encrypted(
  options: Partial<TestResponseOptions> = {},
  encryption: Partial<EncryptionOptions> = {},
): Promise<string> {
  return buildEncryptedTestResponse(
    { acsUrl: endpoints.acsUrl, audience: endpoints.entityId, email: 'ada@example.com', ...options },
    { encryptTo: sp.certPem, ...encryption },
  );
}

const codeOf = refusalCode;

describe('core 2.3.4: EncryptedAssertion accepted', () => {
  it('decrypts a signed assertion (AES-256-GCM, RSA-OAEP) and reads the person from it', async () => {
    const { validator } = setup();
    const xml = Buffer.from(await encrypted(), 'base64').toString('utf8');
    expect(xml).toContain('<saml:EncryptedAssertion>');
    expect(xml).not.toContain('ada@example.com');
    const result = await validator.validate(await encrypted({ givenName: 'Ada', familyName: 'Lovelace' }));
    expect(result.person).toEqual({ email: 'ada@example.com', givenName: 'Ada', familyName: 'Lovelace' });
    expect(result.nameId).toBe('ada@example.com');
    expect(result.sessionIndex).toMatch(/^_/);
  });

  it('accepts both signed; refuses a signed Response around an unsigned encrypted assertion (WantAssertionsSigned)', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(await encrypted({ sign: 'both' })))).toBe('accepted');
    expect(await codeOf(validator.validate(await encrypted({ sign: 'response' })))).toBe(
      'unsigned_assertion',
    );
  });

  it('SP-initiated: the answer to its own request, once', async () => {
    const { validator, requestIds } = setup();
    const start = startAuthnRequest(
      { endpoints, methodId: 'method-1', idpSsoUrl: 'http://idp.invalid/sso', context: { purpose: 'team' } },
      requestIds,
    );
    const answer = await encrypted({ inResponseTo: start.requestId });
    expect((await validator.validate(answer)).pending?.context).toEqual({ purpose: 'team' });
    expect(await codeOf(validator.validate(await encrypted({ inResponseTo: start.requestId })))).toBe(
      'in_response_to_mismatch',
    );
  });
});

describe('core 2.3.4: decryption_failed, a stable code with no detail on the wire', () => {
  it('encrypted to another key', async () => {
    const { validator, replayCache } = setup();
    expect(await codeOf(validator.validate(await encrypted({}, { encryptTo: ROGUE_CERT })))).toBe(
      'decryption_failed',
    );
    expect(replayCache.size()).toBe(0);
  });

  it('no SP key configured', async () => {
    const { validator } = setup({ decryptionKeyPem: undefined });
    expect(await codeOf(validator.validate(await encrypted()))).toBe('decryption_failed');
  });

  it('xmlenc-core1 6.1: AES-CBC content encryption is refused (padding oracle), though node-saml would decrypt it', async () => {
    const { validator } = setup();
    const cbc = await encrypted(
      {},
      { encryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#aes256-cbc', allowInsecure: true },
    );
    expect(await codeOf(validator.validate(cbc))).toBe('decryption_failed');
  });

  it('RSA PKCS#1 v1.5 key transport is refused (Bleichenbacher)', async () => {
    const { validator } = setup();
    const v15 = await encrypted(
      {},
      { keyEncryptionAlgorithm: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5', allowInsecure: true },
    );
    expect(await codeOf(validator.validate(v15))).toBe('decryption_failed');
  });

  it('a changed ciphertext (the GCM tag no longer matches)', async () => {
    const { validator } = setup();
    const xml = Buffer.from(await encrypted(), 'base64').toString('utf8');
    const values = [...xml.matchAll(/<xenc:CipherValue>([^<]+)<\/xenc:CipherValue>/g)];
    const content = values.at(-1)?.[1] ?? '';
    const bytes = Buffer.from(content, 'base64');
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 1;
    const changed = xml.replace(content, bytes.toString('base64'));
    expect(await codeOf(validator.validate(Buffer.from(changed).toString('base64')))).toBe(
      'decryption_failed',
    );
  });
});

describe('core 2.3.4: the plain-assertion checks hold on the decrypted assertion', () => {
  it('unsigned assertion inside an unsigned Response → unsigned_assertion', async () => {
    const { validator } = setup();
    expect(await codeOf(validator.validate(await encrypted({ sign: 'none' })))).toBe('unsigned_assertion');
  });

  it('an assertion changed before encryption, its signature broken → signature_invalid', async () => {
    const { validator } = setup();
    const tampered = await encrypted(
      {},
      { plaintext: (xml) => xml.replace('ada@example.com</saml:NameID>', 'eve@example.com</saml:NameID>') },
    );
    expect(await codeOf(validator.validate(tampered))).toBe('signature_invalid');
  });

  it('signed by a key the team does not pin → wrong_certificate', async () => {
    const { validator } = setup();
    const rogue = await encrypted({ signKey: ROGUE_KEY, signCert: ROGUE_CERT });
    expect(await codeOf(validator.validate(rogue))).toBe('wrong_certificate');
  });

  it('Recipient, Audience, Destination, Issuer, expiry: each with its own code', async () => {
    const { validator } = setup();
    const cases: [Partial<TestResponseOptions>, string][] = [
      [{ recipient: 'https://evil.invalid/acs' }, 'recipient_mismatch'],
      [{ audience: 'https://other.invalid/sp' }, 'audience_mismatch'],
      [{ destination: 'https://evil.invalid/acs' }, 'destination_mismatch'],
      [{ issuer: 'https://other-idp.invalid' }, 'issuer_mismatch'],
      [{ notBeforeOffsetMs: -20 * 60_000, notOnOrAfterOffsetMs: -10 * 60_000 }, 'assertion_expired'],
      [{ withAuthnStatement: false }, 'missing_authn_statement'],
    ];
    for (const [options, code] of cases) {
      expect([code, await codeOf(validator.validate(await encrypted(options)))]).toEqual([code, code]);
    }
  });

  it('the same encrypted assertion twice → assertion_replayed', async () => {
    const { validator } = setup();
    const once = await encrypted();
    expect(await codeOf(validator.validate(once))).toBe('accepted');
    expect(await codeOf(validator.validate(once))).toBe('assertion_replayed');
  });

  it('a DOCTYPE inside the encrypted content → doctype_forbidden', async () => {
    const { validator } = setup();
    const withDoctype = await encrypted(
      {},
      { plaintext: (xml) => `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]>${xml}` },
    );
    expect(await codeOf(validator.validate(withDoctype))).toBe('doctype_forbidden');
  });

  it('encrypted content that is not one Assertion → malformed_response or multiple_assertions', async () => {
    const { validator } = setup();
    const notAssertion = await encrypted(
      {},
      { plaintext: () => '<saml:Foo xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/>' },
    );
    expect(await codeOf(validator.validate(notAssertion))).toBe('malformed_response');
    const nested = await encrypted(
      {},
      {
        plaintext: (xml) =>
          xml.replace(
            '</saml:Assertion>',
            '<saml:Advice><saml:Assertion ID="_inner"/></saml:Advice></saml:Assertion>',
          ),
      },
    );
    expect(await codeOf(validator.validate(nested))).toBe('multiple_assertions');
  });

  it('a plaintext assertion beside the EncryptedAssertion → multiple_assertions', async () => {
    const { validator } = setup();
    const xml = Buffer.from(await encrypted(), 'base64').toString('utf8');
    const forged = '<saml:Assertion ID="_forged" Version="2.0"><saml:Issuer>x</saml:Issuer></saml:Assertion>';
    const wrapped = xml.replace('<saml:EncryptedAssertion>', `${forged}<saml:EncryptedAssertion>`);
    expect(await codeOf(validator.validate(Buffer.from(wrapped).toString('base64')))).toBe(
      'multiple_assertions',
    );
  });
});
