// Single logout across the IdP session's participants: SP- and IdP-initiated, front channel, redirect binding.
// SAML profiles 4.4.3-4.4.4 (single logout), core 3.7 (LogoutRequest / LogoutResponse), bindings 3.4.

import { buildRedirectQuery, STATUS_RESPONDER, STATUS_SUCCESS } from '../../protocol/saml/index.ts';
import type { Directory } from '../directory/index.ts';
import { checkRedirectSignature, decodeRedirect } from './authn-request.ts';
import { IdpError } from './errors.ts';
import type { IdpEndpoints } from './idp.ts';
import type { SigningCredentials } from './keys.ts';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  parseLogoutRequest,
  parseLogoutResponse,
} from './logout.ts';
import type { IdpOutcome } from './outcome.ts';
import type { IdpSession, SessionStore } from './session.ts';

export interface SingleLogoutDeps {
  directory: Directory;
  sessions: SessionStore;
  credentials: SigningCredentials;
  now: () => Date;
  endpoints: () => IdpEndpoints;
  /** How long the IdP waits for a participant's LogoutResponse. */
  pendingTtlMs: number;
}

/** A single logout in progress across the session's participants (profiles 4.4.4). */
interface PendingLogout {
  /** The SP whose LogoutRequest started it (absent for IdP-initiated logout). */
  requester: { appId: string; requestId: string; relayState: string | undefined } | undefined;
  /** Overall status for the requester's LogoutResponse. */
  status: string;
  /** Participants still to be sent a LogoutRequest. */
  remaining: string[];
  nameId: string;
  sessionIndex: string;
}

function signedOutPage(): IdpOutcome {
  return {
    kind: 'page',
    status: 200,
    title: 'Signed out',
    message: 'You are signed out.',
    clearSession: true,
  };
}

