// A tiny SP on @node-saml/node-saml 5 (an implementation independent of our signer), used only by the tests.
// saml-notes.md: node-saml checks signature/audience/time/InResponseTo; Destination, Recipient and replay are added here.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAML, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import express, { urlencoded } from 'express';
import {
  childElements,
  firstChild,
  NS_ASSERTION,
  NS_PROTOCOL,
  parseSamlXml,
} from '../../../protocol/saml/index.ts';

export function spFixture(
  name: 'sp-signing.key' | 'sp-signing.crt' | 'sp-encryption.key' | 'sp-encryption.crt',
): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export interface TestSpOptions {
  idpBaseUrl: string;
  idpCertPem: string;
  /** 'always' for SP-initiated only; 'ifPresent' to accept IdP-initiated responses too. */
  validateInResponseTo: 'always' | 'ifPresent';
  /** Sign AuthnRequests (and LogoutRequests) with the SP's key (redirect binding, RSA-SHA256). */
  signRequests?: boolean;
  /** Sign with this PEM key instead of the SP's own (to test a bad signature). */
  signingKeyOverride?: string;
  /** Publish an encryption key and decrypt EncryptedAssertions. */
  encryption?: boolean;
  /** Send AuthnRequests with the HTTP-POST binding (bindings 3.5): /login answers node-saml's auto-posting form. */
  postBinding?: boolean;
  /** With postBinding: DEFLATE the XML as node-saml does by default (bindings 3.5.4 says plain base64). */
  postDeflate?: boolean;
  /** Require the Response itself to be signed (node-saml's default true); false accepts a signed assertion alone. */
  wantResponseSigned?: boolean;
}

export interface TestSp {
  baseUrl: string;
  entityId: string;
  acsUrl: string;
  sloUrl: string;
  /** GET here to start an SP-initiated sign-in (`?force=1` for ForceAuthn, `?passive=1` for IsPassive). */
  loginUrl: string;
  logoutUrl: string;
  metadataXml(): string;
  close(): Promise<void>;
}

export interface SpSignInBody {
  ok: true;
  nameID: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  groups?: string | string[];
  sessionIndex?: string;
  relayState?: string;
  assertionId: string;
  authnInstant: string;
}

/** The Destination/Recipient/replay checks node-saml 5 leaves to its caller (upstream issues #405, #437). */
function extraChecks(xml: string, acsUrl: string, seenAssertionIds: Set<string>): string {
  const root = parseSamlXml(xml).documentElement;
  if (root === null || root.namespaceURI !== NS_PROTOCOL || root.localName !== 'Response')
    throw new Error('not a Response');
  if (root.getAttribute('Destination') !== acsUrl) throw new Error('Destination is not this ACS');
  const assertions = childElements(root, NS_ASSERTION, 'Assertion');
  const encrypted = childElements(root, NS_ASSERTION, 'EncryptedAssertion');
  if (assertions.length + encrypted.length !== 1) throw new Error('exactly one assertion expected');
  const assertion = assertions[0];
  if (assertion === undefined) return '';
  const subject = firstChild(assertion, NS_ASSERTION, 'Subject');
  const confirmation =
    subject === undefined ? undefined : firstChild(subject, NS_ASSERTION, 'SubjectConfirmation');
  const data =
    confirmation === undefined
      ? undefined
      : firstChild(confirmation, NS_ASSERTION, 'SubjectConfirmationData');
  if (data?.getAttribute('Recipient') !== acsUrl) throw new Error('Recipient is not this ACS');
  const id = assertion.getAttribute('ID') ?? '';
  if (seenAssertionIds.has(id)) throw new Error('assertion replayed');
  seenAssertionIds.add(id);
  const authn = firstChild(assertion, NS_ASSERTION, 'AuthnStatement');
  return `${id} ${authn?.getAttribute('AuthnInstant') ?? ''}`;
}

