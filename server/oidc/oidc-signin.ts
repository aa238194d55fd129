// Team and portal sign-in over OpenID Connect: start (authorization request bound to this browser by a cookie), the
// callback (a validated ID token becomes a VerifiedIdentity for SignInService.completeSso) and RP-initiated logout.
// OIDC core 3.1.2.1, 3.1.2.7, 5.1 (email, email_verified, given_name, family_name); RFC 6749 10.12; JIT-*, ORG-*.

import { randomBytes } from 'node:crypto';
import type { AuthMethodView, OidcConnectionView } from '../control/port.ts';
import { SignInError } from '../signin/errors.ts';
import { safeLandingPath } from '../signin/landing-path.ts';
import type { AuthMethodDirectory, SignInPort } from '../signin/port.ts';
import type { SpSession } from '../signin/session.ts';
import type { SignInOutcome, SignInService } from '../signin/signin-service.ts';
import type { SsoPurpose, VerifiedIdentity } from '../signin/verified-identity.ts';
import { type OidcClientSettings, OidcRelyingParty } from './relying-party.ts';

/** The cookie that binds an authorization request to the browser that started it (RFC 6749 10.12, CSRF). */
export const OIDC_PENDING_COOKIE = 'idsim_oidc_pending';
const PENDING_TTL_MS = 10 * 60_000;

/** The directory reads OIDC needs: the method, the portal's method, and the client secret views never show. */
export interface OidcMethodDirectory extends AuthMethodDirectory {
  findOidcClientSecret(methodId: string): string | null;
}

interface PendingRequest {
  methodId: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  purpose: SsoPurpose;
  landingPath: string | null;
  expiresAtMs: number;
}

/** A redirect to the OP plus the cookie that remembers the request. */
export interface StartedRequest {
  location: string;
  pendingId: string;
}

export interface CallbackResult {
  outcome: SignInOutcome;
  /** set when the outcome sends the person back to the OP (ORG-04): the new request's cookie */
  pendingId: string | undefined;
}

type OidcMethod = AuthMethodView & { oidc: OidcConnectionView };

export class OidcSignIn {
  readonly rp: OidcRelyingParty;
  readonly #signIn: SignInService;
  readonly #directory: OidcMethodDirectory;
  readonly #organisations: Pick<SignInPort, 'getOrganisation'>;
  readonly #baseUrl: () => string;
  readonly #now: () => number;
  readonly #pending = new Map<string, PendingRequest>();

  constructor(options: {
    signIn: SignInService;
    directory: OidcMethodDirectory;
    organisations: Pick<SignInPort, 'getOrganisation'>;
    baseUrl: () => string;
    rp?: OidcRelyingParty;
    now?: () => number;
  }) {
    this.#signIn = options.signIn;
    this.#directory = options.directory;
    this.#organisations = options.organisations;
    this.#baseUrl = options.baseUrl;
    this.rp = options.rp ?? new OidcRelyingParty();
    this.#now = options.now ?? Date.now;
  }

  /** RFC 6265 4.1: the pending request's cookie, sent back only to the callback (Lax: a top-level GET from the OP). */
  pendingCookie(pendingId: string, secure: boolean): string {
    return `${OIDC_PENDING_COOKIE}=${pendingId}; Path=/oidc; HttpOnly; SameSite=Lax; Max-Age=${PENDING_TTL_MS / 1000}${secure ? '; Secure' : ''}`;
  }

  clearedPendingCookie(secure: boolean): string {
    return `${OIDC_PENDING_COOKIE}=; Path=/oidc; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
  }

  /** The redirection endpoint registered at the OP for a method. */
  redirectUri(methodId: string): string {
    return `${this.#baseUrl()}/oidc/${encodeURIComponent(methodId)}/callback`;
  }

  /** Where the OP sends the browser after RP-initiated logout. */
  postLogoutRedirectUri(methodId: string): string {
    return `${this.#baseUrl()}/oidc/${encodeURIComponent(methodId)}/signed-out`;
  }

  /** SP-initiated team sign-in (JIT-*, SSO-*); an invite token rides along (JIT-04/06), as for SAML. */
  async startTeam(
    methodId: string,
    options: { inviteToken?: string | undefined; landingPath?: string | undefined } = {},
  ): Promise<StartedRequest> {
    const method = this.#method(methodId);
    if (!method.enabled) throw new SignInError('auth_method_disabled', `method ${methodId} is off`);
    const invite =
      options.inviteToken === undefined || options.inviteToken === '' ? null : options.inviteToken;
    return this.#start(method, { purpose: 'team', inviteToken: invite }, options.landingPath, false);
  }

  /** True when the organisation's portal signs in with an OIDC method (else the SAML portal answers). */
  servesPortal(slug: string): boolean {
    try {
      const organisation = this.#signIn.organisationOfSlug(slug);
      return this.#directory.findPortalMethod(organisation.id)?.kind === 'oidc';
    } catch {
      return false;
    }
  }

  /** ORG-01 over OIDC; ORG-04 sends prompt=login (`forceLogin`), OIDC's ForceAuthn. */
  async startPortal(
    slug: string,
    options: { landingPath?: string | undefined; forceLogin?: boolean } = {},
  ): Promise<StartedRequest> {
    const organisation = this.#signIn.portalPage(slug);
    const found = this.#directory.findPortalMethod(organisation.id);
    if (found === null || found.kind !== 'oidc' || found.oidc === null || !found.enabled) {
      throw new SignInError('portal_disabled', `organisation ${slug} has no portal OIDC method`);
    }
    const purpose: SsoPurpose = {
      purpose: 'portal',
      organisationId: organisation.id,
      forced: options.forceLogin === true,
    };
    return this.#start(
      { ...found, oidc: found.oidc },
      purpose,
      options.landingPath,
      options.forceLogin === true,
    );
  }