function appendQuery(url: string, query: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

export class SingleLogout {
  readonly #deps: SingleLogoutDeps;
  readonly #pendingLogouts = new Map<string, PendingLogout & { expiresAt: number }>();

  constructor(deps: SingleLogoutDeps) {
    this.#deps = deps;
  }

  /**
   * Profiles 4.4.3-4.4.4: an SP's LogoutRequest (or a plain GET for IdP-initiated logout) ends the IdP session,
   * then each other session participant with an SLO URL gets a LogoutRequest in turn (front channel, redirect
   * binding); their LogoutResponses come back here; finally the requesting SP gets its LogoutResponse.
   */
  receive(rawQuery: string, sessionId: string | undefined): IdpOutcome {
    if (rawQuery.includes('SAMLResponse=')) return this.#logoutResponseFromParticipant(rawQuery);
    if (!rawQuery.includes('SAMLRequest=')) {
      const session = this.#deps.sessions.get(sessionId);
      if (session === undefined) return signedOutPage();
      this.#deps.sessions.end(session.id);
      return this.#nextLogoutStep(this.#newLogout(session, undefined, undefined));
    }
    const { message, xml } = decodeRedirect(rawQuery, 'SAMLRequest');
    const request = parseLogoutRequest(xml);
    const app = this.#deps.directory.findAppByEntityId(request.issuer);
    if (app === undefined) throw new IdpError('unknown_sp', `no app has SP entityID ${request.issuer}`);
    checkRedirectSignature(message, app.sp);
    if (app.sp.sloUrl === undefined) throw new IdpError('slo_not_supported', `app ${app.id} has no SLO URL`);
    // Core 3.7.3.2: end the session named by the cookie, else by SessionIndex; the NameID must match it.
    const candidates = [
      this.#deps.sessions.get(sessionId),
      ...request.sessionIndexes.map((index) => this.#deps.sessions.findBySessionIndex(index)),
    ].filter((s): s is IdpSession => s !== undefined);
    const matching = candidates.filter(
      (s) =>
        request.nameId === '' ||
        request.nameId.toLowerCase() === this.#deps.directory.getPerson(s.personId).login.toLowerCase(),
    );
    for (const session of matching) this.#deps.sessions.end(session.id);
    const requester = { appId: app.id, requestId: request.id, relayState: message.relayState };
    // Core 3.7.3.2: Success when the session is gone (also when it had already ended); a session found under
    // another NameID is not ended, and the SP is told the logout was partial (Responder).
    const partial = candidates.length > 0 && matching.length === 0;
    const logout = this.#newLogout(matching[0], requester, partial ? STATUS_RESPONDER : STATUS_SUCCESS);
    return this.#nextLogoutStep(logout);
  }

  #newLogout(
    session: IdpSession | undefined,
    requester: PendingLogout['requester'],
    status: string | undefined,
  ): PendingLogout {
    const participants =
      session === undefined
        ? []
        : session.appIds.filter((id) => id !== requester?.appId && this.#appSloUrl(id) !== undefined);
    return {
      requester,
      status: status ?? STATUS_SUCCESS,
      remaining: participants,
      nameId: session === undefined ? '' : this.#deps.directory.getPerson(session.personId).login,
      sessionIndex: session?.sessionIndex ?? '',
    };
  }

  #appSloUrl(appId: string): string | undefined {
    try {
      return this.#deps.directory.getApp(appId).sp?.sloUrl;
    } catch {
      return undefined;
    }
  }

  /** Sends the browser to the next participant, or answers the requester when none is left. */
  #nextLogoutStep(logout: PendingLogout): IdpOutcome {
    const now = this.#deps.now();
    const nextAppId = logout.remaining.shift();
    const nextSlo = nextAppId === undefined ? undefined : this.#appSloUrl(nextAppId);
    if (nextAppId !== undefined && nextSlo !== undefined) {
      const request = buildLogoutRequest({
        issuer: this.#deps.endpoints().entityId,
        destination: nextSlo,
        nameId: logout.nameId,
        sessionIndex: logout.sessionIndex,
        now,
      });
      this.#pendingLogouts.set(request.id, { ...logout, expiresAt: now.getTime() + this.#deps.pendingTtlMs });
      const query = buildRedirectQuery('SAMLRequest', request.xml, {
        signingKey: this.#deps.credentials.privateKey,
      });
      return { kind: 'redirect', location: appendQuery(nextSlo, query), clearSession: true };
    }
    const requester = logout.requester;
    const requesterSlo = requester === undefined ? undefined : this.#appSloUrl(requester.appId);
    if (requester === undefined || requesterSlo === undefined) return signedOutPage();
    const responseXml = buildLogoutResponse({
      issuer: this.#deps.endpoints().entityId,
      destination: requesterSlo,
      inResponseTo: requester.requestId,
      statusCode: logout.status,
      now,
    });
    const query = buildRedirectQuery('SAMLResponse', responseXml, {
      relayState: requester.relayState,
      signingKey: this.#deps.credentials.privateKey,
    });
    return { kind: 'redirect', location: appendQuery(requesterSlo, query), clearSession: true };
  }

  /** A participant's LogoutResponse to our LogoutRequest (core 3.7.2): check it, then move on. */
  #logoutResponseFromParticipant(rawQuery: string): IdpOutcome {
    const { message, xml } = decodeRedirect(rawQuery, 'SAMLResponse');
    const response = parseLogoutResponse(xml);
    const pending = this.#pendingLogouts.get(response.inResponseTo);
    if (pending === undefined || pending.expiresAt <= this.#deps.now().getTime()) {
      this.#pendingLogouts.delete(response.inResponseTo);
      return signedOutPage();
    }
    const app = this.#deps.directory.findAppByEntityId(response.issuer);
    if (app === undefined) throw new IdpError('unknown_sp', `no app has SP entityID ${response.issuer}`);
    checkRedirectSignature(message, { signingCerts: app.sp.signingCerts, authnRequestsSigned: false });
    this.#pendingLogouts.delete(response.inResponseTo);
    const { expiresAt: _expiresAt, ...logout } = pending;
    // Profiles 4.4.4.2: a participant that failed makes the overall result partial.
    if (response.statusCode !== STATUS_SUCCESS) logout.status = STATUS_RESPONDER;
    return this.#nextLogoutStep(logout);
  }
}
