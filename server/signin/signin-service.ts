// The sign-in service: joins validated SAML assertions and passwords to the team service under the rules of policy.ts.
// Catalogue JIT-01..10, SSO-01..05, DEA-02, REM-02, ORG-01..08, SAML profiles 4.4 (SLO); refusals write nothing.
import { randomBytes } from 'node:crypto';
import { STATUS_SUCCESS } from '../../protocol/saml/index.ts';
import type { AuthMethodView, OrganisationView } from '../control/port.ts';
import { canonicalEmail, emailKey, sameEmail } from '../domain/emails.ts';
import { startAuthnRequest } from '../saml/authn-request.ts';
import { InMemoryReplayCache, type ReplayCache } from '../saml/replay-cache.ts';
import { InMemoryRequestIdCache, type RequestIdCache } from '../saml/request-id-cache.ts';
import { acceptedAlgorithms } from '../saml/signature-policy.ts';
import {
  LOGOUT_REQUEST_REFUSED_STATUS,
  logoutRequestLocation,
  logoutResponseLocation,
  readLogoutRequest,
  readLogoutResponse,
  type SloSettings,
} from '../saml/single-logout.ts';
import { defaultSpCredentials, type SpCredentials } from '../saml/sp-credentials.ts';
import { spEndpoints } from '../saml/sp-endpoints.ts';
import { buildSpMetadata } from '../saml/sp-metadata.ts';
import {
  DEFAULT_CLOCK_SKEW_MS,
  SamlResponseValidator,
  type ValidatedAssertion,
} from '../saml/validate-response.ts';
import { SignInError, toSignInError } from './errors.ts';
import { MAX_SENT_RELAY_STATE_BYTES, safeLandingPath } from './landing-path.ts';
import { LinkTicketStore } from './link-tickets.ts';
import {
  decidePasswordSignIn,
  decidePortalSignIn,
  decideTeamSso,
  type MembershipFact,
  portalEnabled,
} from './policy.ts';
import type { AuthMethodDirectory, SignInPort } from './port.ts';
import type { SamlSessionFacts, SessionCodec, SessionContext, SpSession } from './session.ts';
import { SessionRevocations } from './session-revocations.ts';
import type { SsoPurpose, SsoSessionFacts, VerifiedIdentity } from './verified-identity.ts';

const HOUR_MS = 3_600_000;

export interface SignInServiceOptions {
  port: SignInPort;
  directory: AuthMethodDirectory;
  sessions: SessionCodec;
  /** the server's external base URL (known once it listens) */
  baseUrl: () => string;
  /** bounded clock skew for SAML time checks; default 60 s, capped at 5 min */
  clockSkewMs?: number;
  /** accept IdP-initiated Responses (no InResponseTo); default true (IdP dashboard tiles) */
  allowIdpInitiated?: boolean;
  /** used assertion IDs; default in memory (the server passes the Store's: launch wiring in signin-router.ts) */
  replayCache?: ReplayCache;
  /** pending AuthnRequests; default in memory */
  requestIds?: RequestIdCache;
  /** the SP's pending LogoutRequests; default in memory */
  pendingLogouts?: RequestIdCache;
  /** SAML sessions ended by single logout; default in memory */
  revocations?: SessionRevocations;
  /** the SP key pair (logout signatures, assertion decryption, metadata); default: the TEST-ONLY fixture pair */
  spCredentials?: SpCredentials;
  /** where password reset links go (no mail system: an outbox the operator or a test reads) */
  outbox?: ResetOutbox;
  now?: () => number;
}

/** A password reset message that a real deployment would e-mail. */
export interface ResetMessage {
  email: string;
  token: string;
  link: string;
  expiresAt: string;
}

export interface ResetOutbox {
  send(message: ResetMessage): void;
}

/** Keeps the last messages in memory: what the demo and the tests read instead of a mailbox. */
export class InMemoryOutbox implements ResetOutbox {
  readonly messages: ResetMessage[] = [];
  send(message: ResetMessage): void {
    this.messages.push(message);
    if (this.messages.length > 1000) this.messages.shift();
  }
  latestFor(email: string): ResetMessage | undefined {
    return this.messages.findLast((m) => sameEmail(m.email, email));
  }
}

export type Landing =
  | { kind: 'personal'; path: string }
  | { kind: 'team'; teamId: string; path: string }
  | { kind: 'organisation'; organisationId: string; slug: string; path: string };