  async #start(
    method: OidcMethod,
    purpose: SsoPurpose,
    requestedLanding: string | undefined,
    forceLogin: boolean,
  ): Promise<StartedRequest> {
    const request = await this.rp.authorizationRequest(this.#settings(method), { forceLogin });
    const now = this.#now();
    for (const [id, p] of this.#pending) if (p.expiresAtMs <= now) this.#pending.delete(id);
    const pendingId = randomBytes(24).toString('base64url');
    this.#pending.set(pendingId, {
      methodId: method.id,
      state: request.state,
      nonce: request.nonce,
      codeVerifier: request.codeVerifier,
      purpose,
      landingPath: safeLandingPath(requestedLanding),
      expiresAtMs: now + PENDING_TTL_MS,
    });
    return { location: request.url, pendingId };
  }

  /**
   * GET /oidc/{methodId}/callback: the request this browser started (its cookie, used once), then the code is
   * redeemed and the ID token validated; its claims go through the same rules as a SAML assertion's attributes.
   */
  async callback(methodId: string, callbackUrl: URL, pendingId: string | undefined): Promise<CallbackResult> {
    const method = this.#method(methodId);
    const pending = pendingId === undefined ? undefined : this.#pending.get(pendingId);
    if (pendingId !== undefined) this.#pending.delete(pendingId);
    if (pending === undefined || pending.expiresAtMs <= this.#now() || pending.methodId !== method.id) {
      throw new SignInError('state_mismatch', 'no sign-in of this method was started in this browser');
    }
    const { claims } = await this.rp.redeem(this.#settings(method), callbackUrl, pending);
    const email = typeof claims.email === 'string' ? claims.email : '';
    if (email === '') throw new SignInError('id_token_invalid', 'the ID token names no email (scope email)');
    // OIDC core 5.1: an address the OP has not verified must not be trusted to find or link an account.
    if (claims.email_verified === false) throw new SignInError('email_not_verified', email);
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time : claims.iat;
    let reauthentication: string | undefined;
    const identity: VerifiedIdentity = {
      person: {
        email,
        givenName: typeof claims.given_name === 'string' ? claims.given_name : '',
        familyName: typeof claims.family_name === 'string' ? claims.family_name : '',
      },
      authnInstant: new Date(authTime * 1000),
      facts: {
        via: 'oidc',
        oidc: {
          methodId: method.id,
          sub: claims.sub,
          sid: typeof claims.sid === 'string' ? claims.sid : null,
        },
      },
      reauthenticate: async (landingPath) => {
        if (pending.purpose.purpose !== 'portal')
          throw new SignInError('internal_error', 'not a portal sign-in');
        const slug = this.#organisations.getOrganisation(pending.purpose.organisationId).slug;
        const started = await this.startPortal(slug, {
          forceLogin: true,
          ...(landingPath === null ? {} : { landingPath }),
        });
        reauthentication = started.pendingId;
        return started.location;
      },
    };
    const outcome = await this.#signIn.completeSso(method, identity, pending.purpose, pending.landingPath);
    return { outcome, pendingId: reauthentication };
  }

  /** RP-Initiated Logout 1.0 section 2: where signing out of an OIDC session sends the browser, or null. */
  async endSessionLocation(session: SpSession | null): Promise<string | null> {
    const facts = session?.oidc;
    if (facts === undefined) return null;
    const method = this.#directory.findAuthMethod(facts.methodId);
    if (method === null || method.kind !== 'oidc' || method.oidc === null) return null;
    const oidcMethod = { ...method, oidc: method.oidc };
    return this.rp.endSessionUrl(this.#settings(oidcMethod), this.postLogoutRedirectUri(method.id));
  }

  #method(methodId: string): OidcMethod {
    const method = this.#directory.findAuthMethod(methodId);
    if (method === null || method.kind !== 'oidc' || method.oidc === null) {
      throw new SignInError('unknown_auth_method', `no OIDC method ${methodId}`);
    }
    return { ...method, oidc: method.oidc };
  }

  #settings(method: OidcMethod): OidcClientSettings {
    return {
      methodId: method.id,
      issuer: method.oidc.issuer,
      clientId: method.oidc.clientId,
      clientSecret: this.#directory.findOidcClientSecret(method.id),
      scopes: method.oidc.scopes,
      redirectUri: this.redirectUri(method.id),
    };
  }
}