export async function startTestSp(options: TestSpOptions): Promise<TestSp> {
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const entityId = `${baseUrl}/metadata`;
  const acsUrl = `${baseUrl}/acs`;
  const sloUrl = `${baseUrl}/slo`;
  const signingKey = options.signRequests
    ? (options.signingKeyOverride ?? spFixture('sp-signing.key'))
    : undefined;
  const config: SamlConfig = {
    entryPoint: `${options.idpBaseUrl}/saml/sso`,
    logoutUrl: `${options.idpBaseUrl}/saml/slo`,
    issuer: entityId,
    callbackUrl: acsUrl,
    logoutCallbackUrl: sloUrl,
    idpCert: options.idpCertPem,
    audience: entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: options.wantResponseSigned ?? true,
    validateInResponseTo:
      options.validateInResponseTo === 'always'
        ? ValidateInResponseTo.always
        : ValidateInResponseTo.ifPresent,
    acceptedClockSkewMs: 0,
    signatureAlgorithm: 'sha256',
    privateKey: signingKey,
    authnRequestBinding: options.postBinding ? 'HTTP-POST' : 'HTTP-Redirect',
    skipRequestCompression: options.postBinding === true && options.postDeflate !== true,
    decryptionPvk: options.encryption ? spFixture('sp-encryption.key') : undefined,
  };
  const saml = new SAML(config);
  // One InResponseTo cache for every request flavour, so any of them can be answered.
  const forcing = new SAML({ ...config, forceAuthn: true, cacheProvider: saml.cacheProvider });
  const passive = new SAML({ ...config, passive: true, cacheProvider: saml.cacheProvider });
  const seenAssertionIds = new Set<string>();
  const spSessions = new Map<string, { nameID: string; nameIDFormat: string; sessionIndex?: string }>();

  app.get('/login', async (req, res) => {
    const which = req.query.force === '1' ? forcing : req.query.passive === '1' ? passive : saml;
    const relay = typeof req.query.relay === 'string' ? req.query.relay : '';
    if (options.postBinding) {
      res.type('html').send(await which.getAuthorizeFormAsync(relay, undefined, {}));
      return;
    }
    res.redirect(302, await which.getAuthorizeUrlAsync(relay, undefined, {}));
  });

  app.post('/acs', urlencoded({ extended: false, limit: '1mb' }), async (req, res) => {
    const body = req.body as Record<string, string>;
    try {
      const { profile } = await saml.validatePostResponseAsync(body);
      if (profile === null) throw new Error('no profile');
      const [assertionId = '', authnInstant = ''] = extraChecks(
        Buffer.from(body.SAMLResponse ?? '', 'base64').toString('utf8'),
        acsUrl,
        seenAssertionIds,
      ).split(' ');
      const sid = randomUUID();
      spSessions.set(sid, {
        nameID: profile.nameID,
        nameIDFormat: profile.nameIDFormat,
        sessionIndex: profile.sessionIndex,
      });
      res.append('set-cookie', `sp_session=${sid}; Path=/; HttpOnly; SameSite=Lax`);
      const result: SpSignInBody = {
        ok: true,
        nameID: profile.nameID,
        email: profile.email as string | undefined,
        firstName: profile.firstName as string | undefined,
        lastName: profile.lastName as string | undefined,
        groups: profile.groups as string | string[] | undefined,
        sessionIndex: profile.sessionIndex,
        relayState: body.RelayState,
        assertionId,
        authnInstant,
      };
      res.json(result);
    } catch (error) {
      res.status(401).json({ ok: false, code: 'saml_rejected', message: (error as Error).message });
    }
  });

  app.get('/logout', async (req, res) => {
    const sid = /sp_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const user = sid === undefined ? undefined : spSessions.get(sid);
    if (user === undefined) {
      res.status(401).json({ ok: false, code: 'no_sp_session' });
      return;
    }
    spSessions.delete(sid ?? '');
    const url = await saml.getLogoutUrlAsync(
      {
        issuer: options.idpBaseUrl,
        nameID: user.nameID,
        nameIDFormat: user.nameIDFormat,
        sessionIndex: user.sessionIndex,
      },
      '',
      {},
    );
    res.redirect(302, url);
  });

  app.get('/slo', async (req, res) => {
    const q = req.originalUrl.indexOf('?');
    try {
      const result = await saml.validateRedirectAsync(req.query, req.originalUrl.slice(q + 1));
      if (typeof req.query.SAMLRequest === 'string' && result.profile !== null) {
        // The IdP asks us to log out (profiles 4.4.4.1): drop the SP session and answer with a LogoutResponse.
        const profile = result.profile;
        for (const [sid, user] of spSessions) if (user.nameID === profile.nameID) spSessions.delete(sid);
        const relay = typeof req.query.RelayState === 'string' ? req.query.RelayState : '';
        res.redirect(302, await saml.getLogoutResponseUrlAsync(profile, relay, {}, true));
        return;
      }
      res.json({ ok: true, loggedOut: result.loggedOut });
    } catch (error) {
      res.status(401).json({ ok: false, code: 'slo_rejected', message: (error as Error).message });
    }
  });

  app.get('/me', (req, res) => {
    const sid = /sp_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const user = sid === undefined ? undefined : spSessions.get(sid);
    if (user === undefined) res.status(401).json({ ok: false, code: 'no_sp_session' });
    else res.json({ ok: true, nameID: user.nameID });
  });

  app.get('/metadata', (_req, res) => {
    res.type('application/xml').send(saml.generateServiceProviderMetadata(null));
  });

  const metadataXml = (): string =>
    saml.generateServiceProviderMetadata(
      options.encryption ? spFixture('sp-encryption.crt') : null,
      options.signRequests ? spFixture('sp-signing.crt') : null,
    );

  return {
    baseUrl,
    entityId,
    acsUrl,
    sloUrl,
    loginUrl: `${baseUrl}/login`,
    logoutUrl: `${baseUrl}/logout`,
    metadataXml,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
