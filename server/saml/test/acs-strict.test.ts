// The reference server's ACS over loopback for the strict-SP classes of idsim issue #10 (SHA-1 and unsafe algorithms,
// WantAssertionsSigned, Issuer consistency): each refused with its code as a page and as JSON, with no session cookie
// and nothing written; the method's allowSha1 set through the control API lets a SHA-1 IdP in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';
import { postForm } from '../../signin/test/harness.ts';
import { spEndpoints } from '../sp-endpoints.ts';
import {
  addTestIdpTeam,
  buildTestResponse,
  DIGEST_SHA1_URI,
  SIG_RSA_SHA1_URI,
  TEST_IDP_CERT,
  TEST_IDP_ENTITY_ID,
  type TestResponseOptions,
} from './test-idp.ts';

const TOKEN = 'acs-strict-token';
let server: ServerHandle;
let teamId: string;
let ownerId: string;
let methodId: string;

beforeAll(async () => {
  server = createServer({ controlToken: TOKEN, logger: silentLogger });
  await server.listen();
  ({ teamId, ownerId, methodId } = addTestIdpTeam(server.service, { name: 'Strict' }));
});

afterAll(async () => {
  await server.close();
});

function samlResponse(email: string, options: Partial<TestResponseOptions> = {}): string {
  const endpoints = spEndpoints(server.urls.base, methodId);
  return buildTestResponse({ acsUrl: endpoints.acsUrl, audience: endpoints.entityId, email, ...options });
}

const acs = (): string => `${server.urls.base}/saml/${methodId}/acs`;
const SHA1 = { signature: SIG_RSA_SHA1_URI, digest: DIGEST_SHA1_URI };

