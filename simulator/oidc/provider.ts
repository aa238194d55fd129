// The simulator's OpenID Connect provider: panva's oidc-provider over the same directory, apps and IdP sessions.
// OIDC core 1.0 (3.1 code flow, 3.1.2.1 prompt/max_age, 5.1 claims), RFC 7636 (PKCE), RP-Initiated Logout 1.0; JIT-08.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type AccountClaims, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { escapeHtml } from '../../protocol/html/escape.ts';
import {
  checkPassword,
  type Directory,
  DirectoryError,
  type OidcApp,
  type Person,
} from '../directory/index.ts';
import type { SessionStore } from '../saml/session.ts';
import { OidcMemoryStore, oidcAdapterFactory } from './adapter.ts';
import { applyTokenFaults, type OidcFaultId, stateFault } from './faults.ts';
import { OidcKeySet } from './keys.ts';

/** Okta's custom authorization server "default": every OIDC path lives under it. */
export const OIDC_MOUNT_PATH = '/oauth2/default';
/** Where oidc-provider sends the browser when it needs a login or consent (our pages, not its dev interactions). */
export const OIDC_INTERACTION_PATH = `${OIDC_MOUNT_PATH}/interaction`;

export interface OidcProviderOptions {
  directory: Directory;
  /** The SAML IdP's sessions: one sign-in serves both protocols (and ends for both). */
  sessions: SessionStore;
  now: () => Date;
  /** The simulator's base URL, known once it listens. */
  baseUrl: () => string;
  idTokenTtlSeconds?: number | undefined;
  sessionTtlMs: number;
}

/** A record of one token response (the `/api/oidc/tokens` log): what was sent to which app, and its faults. */
export interface IssuedIdToken {
  appId: string;
  clientId: string;
  personId: string | undefined;
  idToken: string;
  faults: OidcFaultId[];
  issuedAt: string;
}

/** What the interaction page decided (the HTTP layer renders it; `finished` means oidc-provider wrote the answer). */
export type InteractionOutcome =
  | { kind: 'login-form'; status: number; action: string; error?: string | undefined }
  | { kind: 'refused'; status: number; code: string; message: string }
  | { kind: 'finished' };

const ISSUED_LOG_LIMIT = 200;

/** Okta's claims by scope (Okta "Scopes and claims"); `groups` is what a groups claim filter returns. */
const CLAIMS_BY_SCOPE: Configuration['claims'] = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'zoneinfo', 'locale', 'updated_at'],
  groups: ['groups'],
};

export class OidcProvider {
  readonly keys = new OidcKeySet();
  readonly #options: OidcProviderOptions;
  readonly #store = new OidcMemoryStore();
  /** oidc-provider signs its cookies with these; kept across provider rebuilds (key rotation). */
  readonly #cookieKeys = [randomBytes(32).toString('base64url')];
  readonly #armed = new Map<string, OidcFaultId[]>();
  readonly #issued: IssuedIdToken[] = [];
  #provider: Provider | undefined;
  #issuer: string | undefined;

  constructor(options: OidcProviderOptions) {
    this.#options = options;
  }

  get issuer(): string {
    return `${this.#options.baseUrl()}${OIDC_MOUNT_PATH}`;
  }

  get directory(): Directory {
    return this.#options.directory;
  }

  /** The oidc-provider instance for the current issuer and keys (built on first use, once the port is known). */
  get provider(): Provider {
    const issuer = this.issuer;
    if (this.#provider === undefined || this.#issuer !== issuer) {
      this.#provider = this.#build(issuer);
      this.#issuer = issuer;
    }
    return this.#provider;
  }

  /** OIDC core 10.1.1: a new signing key; the old one stays in the JWKS unless `keepPrevious` is false. */
  rotateKeys(keepPrevious = true): { kid: string } {
    const key = this.keys.rotate(keepPrevious);
    this.#provider = undefined;
    return { kid: key.kid };
  }

