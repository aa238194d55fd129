// Unit tests of the strict-SP classes of idsim issue #10: deprecated and unsafe signature algorithms and transforms
// (algorithm_forbidden), the assertion's own signature (WantAssertionsSigned), Issuer consistency (profiles 4.1.4.2).
import { describe, expect, it } from 'vitest';
import { defaultSpCredentials } from '../sp-credentials.ts';
import { buildSpMetadata } from '../sp-metadata.ts';
import {
  buildEncryptedTestResponse,
  DIGEST_SHA1_URI,
  DIGEST_SHA512_URI,
  refusalCode,
  SIG_RSA_SHA1_URI,
  SIG_RSA_SHA512_URI,
  TEST_IDP_ENTITY_ID,
  TEST_SP_ENDPOINTS,
  type TestResponseOptions,
  testSpResponse,
  testValidator,
} from './test-idp.ts';

const endpoints = TEST_SP_ENDPOINTS;
const SHA1_BOTH = { signature: SIG_RSA_SHA1_URI, digest: DIGEST_SHA1_URI };
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

const response = testSpResponse;

/** A genuine assertion-signed Response with one text edit to its XML (refused before any cryptography). */
function edited(edit: (xml: string) => string, options: Partial<TestResponseOptions> = {}): string {
  return response({ ...options, afterSigning: edit });
}

async function codeWith(samlResponse: string, allowSha1 = false): Promise<string> {
  const { validator, replayCache } = testValidator({ allowSha1 });
  const code = await refusalCode(validator.validate(samlResponse));
  // a refusal never marks the assertion as used
  if (code !== 'accepted') expect(replayCache.size()).toBe(0);
  return code;
}

describe('deprecated algorithms: SHA-1 refused by default (algorithm_forbidden)', () => {
  it('an assertion signed with RSA-SHA1 over a SHA-1 digest', async () => {
    expect(await codeWith(response({ assertionAlgorithms: SHA1_BOTH }))).toBe('algorithm_forbidden');
  });

  it('RSA-SHA256 over a SHA-1 digest, and RSA-SHA1 over a SHA-256 digest', async () => {
    expect(await codeWith(response({ assertionAlgorithms: { digest: DIGEST_SHA1_URI } }))).toBe(
      'algorithm_forbidden',
    );
    expect(await codeWith(response({ assertionAlgorithms: { signature: SIG_RSA_SHA1_URI } }))).toBe(
      'algorithm_forbidden',
    );
  });

  it('a SHA-256 assertion inside a Response signed with SHA-1: every signature of the message counts', async () => {
    expect(await codeWith(response({ sign: 'both', responseAlgorithms: SHA1_BOTH }))).toBe(
      'algorithm_forbidden',
    );
  });

  it('a SHA-1 signature inside an EncryptedAssertion (checked once decrypted)', async () => {
    const sp = defaultSpCredentials();
    const { validator } = testValidator({ decryptionKeyPem: sp.privateKeyPem });
    const sha1 = await buildEncryptedTestResponse(
      {
        acsUrl: endpoints.acsUrl,
        audience: endpoints.entityId,
        email: 'ada@example.com',
        assertionAlgorithms: SHA1_BOTH,
      },
      { encryptTo: sp.certPem },
    );
    expect(await refusalCode(validator.validate(sha1))).toBe('algorithm_forbidden');
  });

  it('a SHA-1 signature anywhere in the document, even one that signs nothing the SP reads', async () => {
    const stray =
      '<samlp:Extensions><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>' +
      `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"/><ds:SignatureMethod Algorithm="${SIG_RSA_SHA1_URI}"/>` +
      '</ds:SignedInfo></ds:Signature></samlp:Extensions>';
    expect(await codeWith(edited((xml) => xml.replace('<samlp:Status>', `${stray}<samlp:Status>`)))).toBe(
      'algorithm_forbidden',
    );
  });

  it('SHA-2 beyond SHA-256 is accepted (RSA-SHA512 over SHA-512, RSA-PSS with SHA-256)', async () => {
    const pss = { signature: 'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1' };
    expect(await codeWith(response({ assertionAlgorithms: pss }))).toBe('accepted');
    const strong = { signature: SIG_RSA_SHA512_URI, digest: DIGEST_SHA512_URI };
    expect(
      await codeWith(response({ sign: 'both', assertionAlgorithms: strong, responseAlgorithms: strong })),
    ).toBe('accepted');
  });
});