export type SignInOutcome =
  /** `landing.path` may be a RelayState path (safeLandingPath) instead of the context's home */
  | { kind: 'signed_in'; session: SpSession; landing: Landing }
  /** ORG-04: back to the IdP (ForceAuthn) */
  | { kind: 'redirect'; location: string }
  /** JIT-06: the existing account must confirm its own password */
  | { kind: 'link_required'; ticketId: string; email: string; teamName: string };

export function landingFor(context: SessionContext, organisationSlug?: string): Landing {
  if (context.kind === 'team') {
    return {
      kind: 'team',
      teamId: context.teamId,
      path: `/teams/${encodeURIComponent(context.teamId)}/home`,
    };
  }
  if (context.kind === 'organisation' && organisationSlug !== undefined) {
    return {
      kind: 'organisation',
      organisationId: context.organisationId,
      slug: organisationSlug,
      path: `/${encodeURIComponent(organisationSlug)}/home`,
    };
  }
  return { kind: 'personal', path: '/home' };
}

/** What the SP's SLO URL does with a logout message (profiles 4.4.3-4.4.4). */
export type SingleLogoutOutcome =
  /** back to the IdP with the SP's signed LogoutResponse; `clearCookie` when the browser's session was the one ended */
  | { kind: 'redirect'; location: string; clearCookie: boolean }
  /** the signed-out page; `complete` is false when the IdP reported a partial logout */
  | { kind: 'signed_out'; complete: boolean; clearCookie: boolean };

/** What signing out does: only the local session, or also the IdP's (SP-initiated single logout, profiles 4.4.4.1). */
export type SignOutOutcome = { kind: 'local' } | { kind: 'redirect'; location: string };

/** Extra facts of a sign-in: the portal's slug, a RelayState landing path, the SSO session facts. */
interface SignedInExtras {
  organisationSlug?: string | undefined;
  landingPath?: string | null | undefined;
  sso?: SsoSessionFacts | undefined;
}

function samlFactsOf(methodId: string, assertion: ValidatedAssertion): SamlSessionFacts {
  return {
    methodId,
    nameId: assertion.nameId,
    nameIdFormat: assertion.nameIdFormat,
    sessionIndex: assertion.sessionIndex,
  };
}

/** How a session says it was made: by password, or by the SSO protocol whose facts it keeps. */
function viaOf(sso: SsoSessionFacts | undefined): SpSession['via'] {
  return sso === undefined ? 'password' : sso.via;
}

export class SignInService {
  readonly #port: SignInPort;
  readonly #directory: AuthMethodDirectory;
  readonly #sessions: SessionCodec;
  readonly #baseUrl: () => string;
  readonly #skewMs: number;
  readonly #allowIdpInitiated: boolean;
  readonly #replayCache: ReplayCache;
  readonly #requestIds: RequestIdCache;
  /** the SP's own LogoutRequests awaiting the IdP's LogoutResponse (apart from AuthnRequests: no cross-answers) */
  readonly #pendingLogouts: RequestIdCache;
  readonly #revocations: SessionRevocations;
  readonly #credentials: SpCredentials;
  readonly #outbox: ResetOutbox;
  readonly #now: () => number;
  readonly #links = new LinkTicketStore();
  readonly #linkAttempts = new Map<string, number>();
  /** one validator per method and configuration (node-saml instances are reused) */
  readonly #validators = new Map<string, SamlResponseValidator>();

  constructor(options: SignInServiceOptions) {
    this.#port = options.port;
    this.#directory = options.directory;
    this.#sessions = options.sessions;
    this.#baseUrl = options.baseUrl;
    this.#skewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
    this.#allowIdpInitiated = options.allowIdpInitiated ?? true;
    this.#replayCache = options.replayCache ?? new InMemoryReplayCache();
    this.#requestIds = options.requestIds ?? new InMemoryRequestIdCache();
    this.#pendingLogouts = options.pendingLogouts ?? new InMemoryRequestIdCache();
    this.#revocations = options.revocations ?? new SessionRevocations();
    this.#credentials = options.spCredentials ?? defaultSpCredentials();
    this.#outbox = options.outbox ?? new InMemoryOutbox();
    this.#now = options.now ?? Date.now;
  }

  get sessions(): SessionCodec {
    return this.#sessions;
  }

