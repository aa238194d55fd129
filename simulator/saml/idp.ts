// The SAML IdP's flows as request-value → outcome steps: SP- and IdP-initiated SSO, login and resume (SLO: slo.ts).
// SAML profiles 4.1, 4.4; bindings 3.4 / 3.5 (AuthnRequests by redirect or POST); core 3.4.1.1; JIT-08, ORG-06.

import { randomBytes } from 'node:crypto';
import { STATUS_NO_PASSIVE, STATUS_RESPONDER } from '../../protocol/saml/index.ts';
import { type App, checkPassword, type Directory, type Person, type SamlApp } from '../directory/index.ts';
import {
  type AuthnRequest,
  checkPostSignature,
  checkRedirectSignature,
  decodePostMessage,
  decodeRedirect,
  parseAuthnRequest,
} from './authn-request.ts';
import { IdpError } from './errors.ts';
import { buildFaultyResponse, FaultNotApplicable, findFault, type GenuineRequest } from './faults/index.ts';
import type { ResponseFault } from './faults.ts';
import { rogueSigningCredentials, type SigningCredentials } from './keys.ts';
import { buildIdpMetadata } from './metadata.ts';
import type { IdpOutcome } from './outcome.ts';
import { inResponseToFor, SAML_PERSONALITY_PROFILES } from './personality-profiles.ts';
import {
  type BuiltResponse,
  buildSamlResponse,
  buildStatusResponse,
  newSamlId,
  type SamlAttribute,
} from './response.ts';
import type { IdpSession, SessionStore } from './session.ts';
import { SingleLogout } from './slo.ts';

export type { IdpOutcome } from './outcome.ts';

/**
 * A sign-in in progress. `received`: a POSTed AuthnRequest, checked and waiting for the browser's GET to
 * /saml/sso/continue (where the IdP session cookie is readable); `login`: waiting for the person to log in
 * (SP-initiated with its AuthnRequest, or IdP-initiated).
 */
interface LoginContext {
  id: string;
  stage: 'received' | 'login';
  appId: string;
  request: AuthnRequest | undefined;
  relayState: string | undefined;
  /** ForceAuthn: the session present when the request came in, which must not answer it. */
  staleSessionId: string | undefined;
  expiresAt: number;
}

/** A record of one Response the IdP sent (the `/api/signins` log). */
export interface IssuedResponse {
  appId: string;
  personId: string;
  responseId: string;
  assertionId: string;
  inResponseTo: string | undefined;
  sessionIndex: string;
  faults: ResponseFault[];
  /** the catalogue fault this Response carries (faults/), with the genuine Response it was made from */
  fault: string | null;
  genuineXml: string | null;
  /** the XML that was sent (kept for faulty Responses, for the console's diff) */
  xml: string | null;
  issuedAt: string;
  /** the assertion before encryption, when it was sent encrypted (consoles show it beside the ciphertext) */
  plaintextAssertion?: string;
}

/** A catalogue fault armed for the next sign-in to an app; `victim` is whom forged identities name. */
export interface ArmedFault {
  fault: string;
  victim?: string | undefined;
}

export interface IdpEndpoints {
  baseUrl: string;
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  loginUrl: string;
}

export interface IdentityProviderOptions {
  directory: Directory;
  sessions: SessionStore;
  credentials: SigningCredentials;
  now: () => Date;
  assertionTtlMs: number;
  loginContextTtlMs: number;
  /** Endpoints are known once the server listens, hence a getter. */
  endpoints: () => IdpEndpoints;
}

const ISSUED_LOG_LIMIT = 200;

export class IdentityProvider {
  readonly directory: Directory;
  readonly sessions: SessionStore;
  readonly credentials: SigningCredentials;
  readonly #now: () => Date;
  readonly #assertionTtlMs: number;
  readonly #loginContextTtlMs: number;
  readonly #endpoints: () => IdpEndpoints;
  readonly #contexts = new Map<string, LoginContext>();
  readonly #armedFaults = new Map<string, ResponseFault[]>();
  readonly #armedCatalogueFault = new Map<string, ArmedFault>();
  readonly #lastResponse = new Map<string, { assertionId: string; xml: string }>();
  readonly #lastAssertionId = new Map<string, string>();
  readonly #issued: IssuedResponse[] = [];
  readonly #logout: SingleLogout;
  #rogue: SigningCredentials | undefined;