describe("the method's allowSha1 opt-in lets a legacy IdP through, and nothing weaker", () => {
  it('accepts RSA-SHA1 / SHA-1 at both levels when allowSha1 is on', async () => {
    const legacy = response({ sign: 'both', assertionAlgorithms: SHA1_BOTH, responseAlgorithms: SHA1_BOTH });
    expect(await codeWith(legacy, true)).toBe('accepted');
  });

  it('a SHA-1 signature that does not verify is still signature_invalid, not accepted', async () => {
    const tampered = response({
      assertionAlgorithms: SHA1_BOTH,
      afterSigning: (xml) => xml.replace('ada@example.com</saml:NameID>', 'eve@example.com</saml:NameID>'),
    });
    expect(await codeWith(tampered, true)).toBe('signature_invalid');
  });

  it.each([
    ['HMAC-SHA1', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1'],
    ['HMAC-SHA256', 'http://www.w3.org/2001/04/xmldsig-more#hmac-sha256'],
    ['DSA-SHA1', 'http://www.w3.org/2000/09/xmldsig#dsa-sha1'],
    ['DSA-SHA256', 'http://www.w3.org/2009/xmldsig11#dsa-sha256'],
    ['RSA-MD5', 'http://www.w3.org/2001/04/xmldsig-more#rsa-md5'],
    ['ECDSA-SHA1', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1'],
    // sound, but not verifiable by the SP's verifier, so not offered in its metadata either
    ['ECDSA-SHA256', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256'],
    ['RSA-SHA384', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384'],
  ])('SignatureMethod %s is refused with or without allowSha1', async (_name, algorithm) => {
    const swapped = edited((xml) =>
      xml.replace(/(<ds:SignatureMethod Algorithm=")[^"]+"/, `$1${algorithm}"`),
    );
    expect(await codeWith(swapped)).toBe('algorithm_forbidden');
    expect(await codeWith(swapped, true)).toBe('algorithm_forbidden');
  });

  it('an MD5 digest is refused with or without allowSha1', async () => {
    const md5 = edited((xml) =>
      xml.replace(/(<ds:DigestMethod Algorithm=")[^"]+"/, '$1http://www.w3.org/2001/04/xmldsig-more#md5"'),
    );
    expect(await codeWith(md5, true)).toBe('algorithm_forbidden');
  });
});

describe('transforms and canonicalisation: enveloped-signature and exclusive c14n only', () => {
  const extraTransform = (algorithm: string, body = ''): string =>
    edited((xml) =>
      xml.replace(
        '</ds:Transforms>',
        `<ds:Transform Algorithm="${algorithm}">${body}</ds:Transform></ds:Transforms>`,
      ),
    );

  it.each([
    [
      'XPath',
      'http://www.w3.org/TR/1999/REC-xpath-19991116',
      '<ds:XPath>not(ancestor-or-self::saml:NameID)</ds:XPath>',
    ],
    ['XPath Filter 2.0', 'http://www.w3.org/2002/06/xmldsig-filter2', ''],
    ['XSLT', 'http://www.w3.org/TR/1999/REC-xslt-19991116', ''],
    ['exclusive c14n with comments', 'http://www.w3.org/2001/10/xml-exc-c14n#WithComments', ''],
    ['inclusive c14n', 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315', ''],
    ['base64', 'http://www.w3.org/2000/09/xmldsig#base64', ''],
  ])('a %s Transform → algorithm_forbidden', async (_name, algorithm, body) => {
    expect(await codeWith(extraTransform(algorithm, body), true)).toBe('algorithm_forbidden');
  });

  it('SignedInfo canonicalised WithComments → algorithm_forbidden', async () => {
    const withComments = edited((xml) =>
      xml.replace(
        `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}"`,
        `<ds:CanonicalizationMethod Algorithm="${EXC_C14N}WithComments"`,
      ),
    );
    expect(await codeWith(withComments)).toBe('algorithm_forbidden');
  });

  it('a SignatureMethod without an Algorithm → algorithm_forbidden', async () => {
    expect(await codeWith(edited((xml) => xml.replace(/ Algorithm="[^"]+#rsa-sha256"/, '')))).toBe(
      'algorithm_forbidden',
    );
  });
});

describe('WantAssertionsSigned="true" is enforced: the assertion carries its own valid signature', () => {
  it('the SP metadata promises it, and a validly signed Response around an unsigned assertion is refused', async () => {
    const metadata = buildSpMetadata(endpoints, {});
    expect(metadata).toMatch(/<md:SPSSODescriptor[^>]* WantAssertionsSigned="true"/);
    expect(await codeWith(response({ sign: 'response' }))).toBe('unsigned_assertion');
  });

  it("an assertion signature that references another element (the Response's ID, or the whole document)", async () => {
    const toResponse = edited((xml) => {
      const responseId = /<samlp:Response [^>]*ID="([^"]+)"/.exec(xml)?.[1] ?? '';
      return xml.replace(/<ds:Reference URI="#[^"]+"/, `<ds:Reference URI="#${responseId}"`);
    });
    expect(await codeWith(toResponse)).toBe('signature_invalid');
    const wholeDocument = edited((xml) => xml.replace(/<ds:Reference URI="#[^"]+"/, '<ds:Reference URI=""'));
    expect(await codeWith(wholeDocument)).toBe('signature_invalid');
  });

  it('a broken assertion signature inside a Response whose own signature is valid', async () => {
    const broken = response({
      sign: 'both',
      // the Response is signed over the damaged assertion signature, so only the assertion's own check can fail
      beforeResponseSigning: (xml) =>
        xml.replace(
          /<ds:SignatureValue>(.)/,
          (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`,
        ),
    });
    expect(await codeWith(broken)).toBe('signature_invalid');
  });

  it('two signatures on the assertion → signature_invalid', async () => {
    const doubled = edited((xml) => {
      const signature = /<ds:Signature[\s\S]*?<\/ds:Signature>/.exec(xml)?.[0] ?? '';
      return xml.replace(signature, signature + signature);
    });
    expect(await codeWith(doubled)).toBe('signature_invalid');
  });
});

describe('Issuer consistency (profiles 4.1.4.2): issuer_mismatch', () => {
  const OTHER = 'https://other-idp.invalid/metadata';

  it("the Response's Issuer differs from the signed assertion's (Response signature removed)", async () => {
    expect(await codeWith(response({ sign: 'assertion', responseIssuer: OTHER }))).toBe('issuer_mismatch');
  });

  it("the Response's Issuer differs while the Response is signed too", async () => {
    expect(await codeWith(response({ sign: 'both', responseIssuer: OTHER }))).toBe('issuer_mismatch');
  });

  it('a signed Response without an Issuer; an unsigned one may omit it', async () => {
    expect(await codeWith(response({ sign: 'both', responseIssuer: null }))).toBe('issuer_mismatch');
    expect(await codeWith(response({ sign: 'assertion', responseIssuer: null }))).toBe('accepted');
  });

  it('an Issuer with a Format other than the entity format; the entity format is accepted', async () => {
    expect(
      await codeWith(response({ issuerFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' })),
    ).toBe('issuer_mismatch');
    expect(
      await codeWith(response({ issuerFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity' })),
    ).toBe('accepted');
  });

  it('the assertion names the configured IdP, the method another: refused even though the key is pinned', async () => {
    const { validator } = testValidator({ idpEntityId: OTHER });
    expect(await refusalCode(validator.validate(response({ issuer: TEST_IDP_ENTITY_ID })))).toBe(
      'issuer_mismatch',
    );
  });
});