  /** The next token response (or authorization response, for `state-mismatch`) to this app carries these faults. */
  armFaults(appId: string, faults: OidcFaultId[]): void {
    const app = this.directory.getApp(appId);
    if (app.oidc === undefined)
      throw new DirectoryError('invalid_input', `app ${app.name} offers no OIDC client`);
    this.#armed.set(appId, [...faults]);
  }

  /** Most recent first. */
  issuedTokens(): IssuedIdToken[] {
    return [...this.#issued].reverse();
  }

  // ---- the interaction pages (login, automatic consent, assignment check) ----

  /**
   * GET /oauth2/default/interaction/{uid}: the IdP session (shared with SAML) answers unless the request asks for a
   * fresh login: OIDC core 3.1.2.1 `prompt=login`, or `max_age` older than the session's authentication.
   */
  async interaction(
    req: IncomingMessage,
    res: ServerResponse,
    idpSessionId: string | undefined,
  ): Promise<InteractionOutcome> {
    const details = await this.provider.interactionDetails(req, res);
    const session = this.#options.sessions.get(idpSessionId);
    const person = session === undefined ? undefined : this.directory.getPerson(session.personId);
    const prompts = String(details.params.prompt ?? '').split(' ');
    const maxAge = details.params.max_age === undefined ? undefined : Number(details.params.max_age);
    const now = this.#options.now().getTime();
    const fresh =
      session !== undefined &&
      person?.status === 'active' &&
      !prompts.includes('login') &&
      (maxAge === undefined || now - session.authnInstant.getTime() <= maxAge * 1000);
    if (!fresh || session === undefined) {
      if (prompts.includes('none')) {
        await this.provider.interactionFinished(
          req,
          res,
          { error: 'login_required', error_description: 'the person must sign in' },
          { mergeWithLastSubmission: false },
        );
        return { kind: 'finished' };
      }
      return { kind: 'login-form', status: 200, action: this.#loginAction(details.uid) };
    }
    return this.#finish(req, res, details, session.id, session.personId, session.authnInstant);
  }

  /** POST /oauth2/default/interaction/{uid}/login: the IdP password; a new IdP session for both protocols. */
  async login(
    req: IncomingMessage,
    res: ServerResponse,
    form: { login: string; password: string },
    onSession: (idpSessionId: string) => void,
  ): Promise<InteractionOutcome> {
    const details = await this.provider.interactionDetails(req, res);
    const checked = checkPassword(this.directory, form.login, form.password);
    if (checked.kind === 'refused') {
      return {
        kind: 'login-form',
        status: checked.code === 'invalid_credentials' ? 401 : 403,
        action: this.#loginAction(details.uid),
        error: checked.code,
      };
    }
    const session = this.#options.sessions.create(checked.person.id);
    onSession(session.id);
    return this.#finish(req, res, details, session.id, checked.person.id, session.authnInstant);
  }

  async #finish(
    req: IncomingMessage,
    res: ServerResponse,
    details: Awaited<ReturnType<Provider['interactionDetails']>>,
    sessionId: string,
    personId: string,
    authnInstant: Date,
  ): Promise<InteractionOutcome> {
    const clientId = String(details.params.client_id ?? '');
    const app = this.directory.findAppByClientId(clientId);
    const person = this.directory.getPerson(personId);
    if (app === undefined) {
      return {
        kind: 'refused',
        status: 400,
        code: 'unknown_client',
        message: `no app has client_id ${clientId}`,
      };
    }
    // JIT-08 / ORG-06: only people assigned to the app (directly or through a group) get a token, as for SAML.
    if (!this.directory.isAssigned(app, person)) {
      return {
        kind: 'refused',
        status: 403,
        code: 'not_assigned',
        message: `${person.login} is not assigned to the app ${app.name}`,
      };
    }
    this.#options.sessions.addParticipant(sessionId, app.id);
    // Consent is automatic (an Okta admin-approved app): every requested scope and claim is granted.
    const grant = new this.provider.Grant({ accountId: person.id, clientId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await this.provider.interactionFinished(
      req,
      res,
      {
        login: { accountId: person.id, ts: Math.floor(authnInstant.getTime() / 1000), amr: ['pwd'] },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
    return { kind: 'finished' };
  }

  #loginAction(uid: string): string {
    return `${OIDC_INTERACTION_PATH}/${encodeURIComponent(uid)}/login`;
  }

  /** The person's claims for an app (Okta-shaped: `sub` is the Okta user id; `groups` filtered per app). */
  #claims(person: Person, app: OidcApp | undefined, scope: string): AccountClaims {
    const scopes = new Set(scope.split(' '));
    const claims: AccountClaims = { sub: person.id };
    if (scopes.has('email')) {
      claims.email = person.email;
      claims.email_verified = true;
    }
    if (scopes.has('profile')) {
      claims.name = `${person.firstName} ${person.lastName}`;
      claims.given_name = person.firstName;
      claims.family_name = person.lastName;
      claims.preferred_username = person.login;
    }
    if (scopes.has('groups')) {
      const filter = app?.oidc.groupsFilter === undefined ? undefined : new RegExp(app.oidc.groupsFilter);
      claims.groups = this.directory
        .groupsOf(person.id)
        .map((g) => g.name)
        .filter((name) => filter === undefined || filter.test(name));
    }
    return claims;
  }

  #record(entry: IssuedIdToken): void {
    this.#issued.push(entry);
    if (this.#issued.length > ISSUED_LOG_LIMIT) this.#issued.shift();
  }

  #takeFaults(clientId: string, forState: boolean): OidcFaultId[] {
    const app = this.directory.findAppByClientId(clientId);
    if (app === undefined) return [];
    const armed = this.#armed.get(app.id) ?? [];
    // state-mismatch acts on the authorization response; the others wait for the token response.
    const mine = armed.filter((f) => (f === 'state-mismatch') === forState);
    const rest = armed.filter((f) => (f === 'state-mismatch') !== forState);
    if (rest.length === 0) this.#armed.delete(app.id);
    else this.#armed.set(app.id, rest);
    return mine;
  }

  #build(issuer: string): Provider {
    const directory = this.directory;
    const claimsOf = (person: Person, app: OidcApp | undefined, scope: string) =>
      this.#claims(person, app, scope);
    const configuration: Configuration = {
      adapter: oidcAdapterFactory(this.#store, directory),
      jwks: { keys: this.keys.published.map((k) => k.privateJwk) },
      cookies: {
        keys: this.#cookieKeys,
        long: { signed: true, sameSite: 'lax' },
        short: { signed: true, sameSite: 'lax' },
      },
      claims: CLAIMS_BY_SCOPE,
      scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
      // Okta puts the scope's claims in the ID token too, not only at userinfo (OIDC core 5.4 allows either).
      conformIdTokenClaims: false,
      responseTypes: ['code'],
      pkce: { required: () => true },
      clientDefaults: {
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        id_token_signed_response_alg: 'RS256',
      },
      async findAccount(ctx, sub) {
        let person: Person;
        try {
          person = directory.getPerson(sub);
        } catch {
          return undefined;
        }
        const app = directory.findAppByClientId(ctx.oidc.client?.clientId ?? '');
        return { accountId: sub, claims: async (_use, scope) => claimsOf(person, app, scope) };
      },
      // Every authorization passes our interaction page: it checks the shared IdP session and the assignment.
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId;
        return grantId === undefined ? undefined : ctx.oidc.provider.Grant.find(grantId);
      },
      interactions: { url: (_ctx, interaction) => `${OIDC_INTERACTION_PATH}/${interaction.uid}` },
      features: {
        devInteractions: { enabled: false },
        rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
        revocation: { enabled: true },
        introspection: { enabled: true },
      },
      // Okta's custom authorization server paths (/oauth2/default/v1/...).
      routes: {
        authorization: '/v1/authorize',
        token: '/v1/token',
        jwks: '/v1/keys',
        userinfo: '/v1/userinfo',
        end_session: '/v1/logout',
        revocation: '/v1/revoke',
        introspection: '/v1/introspect',
      },
      ttl: {
        IdToken: this.#options.idTokenTtlSeconds ?? 3600,
        AccessToken: 3600,
        AuthorizationCode: 60,
        Interaction: 600,
        Grant: Math.floor(this.#options.sessionTtlMs / 1000),
        Session: Math.floor(this.#options.sessionTtlMs / 1000),
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = errorPage(String(out.error ?? 'server_error'), String(out.error_description ?? ''));
      },
    };
    const provider = new Provider(issuer, configuration);
    // Behind a TLS-terminating proxy (an https publicBaseUrl) oidc-provider must trust X-Forwarded-Proto to set
    // Secure cookies; on plain loopback it trusts no forwarded header.
    provider.proxy = issuer.startsWith('https:');
    provider.use(async (ctx, next) => {
      await next();
      await this.#afterResponse(ctx as KoaContextWithOIDC);
    });
    return provider;
  }

  /** Records every token response and applies armed faults to it (and `state-mismatch` to the redirect). */
  async #afterResponse(ctx: KoaContextWithOIDC): Promise<void> {
    const route = ctx.oidc?.route;
    if (route === 'token' && ctx.status === 200 && typeof ctx.body === 'object' && ctx.body !== null) {
      const body = ctx.body as Record<string, unknown>;
      const clientId = ctx.oidc.client?.clientId ?? '';
      const app = this.directory.findAppByClientId(clientId);
      if (typeof body.id_token !== 'string' || app === undefined) return;
      const faults = this.#takeFaults(clientId, false);
      if (faults.includes('jwks-rotation')) this.rotateKeys(false);
      if (faults.length > 0) {
        body.id_token = await applyTokenFaults(body.id_token, faults, {
          keys: this.keys,
          accessToken: typeof body.access_token === 'string' ? body.access_token : undefined,
          now: this.#options.now(),
        });
      }
      this.#record({
        appId: app.id,
        clientId,
        personId: ctx.oidc.entities.AuthorizationCode?.accountId,
        idToken: String(body.id_token),
        faults,
        issuedAt: this.#options.now().toISOString(),
      });
      return;
    }
    if ((route === 'authorization' || route === 'resume') && ctx.status >= 300 && ctx.status < 400) {
      const location = ctx.response.get('location');
      const clientId = ctx.oidc.client?.clientId ?? '';
      if (location === '' || !location.includes('code=')) return;
      const faults = this.#takeFaults(clientId, true);
      if (faults.length > 0) ctx.redirect(stateFault(location));
    }
  }
}

function errorPage(code: string, description: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · idsim IdP</title></head>` +
    `<body data-error-code="${escapeHtml(code)}"><h1>Sign-in refused</h1><p>${escapeHtml(description)}</p>` +
    `<p>Error code: <code id="error-code">${escapeHtml(code)}</code></p></body></html>`
  );
}

/** RP-Initiated Logout 1.0 section 2: no confirmation question; the form posts itself (the headless client too). */
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1] ?? '';
  ctx.type = 'html';
  ctx.body =
    '<!doctype html><html><head><meta charset="utf-8"><title>Signing out…</title></head>' +
    '<body onload="document.forms[0].submit()">' +
    `<form method="post" action="${action}" data-idsim-form="auto-post">` +
    `<input type="hidden" name="xsrf" value="${xsrf}"><input type="hidden" name="logout" value="yes">` +
    '<noscript><button type="submit">Sign out</button></noscript></form></body></html>';
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body =
    '<!doctype html><html><head><meta charset="utf-8"><title>Signed out · idsim IdP</title></head>' +
    '<body data-signed-out="true"><h1>Signed out</h1><p>You are signed out of the IdP.</p></body></html>';
}