  constructor(options: IdentityProviderOptions) {
    this.directory = options.directory;
    this.sessions = options.sessions;
    this.credentials = options.credentials;
    this.#now = options.now;
    this.#assertionTtlMs = options.assertionTtlMs;
    this.#loginContextTtlMs = options.loginContextTtlMs;
    this.#endpoints = options.endpoints;
    this.#logout = new SingleLogout({
      directory: this.directory,
      sessions: this.sessions,
      credentials: this.credentials,
      now: this.#now,
      endpoints: this.#endpoints,
      pendingTtlMs: this.#loginContextTtlMs,
    });
  }

  get endpoints(): IdpEndpoints {
    return this.#endpoints();
  }

  metadataXml(): string {
    const e = this.#endpoints();
    return buildIdpMetadata({
      entityId: e.entityId,
      ssoUrl: e.ssoUrl,
      sloUrl: e.sloUrl,
      certBase64: this.credentials.certBase64,
    });
  }

  /** The next Response sent to this app carries these faults (one shot); see faults.ts. */
  armFaults(appId: string, faults: ResponseFault[]): void {
    this.directory.getApp(appId);
    this.#armedFaults.set(appId, [...faults]);
  }

  /**
   * The next Response sent to this app carries this catalogue fault (one shot; faults/index.ts). Faults that need
   * something the IdP cannot know (another SP's request) are refused here with `fault_not_applicable`.
   */
  armFault(appId: string, armed: ArmedFault): ArmedFault {
    this.directory.getApp(appId);
    const fault = findFault(armed.fault);
    if (fault === undefined) throw new IdpError('unknown_fault', `no fault ${armed.fault} in the catalogue`);
    if (fault.needs?.includes('other-sp-request')) {
      throw new IdpError('fault_not_applicable', `${fault.id} needs an AuthnRequest from another SP`);
    }
    this.#armedCatalogueFault.set(appId, { ...armed });
    return { ...armed };
  }

  /** What is armed for the next sign-in to this app (catalogue fault and legacy variants). */
  armedFor(appId: string): { fault: ArmedFault | null; faults: ResponseFault[] } {
    this.directory.getApp(appId);
    return {
      fault: this.#armedCatalogueFault.get(appId) ?? null,
      faults: this.#armedFaults.get(appId) ?? [],
    };
  }

  disarm(appId: string): void {
    this.#armedCatalogueFault.delete(appId);
    this.#armedFaults.delete(appId);
  }

  /** Most recent Responses first. */
  issuedResponses(): IssuedResponse[] {
    return [...this.#issued].reverse();
  }

  // ---- SP-initiated: GET /saml/sso (HTTP-Redirect binding) ----

  async receiveAuthnRequest(rawQuery: string, sessionId: string | undefined): Promise<IdpOutcome> {
    const { message, xml } = decodeRedirect(rawQuery, 'SAMLRequest');
    const request = parseAuthnRequest(xml);
    const app = this.#appOf(request);
    checkRedirectSignature(message, app.sp);
    this.#checkRequestEndpoints(app, request);
    return this.#answer(app, request, message.relayState, sessionId);
  }

  // ---- SP-initiated: POST /saml/sso (HTTP-POST binding), then GET /saml/sso/continue ----

  /**
   * Bindings 3.5: SAMLRequest is base64 (no DEFLATE) and, when signed, carries an enveloped XML signature checked
   * against the SP's metadata certificates. The request is fully checked here, then the browser is sent (303) to
   * GET /saml/sso/continue: a cross-site POST does not carry the SameSite=Lax IdP session cookie, a top-level GET
   * does, so an existing IdP session is found there (and ForceAuthn / IsPassive are decided there).
   */
  receiveAuthnRequestPost(form: {
    samlRequest: string | undefined;
    relayState: string | undefined;
  }): IdpOutcome {
    const received = decodePostMessage(form.samlRequest, 'SAMLRequest');
    const unverified = parseAuthnRequest(received);
    const app = this.#appOf(unverified);
    const checked = checkPostSignature(received, app.sp);
    const request = checked.signed ? parseAuthnRequest(checked.xml) : unverified;
    // Only what the signature covers is used; the app was chosen by the same Issuer.
    if (request.issuer !== unverified.issuer) {
      throw new IdpError('request_signature_invalid', 'the signed request names another Issuer');
    }
    // Bindings 3.5.5.2: a signed message must carry the Destination it was sent to.
    if (checked.signed && request.destination === undefined) {
      throw new IdpError('destination_mismatch', 'a signed POSTed request must name its Destination');
    }
    this.#checkRequestEndpoints(app, request);
    const relayState = form.relayState === '' ? undefined : form.relayState;
    const id = this.#newContext({
      stage: 'received',
      appId: app.id,
      request,
      relayState,
      staleSessionId: undefined,
    });
    return {
      kind: 'redirect',
      location: `${this.#endpoints().ssoUrl}/continue?ctx=${encodeURIComponent(id)}`,
    };
  }

  /** GET /saml/sso/continue: answers a POSTed AuthnRequest with the session cookie now in hand. */
  async continueAuthnRequest(contextId: string, sessionId: string | undefined): Promise<IdpOutcome> {
    const context = this.#context(contextId, true, 'received');
    const app = this.#samlApp(context.appId);
    if (context.request === undefined) throw new IdpError('invalid_request', 'no request to continue');
    return this.#answer(app, context.request, context.relayState, sessionId);
  }

  /** An app by id that offers SAML; an OIDC-only app has no SP to post to. */
  #samlApp(appId: string): SamlApp {
    const app = this.directory.getApp(appId);
    if (app.sp === undefined)
      throw new IdpError('saml_not_configured', `app ${app.name} does not offer SAML`);
    return app as SamlApp;
  }

  #appOf(request: AuthnRequest): SamlApp {
    const app = this.directory.findAppByEntityId(request.issuer);
    if (app === undefined) throw new IdpError('unknown_sp', `no app has SP entityID ${request.issuer}`);
    return app;
  }

  #checkRequestEndpoints(app: SamlApp, request: AuthnRequest): void {
    // Core 3.4.1: the response goes only to an ACS URL known from the SP's metadata.
    if (request.acsUrl !== undefined && request.acsUrl !== app.sp.acsUrl) {
      throw new IdpError(
        'acs_mismatch',
        `AssertionConsumerServiceURL ${request.acsUrl} is not the app's ACS URL`,
      );
    }
    // Core 3.2.1: a recipient must check a Destination it is given.
    if (request.destination !== undefined && request.destination !== this.#endpoints().ssoUrl) {
      throw new IdpError(
        'destination_mismatch',
        `Destination ${request.destination} is not this IdP's SSO URL`,
      );
    }
  }

  /** Answers a checked AuthnRequest: login page, NoPassive, or a Response, by the session and core 3.4.1. */
  async #answer(
    app: SamlApp,
    request: AuthnRequest,
    relayState: string | undefined,
    sessionId: string | undefined,
  ): Promise<IdpOutcome> {
    const session = this.sessions.get(sessionId);
    // Core 3.4.1: ForceAuthn → authenticate afresh even with a session; IsPassive → never show a login page.
    if (session === undefined || request.forceAuthn) {
      if (request.isPassive) return this.#noPassive(app, request, relayState);
      return this.#askForLogin(app.id, request, relayState, request.forceAuthn ? session?.id : undefined);
    }
    return this.#issue(app, session, request, relayState);
  }

  // ---- IdP-initiated: GET /apps/{appId}/sso ----

  async startIdpInitiated(
    appId: string,
    sessionId: string | undefined,
    relayState?: string,
  ): Promise<IdpOutcome> {
    const app = this.#samlApp(appId);
    const session = this.sessions.get(sessionId);
    const relay = relayState ?? app.defaultRelayState;
    if (session === undefined) return this.#askForLogin(app.id, undefined, relay);
    return this.#issue(app, session, undefined, relay);
  }

  // ---- the login page ----

  /** GET /login: the form, for a pending sign-in context or a plain IdP login. */
  loginForm(contextId: string | undefined): IdpOutcome {
    if (contextId !== undefined) this.#context(contextId, false, 'login');
    return { kind: 'login-form', status: 200, contextId };
  }

  /** POST /login: checks the password, starts a fresh session, then resumes the pending sign-in. */
  login(input: { login: string; password: string; contextId: string | undefined }): IdpOutcome {
    if (input.contextId !== undefined) this.#context(input.contextId, false, 'login');
    const checked = checkPassword(this.directory, input.login, input.password);
    if (checked.kind === 'refused') {
      const status = checked.code === 'invalid_credentials' ? 401 : 403;
      return { kind: 'login-form', status, contextId: input.contextId, error: checked.code };
    }
    const session = this.sessions.create(checked.person.id);
    const base = this.#endpoints().baseUrl;
    const location =
      input.contextId === undefined
        ? `${base}/`
        : `${base}/saml/resume?ctx=${encodeURIComponent(input.contextId)}`;
    return { kind: 'redirect', location, setSessionId: session.id };
  }

  /** GET /saml/resume: after login, answer the pending AuthnRequest (or IdP-initiated start). */
  async resume(contextId: string, sessionId: string | undefined): Promise<IdpOutcome> {
    const context = this.#context(contextId, true, 'login');
    const session = this.sessions.get(sessionId);
    // ForceAuthn: the session that existed when the request came in does not count; only a login made since does
    // (every login makes a new session id), so going straight to /saml/resume cannot skip the login.
    if (session === undefined || session.id === context.staleSessionId) {
      return this.#askForLogin(context.appId, context.request, context.relayState, context.staleSessionId);
    }
    return this.#issue(this.#samlApp(context.appId), session, context.request, context.relayState);
  }

  // ---- programmatic (tests, benches, the conformance runner) ----

  /** Builds a Response for a person and app without any HTTP, e.g. to post by hand to an SP's ACS. */
  async issueResponse(input: {
    appId: string;
    personId: string;
    inResponseTo?: string | undefined;
    faults?: ResponseFault[] | undefined;
    /** a catalogue fault id (faults/index.ts), e.g. `xsw3`; `victim` names whom forged identities point at */
    fault?: string | undefined;
    victim?: string | undefined;
    session?: IdpSession | undefined;
  }): Promise<BuiltResponse> {
    const app = this.#samlApp(input.appId);
    const person = this.directory.getPerson(input.personId);
    const session = input.session ?? this.sessions.create(person.id);
    const armed = input.fault === undefined ? undefined : { fault: input.fault, victim: input.victim };
    if (armed !== undefined && findFault(armed.fault) === undefined) {
      throw new IdpError('unknown_fault', `no fault ${armed.fault} in the catalogue`);
    }
    return this.#build(app, person, session, input.inResponseTo, input.faults ?? [], armed);
  }

  // ---- single logout: GET /saml/slo ----

  /** Profiles 4.4: see slo.ts. */
  async receiveLogout(rawQuery: string, sessionId: string | undefined): Promise<IdpOutcome> {
    return this.#logout.receive(rawQuery, sessionId);
  }

  // ---- steps ----

  #askForLogin(
    appId: string,
    request: AuthnRequest | undefined,
    relayState: string | undefined,
    staleSessionId?: string | undefined,
  ): IdpOutcome {
    const id = this.#newContext({ stage: 'login', appId, request, relayState, staleSessionId });
    return { kind: 'redirect', location: `${this.#endpoints().loginUrl}?ctx=${encodeURIComponent(id)}` };
  }

  #newContext(context: Omit<LoginContext, 'id' | 'expiresAt'>): string {
    this.#pruneContexts();
    const id = randomBytes(18).toString('base64url');
    this.#contexts.set(id, { ...context, id, expiresAt: this.#now().getTime() + this.#loginContextTtlMs });
    return id;
  }

  /** A live context of this stage (a received request cannot skip to /saml/resume, nor a login to /continue). */
  #context(id: string, consume: boolean, stage: LoginContext['stage']): LoginContext {
    const context = this.#contexts.get(id);
    if (context === undefined || context.expiresAt <= this.#now().getTime() || context.stage !== stage) {
      if (context !== undefined && context.stage === stage) this.#contexts.delete(id);
      throw new IdpError(
        'login_context_expired',
        'this sign-in has expired or was already used; start again',
      );
    }
    if (consume) this.#contexts.delete(id);
    return context;
  }

  #pruneContexts(): void {
    const now = this.#now().getTime();
    for (const [id, context] of this.#contexts) if (context.expiresAt <= now) this.#contexts.delete(id);
  }

  #noPassive(app: SamlApp, request: AuthnRequest, relayState: string | undefined): IdpOutcome {
    // Core 3.4.1: IsPassive with no usable session → Responder/NoPassive, without a login page.
    const built = buildStatusResponse({
      issuer: this.#endpoints().entityId,
      acsUrl: app.sp.acsUrl,
      inResponseTo: request.id,
      statusCode: STATUS_RESPONDER,
      subStatusCode: STATUS_NO_PASSIVE,
      now: this.#now(),
      credentials: this.credentials,
    });
    return this.#postForm(app.sp.acsUrl, built.base64, relayState);
  }

  async #issue(
    app: SamlApp,
    session: IdpSession,
    request: AuthnRequest | undefined,
    relayState: string | undefined,
  ): Promise<IdpOutcome> {
    const person = this.directory.getPerson(session.personId);
    if (person.status !== 'active') throw new IdpError('person_inactive', 'this account is not active');
    // JIT-08 / ORG-06: only people assigned to the app (directly or through a group) get an assertion.
    if (!this.directory.isAssigned(app, person)) {
      throw new IdpError('not_assigned', `${person.login} is not assigned to the app ${app.name}`);
    }
    const faults = this.#armedFaults.get(app.id) ?? [];
    this.#armedFaults.delete(app.id);
    const armed = this.#armedCatalogueFault.get(app.id);
    this.#armedCatalogueFault.delete(app.id);
    const built = await this.#build(app, person, session, request?.id, faults, armed);
    this.sessions.addParticipant(session.id, app.id);
    return this.#postForm(app.sp.acsUrl, built.base64, relayState);
  }

  async #build(
    app: SamlApp,
    person: Person,
    session: IdpSession,
    inResponseTo: string | undefined,
    faults: ResponseFault[],
    armed?: ArmedFault | undefined,
  ): Promise<BuiltResponse> {
    if (armed !== undefined) return this.#buildFaulty(app, person, session, inResponseTo, armed);
    if (faults.includes('wrong-key') && this.#rogue === undefined) this.#rogue = rogueSigningCredentials();
    const replayId = faults.includes('replay-assertion-id') ? this.#lastAssertionId.get(app.id) : undefined;
    // issue #13: the app's IdP personality decides NameID format, attribute NameFormat and InResponseTo quirks
    const personality = SAML_PERSONALITY_PROFILES[app.idp] ?? SAML_PERSONALITY_PROFILES.okta;
    const answeredTo = inResponseToFor(personality, inResponseTo, newSamlId);
    const built = await buildSamlResponse({
      issuer: this.#endpoints().entityId,
      acsUrl: app.sp.acsUrl,
      audience: app.sp.entityId,
      inResponseTo: answeredTo,
      nameId: person.login,
      nameIdFormat: personality.nameIdFormat,
      attributeNameFormat: personality.attributeNameFormat,
      attributes: this.#attributes(app, person),
      authnInstant: session.authnInstant,
      sessionIndex: session.sessionIndex,
      sessionNotOnOrAfter: session.notOnOrAfter,
      now: this.#now(),
      assertionTtlMs: this.#assertionTtlMs,
      signResponse: app.signing.signResponse,
      signAssertion: app.signing.signAssertion || app.sp.wantAssertionsSigned,
      credentials: this.credentials,
      encryptionCert: app.assertionEncryption ? app.sp.encryptionCert : undefined,
      faults,
      rogueCredentials: this.#rogue,
      assertionId: replayId,
    });
    this.#lastAssertionId.set(app.id, built.assertionId);
    if (faults.length === 0)
      this.#lastResponse.set(app.id, { assertionId: built.assertionId, xml: built.xml });
    this.#log({
      appId: app.id,
      personId: person.id,
      responseId: built.responseId,
      assertionId: built.assertionId,
      inResponseTo: answeredTo,
      sessionIndex: session.sessionIndex,
      faults,
      fault: null,
      genuineXml: null,
      xml: faults.length === 0 ? null : built.xml,
      issuedAt: this.#now().toISOString(),
      ...(built.plaintextAssertion === undefined ? {} : { plaintextAssertion: built.plaintextAssertion }),
    });
    return built;
  }

  #log(entry: IssuedResponse): void {
    this.#issued.push(entry);
    if (this.#issued.length > ISSUED_LOG_LIMIT) this.#issued.shift();
  }

  /** The victim a forged identity names: as asked, else another person assigned to the app, else admin@<domain>. */
  #victimFor(app: App, person: Person, asked: string | undefined): string {
    if (asked !== undefined) return asked;
    const other = this.directory
      .assignedPeople(app.id)
      .find((p) => p.id !== person.id && p.status === 'active');
    return other?.login ?? `admin@${person.login.slice(person.login.indexOf('@') + 1)}`;
  }

  /** A catalogue fault (faults/index.ts) made from the Response this sign-in would genuinely get. */
  async #buildFaulty(
    app: SamlApp,
    person: Person,
    session: IdpSession,
    inResponseTo: string | undefined,
    armed: ArmedFault,
  ): Promise<BuiltResponse> {
    const attributes = this.#attributes(app, person);
    const genuine = async (request: GenuineRequest) => {
      const built = await buildSamlResponse({
        issuer: this.#endpoints().entityId,
        acsUrl: app.sp.acsUrl,
        audience: app.sp.entityId,
        inResponseTo: request.inResponseTo ?? inResponseTo,
        nameId: request.nameId,
        attributes: attributes.map((a) =>
          a.name === 'email' ? { name: 'email', values: [request.email] } : a,
        ),
        authnInstant: session.authnInstant,
        sessionIndex: session.sessionIndex,
        sessionNotOnOrAfter: session.notOnOrAfter,
        now: this.#now(),
        assertionTtlMs: this.#assertionTtlMs,
        signResponse: request.signResponse,
        signAssertion: request.signAssertion,
        credentials: this.credentials,
      });
      return { xml: built.xml, responseId: built.responseId, assertionId: built.assertionId };
    };
    let made: Awaited<ReturnType<typeof buildFaultyResponse>>;
    try {
      made = await buildFaultyResponse(armed.fault, {
        identities: { attacker: person.login, victim: this.#victimFor(app, person, armed.victim) },
        idpEntityId: this.#endpoints().entityId,
        credentials: this.credentials,
        now: this.#now(),
        genuine,
        spEncryptionCert: app.sp.encryptionCert,
        previous: this.#lastResponse.get(app.id),
        pendingRequestId: inResponseTo,
      });
    } catch (error) {
      if (error instanceof FaultNotApplicable) throw new IdpError('fault_not_applicable', error.message);
      throw error;
    }
    const bytes = made.faulty.bytes;
    const xml = bytes.toString(made.fault.raw?.encoding ?? 'utf8');
    this.#log({
      appId: app.id,
      personId: person.id,
      responseId: made.genuine.responseId,
      assertionId: made.genuine.assertionId,
      inResponseTo,
      sessionIndex: session.sessionIndex,
      faults: [],
      fault: made.fault.id,
      genuineXml: made.genuine.xml,
      xml,
      issuedAt: this.#now().toISOString(),
    });
    return {
      xml,
      base64: bytes.toString('base64'),
      responseId: made.genuine.responseId,
      assertionId: made.genuine.assertionId,
      notOnOrAfter: new Date(this.#now().getTime() + this.#assertionTtlMs),
    };
  }

  #attributes(app: App, person: Person): SamlAttribute[] {
    const out: SamlAttribute[] = [];
    for (const statement of app.attributeStatements) {
      let values: string[];
      if (statement.value === 'groups') {
        const filter = statement.groupFilter === undefined ? undefined : new RegExp(statement.groupFilter);
        values = this.directory
          .groupsOf(person.id)
          .map((g) => g.name)
          .filter((name) => filter === undefined || filter.test(name));
      } else if (statement.value === 'displayName') {
        values = [`${person.firstName} ${person.lastName}`];
      } else {
        values = [person[statement.value]];
      }
      // An attribute with no value (a person in no group) is left out rather than sent empty.
      if (values.length > 0) out.push({ name: statement.name, values });
    }
    return out;
  }

  #postForm(action: string, samlResponse: string, relayState: string | undefined): IdpOutcome {
    const fields: Record<string, string> = { SAMLResponse: samlResponse };
    if (relayState !== undefined) fields.RelayState = relayState;
    return { kind: 'post-form', action, fields };
  }
}