const classes: [string, Partial<TestResponseOptions>, string][] = [
  ['RSA-SHA1 over SHA-1', { assertionAlgorithms: SHA1 }, 'algorithm_forbidden'],
  [
    'RSA-SHA256 over a SHA-1 digest',
    { assertionAlgorithms: { digest: DIGEST_SHA1_URI } },
    'algorithm_forbidden',
  ],
  ['a Response signed with SHA-1', { sign: 'both', responseAlgorithms: SHA1 }, 'algorithm_forbidden'],
  [
    'an XPath transform',
    {
      afterSigning: (xml) =>
        xml.replace(
          '</ds:Transforms>',
          '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"><ds:XPath>1</ds:XPath></ds:Transform></ds:Transforms>',
        ),
    },
    'algorithm_forbidden',
  ],
  [
    'an HMAC SignatureMethod',
    {
      afterSigning: (xml) =>
        xml.replace(
          /(<ds:SignatureMethod Algorithm=")[^"]+"/,
          '$1http://www.w3.org/2000/09/xmldsig#hmac-sha1"',
        ),
    },
    'algorithm_forbidden',
  ],
  ['an unsigned assertion in a signed Response', { sign: 'response' }, 'unsigned_assertion'],
  [
    'a Response Issuer other than the signed assertion’s',
    { responseIssuer: 'https://attacker.invalid/idp' },
    'issuer_mismatch',
  ],
  [
    'an Issuer in the email format',
    { issuerFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress' },
    'issuer_mismatch',
  ],
];

describe('the ACS refuses the strict-SP classes: page + JSON code, no cookie, nothing written', () => {
  it.each(classes)('%s → %s', async (name, options, code) => {
    const email = `strict-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}@strict.example`;
    const auditBefore = server.service.listAuditEvents().length;
    const membersBefore = server.service.listMembers(teamId).length;
    const asJson = await postForm(acs(), { SAMLResponse: samlResponse(email, options) }, { json: true });
    expect(asJson.status).toBe(401);
    expect(asJson.headers.get('set-cookie')).toBeNull();
    expect(((await asJson.json()) as { code: string }).code).toBe(code);
    const asPage = await postForm(acs(), { SAMLResponse: samlResponse(email, options) });
    expect(asPage.status).toBe(401);
    expect(asPage.headers.get('set-cookie')).toBeNull();
    expect(asPage.headers.get('content-type')).toContain('text/html');
    const page = await asPage.text();
    expect(page).toContain(`data-error-code="${code}"`);
    expect(page).not.toMatch(/node_modules|at .*\.ts:\d+/);
    expect(server.service.findAccountByEmail(email)).toBeNull();
    expect(server.service.listMembers(teamId).length).toBe(membersBefore);
    expect(server.service.listAuditEvents().length).toBe(auditBefore);
  });

  it('what the SP metadata promises (WantAssertionsSigned="true") is what the ACS enforces', async () => {
    const metadata = await fetch(`${server.urls.base}/saml/${methodId}/metadata`).then((r) => r.text());
    expect(metadata).toMatch(/<md:SPSSODescriptor[^>]* WantAssertionsSigned="true"/);
    // algsupport 2.3: the signing and digest methods published are those the ACS accepts (no SHA-1 by default)
    expect(metadata).toContain(
      '<alg:SigningMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>',
    );
    expect(metadata).toContain('<alg:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>');
    expect(metadata).not.toContain(SIG_RSA_SHA1_URI);
    expect(metadata).not.toContain(DIGEST_SHA1_URI);
    const responseOnly = await postForm(
      acs(),
      { SAMLResponse: samlResponse('promise@strict.example', { sign: 'response' }) },
      { json: true },
    );
    expect(((await responseOnly.json()) as { code: string }).code).toBe('unsigned_assertion');
    const both = await postForm(acs(), {
      SAMLResponse: samlResponse('promise@strict.example', { sign: 'both' }),
    });
    expect(both.status).toBe(303);
    expect(both.headers.get('set-cookie')).toContain('idsim_sp_session=');
  });
});

describe("the method's allowSha1, set through the control API, lets a legacy SHA-1 IdP in", () => {
  async function patchSaml(saml: Record<string, unknown>): Promise<Response> {
    return fetch(`${server.urls.base}/control/v1/teams/${teamId}/auth-methods/${methodId}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'x-idsim-actor': ownerId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ saml }),
    });
  }
  const connection = {
    idpEntityId: TEST_IDP_ENTITY_ID,
    idpSsoUrl: 'https://idp.test.invalid/sso',
    idpCertificates: [TEST_IDP_CERT],
  };

  it('off by default; on, a SHA-1 Response signs in; a non-boolean is a 400', async () => {
    const legacy = () =>
      samlResponse('legacy@strict.example', {
        sign: 'both',
        assertionAlgorithms: SHA1,
        responseAlgorithms: SHA1,
      });
    const refused = await postForm(acs(), { SAMLResponse: legacy() }, { json: true });
    expect(((await refused.json()) as { code: string }).code).toBe('algorithm_forbidden');

    expect((await patchSaml({ ...connection, allowSha1: 'yes' })).status).toBe(400);
    const patched = await patchSaml({ ...connection, allowSha1: true });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { saml: { allowSha1?: boolean } }).saml.allowSha1).toBe(true);
    try {
      const metadata = await fetch(`${server.urls.base}/saml/${methodId}/metadata`).then((r) => r.text());
      expect(metadata).toContain(`<alg:SigningMethod Algorithm="${SIG_RSA_SHA1_URI}"/>`);
      expect(metadata).toContain(`<alg:DigestMethod Algorithm="${DIGEST_SHA1_URI}"/>`);
      const accepted = await postForm(acs(), { SAMLResponse: legacy() });
      expect(accepted.status).toBe(303);
      expect(accepted.headers.get('set-cookie')).toContain('idsim_sp_session=');
      expect(server.service.findAccountByEmail('legacy@strict.example')).not.toBeNull();
    } finally {
      expect((await patchSaml(connection)).status).toBe(200);
    }
    const again = await postForm(
      acs(),
      { SAMLResponse: samlResponse('legacy2@strict.example', { assertionAlgorithms: SHA1 }) },
      { json: true },
    );
    expect(((await again.json()) as { code: string }).code).toBe('algorithm_forbidden');
  });
});
