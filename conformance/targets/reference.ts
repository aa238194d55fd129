// The default target: the reference server (server/http/app.ts) started in-process on 127.0.0.1:0 per scenario, with
// a fresh :memory: store, driven over real HTTP exactly as any other target (design.md "The target contract").
import { readFile } from 'node:fs/promises';
import { createServer } from '../../server/http/app.ts';
import { silentLogger } from '../../server/http/logger.ts';
import { createHttpControlDriver } from '../control-http.ts';
import { createOidcDriver } from '../oidc-http.ts';
import { openEmailLinkVia, passwordSignInVia, postSamlResponse, signUpVia } from '../saml-http.ts';
import { createHttpScimDriver } from '../scim-http.ts';
import { provisionScimTenant } from '../scim-tenant.ts';
import type { Capability, SamlDriver, ScimDriver, TargetFactory, TranscriptSink } from '../target.ts';

const CONTROL_TOKEN = 'idsim-conformance-control-token';
const IDP_CERT_FILE = new URL('../../simulator/saml/fixtures/idp-signing.crt', import.meta.url);

function referenceSamlDriver(baseUrl: string, record: TranscriptSink): SamlDriver {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    spEntityId: `${base}/saml`,
    acsUrl: (methodId) => `${base}/saml/${methodId ?? 'default'}/acs`,
    // server/saml/sp-endpoints.ts: the entity ID of a method is its metadata URL
    audience: (methodId) => `${base}/saml/${methodId ?? 'default'}/metadata`,
    // server/http/saml-router.ts: GET /saml/:methodId/login starts an SP-initiated sign-in
    loginUrl: (methodId) => `${base}/saml/${methodId ?? 'default'}/login`,
    postResponse: (url, samlResponse, relayState) =>
      postSamlResponse(record, url, samlResponse, relayState, 'auto', 'error'),
    inviteUrl: (token) => `${base}/invites/${encodeURIComponent(token)}`,
    // server/http/signin-router.ts: POST /login (personal) and POST /teams/:teamId/login
    passwordSignIn: passwordSignInVia(
      { personalUrl: `${base}/login`, teamUrl: `${base}/teams/{teamId}/login` },
      record,
      'auto',
      'error',
    ),
    // server/http/signin-router.ts: POST /signup (PRV-10, SSO-02)
    signUp: signUpVia(`${base}/signup`, record, 'auto', 'error'),
    // GET /signup/confirm?token=... from the outbox (PRV-10, SSO-02: a verified domain confirms the address first)
    openEmailLink: openEmailLinkVia(record, 'auto', 'error'),
    // POST /forgot-password (field email); the link lands in GET /control/v1/outbox (JIT-07)
    forgotPasswordUrl: `${base}/forgot-password`,
    // server/http/signin-router.ts: GET /:org/login (ORG-01)
    portalLoginUrl: (slug) => `${base}/${encodeURIComponent(slug)}/login`,
    // GET /teams/:teamId/login: the team's sign-in page, one "Sign in with SSO (<label>)" link per method (SSO-04)
    teamLoginUrl: (teamId) => `${base}/teams/${encodeURIComponent(teamId)}/login`,
  };
}

/** server/http/oidc-router.ts: one relying party per OIDC auth method; the steps choose its client. */
function referenceOidcDriver(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  const at = (methodId: string | undefined, leaf: string): string =>
    `${base}/oidc/${encodeURIComponent(methodId ?? 'default')}/${leaf}`;
  return createOidcDriver({
    loginUrl: (methodId) => at(methodId, 'login'),
    redirectUri: (methodId) => at(methodId, 'callback'),
    postLogoutRedirectUri: (methodId) => at(methodId, 'signed-out'),
    client: null,
    issuerPort: null,
    outcome: { mode: 'auto', errorParam: 'error' },
  });
}

export function createReferenceTargetFactory(name = 'reference server'): TargetFactory {
  const capabilities: ReadonlySet<Capability> = new Set<Capability>(['scim', 'saml', 'control', 'oidc']);
  let idpCertificate: Promise<string> | null = null;
  return {
    name,
    capabilities,
    async open(record) {
      // A fresh :memory: store per scenario; the SAML SP and sign-in pages are mounted by default.
      const server = createServer({
        host: '127.0.0.1',
        port: 0,
        dbPath: ':memory:',
        controlToken: CONTROL_TOKEN,
        logger: silentLogger,
      });
      await server.listen();
      const urls = server.urls;
      const control = createHttpControlDriver({ baseUrl: urls.control, token: CONTROL_TOKEN, record });
      let scim: ScimDriver | null = null;
      return {
        name,
        capabilities,
        control,
        saml: referenceSamlDriver(urls.base, record),
        oidc: referenceOidcDriver(urls.base),
        async openScim() {
          if (scim === null) {
            idpCertificate ??= readFile(IDP_CERT_FILE, 'utf8');
            const tenant = await provisionScimTenant(control, await idpCertificate);
            scim = createHttpScimDriver(urls.scim, tenant.key, record);
          }
          return scim;
        },
        scimWithKey: (key) => createHttpScimDriver(urls.scim, key, record),
        close: () => server.close(),
      };
    },
  };
}