  // ------------------------------------------------------------------ SAML SP (metadata, start, ACS)

  #samlMethod(methodId: string): AuthMethodView & { saml: NonNullable<AuthMethodView['saml']> } {
    const method = this.#directory.findAuthMethod(methodId);
    if (method === null || method.kind !== 'saml' || method.saml === null) {
      throw new SignInError('unknown_auth_method', `no SAML method ${methodId}`);
    }
    return { ...method, saml: method.saml };
  }

  /** SP metadata of one SAML auth method (sp-metadata.ts). */
  spMetadata(methodId: string): string {
    const method = this.#samlMethod(methodId);
    return buildSpMetadata(spEndpoints(this.#baseUrl(), method.id), {
      label: method.label,
      certBase64: this.#credentials.certBase64,
      algorithms: acceptedAlgorithms({ allowSha1: method.saml.allowSha1 === true }),
    });
  }

  /**
   * SP-initiated team sign-in; an invite token rides along in the remembered request (JIT-04/06). A RelayState that
   * is a same-origin path (safeLandingPath) is where the person lands: it is kept in the pending request, so the
   * RelayState the IdP echoes is never trusted for SP-initiated sign-in; anything else is ignored.
   */
  startTeamSso(methodId: string, options: { inviteToken?: string; relayState?: string } = {}): string {
    const method = this.#samlMethod(methodId);
    if (!method.enabled) throw new SignInError('auth_method_disabled', `method ${methodId} is off`);
    const context: Record<string, string> = { purpose: 'team' };
    if (options.inviteToken !== undefined && options.inviteToken !== '')
      context.inviteToken = options.inviteToken;
    return this.#redirectToIdp(method, context, false, options.relayState);
  }

  /** ORG-01: the portal's "Sign in with SSO"; ORG-04 sends `forceAuthn`; a landing path as for team SSO. */
  startPortalSso(slug: string, options: { forceAuthn?: boolean; relayState?: string } = {}): string {
    const organisation = this.#portalOrganisation(slug);
    const method = this.#directory.findPortalMethod(organisation.id);
    if (method === null || method.saml === null || !method.enabled) {
      throw new SignInError('portal_disabled', `organisation ${slug} has no portal SAML method`);
    }
    const context: Record<string, string> = {
      purpose: 'portal',
      organisationId: organisation.id,
      forced: options.forceAuthn ? '1' : '0',
    };
    return this.#redirectToIdp(
      { ...method, saml: method.saml },
      context,
      options.forceAuthn === true,
      options.relayState,
    );
  }

  #redirectToIdp(
    method: AuthMethodView & { saml: NonNullable<AuthMethodView['saml']> },
    context: Record<string, string>,
    forceAuthn: boolean,
    requestedRelayState: string | undefined,
  ): string {
    // A same-origin path is where the person lands; it is kept in the pending request (the echo is never trusted).
    const landingPath = safeLandingPath(requestedRelayState);
    if (landingPath !== null) context.landingPath = landingPath;
    // Bindings 3.4.3: a RelayState sent must not exceed 80 bytes; the landing path itself is in the pending request.
    const relayState =
      landingPath !== null && Buffer.byteLength(landingPath, 'utf8') <= MAX_SENT_RELAY_STATE_BYTES
        ? landingPath
        : undefined;
    const redirect = startAuthnRequest(
      {
        endpoints: spEndpoints(this.#baseUrl(), method.id),
        methodId: method.id,
        idpSsoUrl: method.saml.idpSsoUrl,
        forceAuthn,
        context,
        now: new Date(this.#now()),
        ...(relayState === undefined ? {} : { relayState }),
      },
      this.#requestIds,
    );
    return redirect.location;
  }

  #validatorFor(
    method: AuthMethodView & { saml: NonNullable<AuthMethodView['saml']> },
  ): SamlResponseValidator {
    const endpoints = spEndpoints(this.#baseUrl(), method.id);
    const key = JSON.stringify([
      method.id,
      endpoints.acsUrl,
      method.saml.idpEntityId,
      method.saml.idpCertificates,
      method.saml.allowSha1 === true,
    ]);
    let validator = this.#validators.get(key);
    if (validator === undefined) {
      if (method.saml.idpCertificates.length === 0) {
        throw new SignInError('signature_invalid', 'the method pins no IdP certificate');
      }
      validator = new SamlResponseValidator(
        {
          methodId: method.id,
          endpoints,
          idpEntityId: method.saml.idpEntityId,
          idpCertificates: method.saml.idpCertificates,
          clockSkewMs: this.#skewMs,
          allowIdpInitiated: this.#allowIdpInitiated,
          decryptionKeyPem: this.#credentials.privateKeyPem,
          allowSha1: method.saml.allowSha1 === true,
        },
        { replayCache: this.#replayCache, requestIds: this.#requestIds, now: this.#now },
      );
      this.#validators.set(key, validator);
    }
    return validator;
  }

  /** Validates a Response for one method without signing anyone in (benches, diagnostics). */
  async validateResponse(methodId: string, samlResponse: string): Promise<ValidatedAssertion> {
    return this.#validatorFor(this.#samlMethod(methodId)).validate(samlResponse);
  }

  /**
   * The ACS: validate, then apply the team or portal rules. The landing path is the one kept with an SP-initiated
   * request, or, for IdP-initiated sign-in (profiles 4.1.5), the POSTed RelayState when it is a same-origin path.
   */
  async consumeAssertion(
    methodId: string,
    samlResponse: string,
    relayState?: string,
  ): Promise<SignInOutcome> {
    const method = this.#samlMethod(methodId);
    const assertion = await this.#validatorFor(method).validate(samlResponse);
    const context = assertion.pending?.context ?? { purpose: 'team' };
    const landingPath =
      assertion.pending === null ? safeLandingPath(relayState) : (context.landingPath ?? null);
    const purpose: SsoPurpose =
      context.purpose === 'portal' && context.organisationId !== undefined
        ? { purpose: 'portal', organisationId: context.organisationId, forced: context.forced === '1' }
        : { purpose: 'team', inviteToken: context.inviteToken ?? null };
    const identity: VerifiedIdentity = {
      person: assertion.person,
      authnInstant: assertion.authnInstant,
      facts: { via: 'saml', saml: samlFactsOf(method.id, assertion) },
      reauthenticate: (path) =>
        this.#portalSlugThenSso(purpose, (slug) =>
          this.startPortalSso(slug, { forceAuthn: true, ...(path === null ? {} : { relayState: path }) }),
        ),
    };
    return this.completeSso(method, identity, purpose, landingPath);
  }

  /**
   * The one entry of a validated SSO sign-in (SAML ACS, OIDC callback): the team rules (JIT-*, SSO-05, DEA/REM) or
   * the portal rules (ORG-*), refusals with the same stable codes whatever the protocol.
   */
  completeSso(
    method: AuthMethodView,
    identity: VerifiedIdentity,
    purpose: SsoPurpose,
    landingPath: string | null,
  ): Promise<SignInOutcome> | SignInOutcome {
    if (purpose.purpose === 'portal') {
      return this.#portalSignIn(purpose.organisationId, identity, purpose.forced, landingPath);
    }
    return this.#teamSso(method, identity, purpose.inviteToken, landingPath);
  }

  #portalSlugThenSso(purpose: SsoPurpose, start: (slug: string) => string): string {
    if (purpose.purpose !== 'portal')
      throw new SignInError('internal_error', 'reauthentication outside the portal');
    return start(this.#port.getOrganisation(purpose.organisationId).slug);
  }

  /**
   * idsim #10: the asserted address must already be canonical (emails.ts: ASCII dot-atom, no white space, nothing
   * folded); the same check guards SCIM, invites and sign-up, so no path matches a look-alike onto an account.
   */
  #assertedPerson(identity: VerifiedIdentity): VerifiedIdentity['person'] {
    try {
      return { ...identity.person, email: canonicalEmail(identity.person.email) };
    } catch (error) {
      throw toSignInError(error);
    }
  }

  /** idsim #17: the address's domain is verified by an organisation other than `organisationId`. */
  #isForeignDomain(organisationId: string, email: string): boolean {
    const owner = this.#port.emailDomainOwner(email);
    return owner !== null && owner !== organisationId;
  }

  #teamSso(
    method: AuthMethodView,
    identity: VerifiedIdentity,
    inviteToken: string | null,
    landingPath: string | null,
  ): SignInOutcome {
    const person = this.#assertedPerson(identity);
    const facts = this.#port.getTeamSignInFacts(method.teamId, person.email);
    const membership: MembershipFact = facts.member?.status ?? (facts.removedFromTeam ? 'removed' : null);
    if (inviteToken !== null && !this.#hasPendingInvite(method.teamId, person.email)) {
      // JIT-04: the invite must be this team's, pending, unexpired and for this email; checked before any write.
      throw new SignInError(
        'invite_invalid',
        `no pending invite for ${person.email} in team ${method.teamId}`,
      );
    }
    const decision = decideTeamSso({
      methodEnabled: method.enabled,
      autoAddUsers: method.autoAddUsers,
      account: facts.account === null ? null : { hasPassword: facts.account.hasPassword },
      membership,
      hasInvite: inviteToken !== null,
      foreignDomain: this.#isForeignDomain(facts.team.organisationId, person.email),
    });
    const teamContext: SessionContext = { kind: 'team', teamId: method.teamId };
    const sso = identity.facts;
    switch (decision.kind) {
      case 'refuse':
        throw new SignInError(decision.code, `team ${method.teamId}`);
      case 'sign_in':
        return this.#signedIn(requireAccountId(facts.account), teamContext, { landingPath, sso });
      case 'admit_by_jit': {
        const member = this.#port.admitByJit(method.teamId, method.id, person);
        return this.#signedIn(member.account.id, teamContext, { landingPath, sso });
      }
      case 'accept_invite_new_account': {
        // JIT-04 / JIT-10: the account gets no password; the invite decides the membership (one transaction).
        const member = this.#port.acceptInviteAsNewAccount(inviteToken ?? '', person);
        return this.#signedIn(member.account.id, teamContext, { landingPath, sso });
      }
      case 'confirm_password_to_link': {
        const account = facts.account;
        if (account === null) throw new SignInError('internal_error', 'link without account');
        const ticket = this.#links.issue(
          {
            accountId: account.id,
            teamId: method.teamId,
            methodId: method.id,
            inviteToken: decision.via === 'invite' ? inviteToken : null,
            email: account.email,
            givenName: person.givenName,
            familyName: person.familyName,
            landingPath,
            sso,
          },
          this.#now(),
        );
        return {
          kind: 'link_required',
          ticketId: ticket.id,
          email: account.email,
          teamName: facts.team.name,
        };
      }
    }
  }

  #hasPendingInvite(teamId: string, email: string): boolean {
    const now = this.#now();
    return this.#port
      .listInvites(teamId)
      .some((i) => i.status === 'pending' && sameEmail(i.email, email) && Date.parse(i.expiresAt) > now);
  }

  /** JIT-06: the existing account's own password links it; a wrong one links nothing (5 tries per ticket). */
  confirmLink(ticketId: string, password: string): SignInOutcome {
    const ticket = this.#links.peek(ticketId, this.#now());
    if (ticket === null) throw new SignInError('link_pending_invalid');
    try {
      this.#port.verifyPassword(ticket.email, password);
    } catch (error) {
      const attempts = (this.#linkAttempts.get(ticketId) ?? 0) + 1;
      this.#linkAttempts.set(ticketId, attempts);
      if (attempts >= 5) this.#links.consume(ticketId);
      throw toSignInError(error);
    }
    if (ticket.inviteToken !== null) {
      this.#port.acceptInvite(ticket.inviteToken, ticket.accountId);
    } else {
      this.#port.admitByJit(ticket.teamId, ticket.methodId, {
        email: ticket.email,
        givenName: ticket.givenName,
        familyName: ticket.familyName,
      });
    }
    // used up only once the membership exists: a refused admission (e.g. no seat) leaves the ticket for a retry
    this.#links.consume(ticketId);
    this.#linkAttempts.delete(ticketId);
    this.#port.recordAuditEvent({
      type: 'account.linked',
      teamId: ticket.teamId,
      accountId: ticket.accountId,
      data: { methodId: ticket.methodId, via: ticket.inviteToken === null ? 'jit' : 'invite' },
    });
    return this.#signedIn(
      ticket.accountId,
      { kind: 'team', teamId: ticket.teamId },
      {
        landingPath: ticket.landingPath,
        sso: ticket.sso,
      },
    );
  }

  #portalOrganisation(slug: string): OrganisationView {
    let organisation: OrganisationView;
    try {
      organisation = this.#port.getOrganisationBySlug(slug);
    } catch {
      throw new SignInError('unknown_organisation', slug);
    }
    if (!portalEnabled(organisation.portal)) throw new SignInError('portal_disabled', slug);
    return organisation;
  }

  /** ORG-01 page facts: the organisation, when its portal is on. */
  portalPage(slug: string): OrganisationView {
    return this.#portalOrganisation(slug);
  }

  async #portalSignIn(
    organisationId: string,
    identity: VerifiedIdentity,
    forced: boolean,
    landingPath: string | null,
  ): Promise<SignInOutcome> {
    const organisation = this.#port.getOrganisation(organisationId);
    const person = this.#assertedPerson(identity);
    const account = this.#port.findAccountByEmail(person.email);
    const member = account === null ? null : this.#port.getOrganisationMembership(organisationId, account.id);
    const decision = decidePortalSignIn({
      portalEnabled: portalEnabled(organisation.portal),
      account: { exists: account !== null },
      organisationMember: member !== null,
      authnAgeMs: this.#now() - identity.authnInstant.getTime(),
      recentAuthMs: organisation.portal.recentAuthHours * HOUR_MS,
      answersForcedRequest: forced,
      foreignDomain: this.#isForeignDomain(organisationId, person.email),
    });
    const orgContext: SessionContext = { kind: 'organisation', organisationId };
    const sso = identity.facts;
    const slug = organisation.slug;
    switch (decision.kind) {
      case 'refuse':
        throw new SignInError(decision.code, organisation.slug);
      case 'create_account_and_join': {
        const admission = this.#port.admitByPortal(organisationId, person);
        return this.#signedIn(admission.account.id, orgContext, {
          organisationSlug: slug,
          landingPath,
          sso,
        });
      }
      case 'org_home':
        return this.#signedIn(requireAccountId(account), orgContext, {
          organisationSlug: slug,
          landingPath,
          sso,
        });
      case 'personal_home':
        // ORG-05: "sent to the personal home page" is the rule; a RelayState does not override it.
        return this.#signedIn(requireAccountId(account), { kind: 'personal' }, { sso });
      case 'force_reauthentication':
        // ORG-04: the landing path rides along in the forced request (ForceAuthn, or OIDC prompt=login).
        return { kind: 'redirect', location: await identity.reauthenticate(landingPath) };
    }
  }

  // ------------------------------------------------------------------ passwords

  /** Password sign-in: personal context (no teamId) or a team's context (DEA-02, REM-02, SSO-03/05). */
  passwordSignIn(input: { email: string; password: string; teamId?: string }): SignInOutcome {
    let account: { id: string } | null = null;
    try {
      account = this.#port.verifyPassword(input.email, input.password);
    } catch (error) {
      const refusal = toSignInError(error);
      if (refusal.code !== 'invalid_credentials') throw refusal;
    }
    let team: { passwordMethodEnabled: boolean; membership: MembershipFact } | null = null;
    if (input.teamId !== undefined && account !== null) {
      const facts = this.#teamFacts(input.teamId, input.email);
      team = {
        passwordMethodEnabled: facts.passwordMethod !== null,
        membership: facts.member?.status ?? (facts.removedFromTeam ? 'removed' : null),
      };
    }
    const decision = decidePasswordSignIn({ credentialsValid: account !== null, team });
    if (decision.kind === 'refuse') throw new SignInError(decision.code);
    const accountId = requireAccountId(account);
    return decision.kind === 'team' && input.teamId !== undefined
      ? this.#signedIn(accountId, { kind: 'team', teamId: input.teamId })
      : this.#signedIn(accountId, { kind: 'personal' });
  }

  #teamFacts(teamId: string, email: string): ReturnType<SignInPort['getTeamSignInFacts']> {
    try {
      return this.#port.getTeamSignInFacts(teamId, email);
    } catch (error) {
      const refusal = toSignInError(error);
      throw refusal.code === 'unknown_auth_method' ? new SignInError('bad_request', 'unknown team') : refusal;
    }
  }

  /** What a team's sign-in page offers (SSO-03 several methods, SSO-04 labels). */
  teamLoginOptions(teamId: string): {
    teamName: string;
    password: boolean;
    saml: { id: string; label: string }[];
    oidc: { id: string; label: string }[];
  } {
    const facts = this.#teamFacts(teamId, '');
    return {
      teamName: facts.team.name,
      password: facts.passwordMethod !== null,
      saml: facts.samlMethods.map((m) => ({ id: m.id, label: m.label })),
      oidc: facts.oidcMethods.map((m) => ({ id: m.id, label: m.label })),
    };
  }

  /**
   * JIT-07 / JIT-10: issues a single-use reset token (1 h, service rule) and puts the link in the outbox. The answer
   * is the same whether or not the email has an account (no account enumeration).
   */
  forgotPassword(email: string): void {
    const issued = this.#port.createPasswordResetToken(email);
    if (issued === null) return;
    const token = issued.token;
    this.#outbox.send({
      email: emailKey(email),
      token,
      link: `${this.#baseUrl()}/reset-password?token=${encodeURIComponent(token)}`,
      expiresAt: issued.expiresAt,
    });
  }

  resetPassword(token: string, newPassword: string): void {
    if (newPassword.length < 8) throw new SignInError('bad_request', 'password too short');
    try {
      this.#port.resetPassword(token, newPassword);
    } catch (error) {
      const refusal = toSignInError(error);
      throw refusal.code === 'internal_error'
        ? refusal
        : new SignInError('reset_token_invalid', refusal.detail);
    }
  }

  /**
   * PRV-10 / SSO-02: self-service sign-up with email and password. When the email's domain is verified and captured
   * by a team, the new account joins it at once (service rule) and lands on that team's home; else on the
   * personal home.
   */
  signUp(input: { email: string; password: string; givenName: string; familyName: string }): SignInOutcome {
    if (input.password.length < 8) throw new SignInError('bad_request', 'password too short');
    const { account, member } = this.#port.registerAccount(input);
    return member === null
      ? this.#signedIn(account.id, { kind: 'personal' })
      : this.#signedIn(account.id, { kind: 'team', teamId: member.teamId });
  }

  // ------------------------------------------------------------------ sessions and landing pages

  #signedIn(accountId: string, context: SessionContext, extras: SignedInExtras = {}): SignInOutcome {
    const sso = extras.sso;
    const session = this.#sessions.issue(accountId, context, viaOf(sso), this.#now(), {
      saml: sso?.via === 'saml' ? sso.saml : undefined,
      oidc: sso?.via === 'oidc' ? sso.oidc : undefined,
    });
    const landing = landingFor(context, extras.organisationSlug);
    if (extras.landingPath !== undefined && extras.landingPath !== null) landing.path = extras.landingPath;
    return { kind: 'signed_in', session, landing };
  }

  /** The session in a cookie value, or null (also for a SAML session that single logout has ended). */
  readSession(cookieValue: string | undefined): SpSession | null {
    const now = this.#now();
    const session = this.#sessions.decode(cookieValue, now);
    return session === null || this.#revocations.isRevoked(session, now) ? null : session;
  }

  // ------------------------------------------------------------------ single logout (profiles 4.4)

  #sloSettings(method: AuthMethodView & { saml: NonNullable<AuthMethodView['saml']> }): SloSettings {
    return {
      endpoints: spEndpoints(this.#baseUrl(), method.id),
      idpEntityId: method.saml.idpEntityId,
      idpCertificates: method.saml.idpCertificates,
      idpSloUrl: method.saml.idpSloUrl,
      credentials: this.#credentials,
      allowSha1: method.saml.allowSha1 === true,
    };
  }

  /** Ends SAML sessions for good (core 3.7.3.2): stateless cookies issued for them no longer read as signed in. */
  #revoke(methodId: string, nameId: string, sessionIndexes: readonly (string | null)[]): void {
    const now = this.#now();
    for (const sessionIndex of sessionIndexes) {
      this.#revocations.revoke({
        methodId,
        nameId,
        sessionIndex,
        revokedAtMs: now,
        keepUntilMs: now + this.#sessions.ttlMs,
      });
    }
  }

  /**
   * Signing out (POST /logout). Always ends the local session. A SAML session whose method knows the IdP's SLO URL
   * also starts SP-initiated single logout (profiles 4.4.4.1): a signed LogoutRequest naming its NameID and
   * SessionIndex, whose LogoutResponse comes back to the SLO URL.
   */
  signOut(cookieValue: string | undefined): SignOutOutcome {
    const session = this.readSession(cookieValue);
    const saml = session?.saml;
    if (session === null || saml === undefined) return { kind: 'local' };
    this.#revoke(saml.methodId, saml.nameId, [saml.sessionIndex]);
    const method = this.#directory.findAuthMethod(saml.methodId);
    if (method === null || method.kind !== 'saml' || method.saml === null) return { kind: 'local' };
    const now = this.#now();
    const started = logoutRequestLocation(this.#sloSettings({ ...method, saml: method.saml }), {
      nameId: saml.nameId,
      nameIdFormat: saml.nameIdFormat,
      sessionIndex: saml.sessionIndex,
      now: new Date(now),
    });
    if (started === null) return { kind: 'local' };
    this.#pendingLogouts.remember({
      requestId: started.requestId,
      methodId: method.id,
      createdAtMs: now,
      context: {},
    });
    return { kind: 'redirect', location: started.location };
  }

  /**
   * GET /saml/<methodId>/slo (bindings 3.4). A LogoutRequest from the IdP (profiles 4.4.3-4.4.4): checked, then the
   * NameID's session(s) end (by SessionIndex when given, core 3.7.3.2) and the IdP gets a signed LogoutResponse,
   * Success, or Requester when the request was authentic but wrong (then nothing ends). A LogoutResponse answers
   * the SP's own LogoutRequest: it must name a pending one (InResponseTo, once), and leads to the signed-out page.
   */
  receiveSingleLogout(
    methodId: string,
    rawQuery: string,
    cookieValue: string | undefined,
  ): SingleLogoutOutcome {
    const method = this.#samlMethod(methodId);
    const settings = this.#sloSettings(method);
    const now = this.#now();
    if (/(^|&)SAMLResponse=/.test(rawQuery)) {
      const { response } = readLogoutResponse(rawQuery, settings);
      const pending = this.#pendingLogouts.peek(response.inResponseTo, now);
      if (pending === null || pending.methodId !== method.id) {
        throw new SignInError('logout_response_invalid', `InResponseTo ${response.inResponseTo}`);
      }
      this.#pendingLogouts.forget(response.inResponseTo);
      // Core 3.2.2.2 / profiles 4.4.4.2: anything but Success means the IdP could not end every session.
      return { kind: 'signed_out', complete: response.statusCode === STATUS_SUCCESS, clearCookie: true };
    }
    const received = readLogoutRequest(rawQuery, settings, now);
    if (received.kind === 'invalid') {
      const location = logoutResponseLocation(settings, {
        inResponseTo: received.requestId,
        statusCode: LOGOUT_REQUEST_REFUSED_STATUS,
        relayState: received.relayState,
        now: new Date(now),
      });
      if (location === null) throw new SignInError('logout_message_invalid', received.reason);
      return { kind: 'redirect', location, clearCookie: false };
    }
    const { request } = received;
    const indexes: (string | null)[] = request.sessionIndexes.length === 0 ? [null] : request.sessionIndexes;
    // The browser's own session is cleared only when it is one of those ended (never someone else's session).
    const current = this.readSession(cookieValue)?.saml;
    const clearCookie =
      current !== undefined &&
      current.methodId === method.id &&
      current.nameId === request.nameId &&
      (request.sessionIndexes.length === 0 || indexes.includes(current.sessionIndex));
    this.#revoke(method.id, request.nameId, indexes);
    const location = logoutResponseLocation(settings, {
      inResponseTo: request.id,
      statusCode: STATUS_SUCCESS,
      relayState: received.relayState,
      now: new Date(now),
    });
    return location === null
      ? { kind: 'signed_out', complete: true, clearCookie }
      : { kind: 'redirect', location, clearCookie };
  }

  /** Facts shown on a landing page. */
  homeFacts(session: SpSession): {
    account: { id: string; email: string; username: string | null };
    teams: { teamId: string; role: string; status: string }[];
  } {
    const account = this.#port.getAccount(session.accountId);
    return {
      account: { id: account.id, email: account.email, username: account.username },
      teams: this.#port
        .listTeamsOfAccount(account.id)
        .map((m) => ({ teamId: m.teamId, role: m.role, status: m.status })),
    };
  }

  organisationOfSlug(slug: string): OrganisationView {
    try {
      return this.#port.getOrganisationBySlug(slug);
    } catch {
      throw new SignInError('unknown_organisation', slug);
    }
  }
}

function requireAccountId(account: { id: string } | null): string {
  if (account === null) throw new SignInError('internal_error', 'account expected');
  return account.id;
}

/** A fresh 32-byte secret for session cookies (per process unless configured). */
export function newSessionSecret(): Buffer {
  return randomBytes(32);
}
