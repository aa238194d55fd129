// The IdP side of SAML scenarios: signed Responses from the simulator's builder (simulator/saml/response.ts) with
// its TEST-ONLY keys, posted over HTTP-POST to the SP under test (SAML bindings 3.5, profiles 4.1.4.2).

import type { TranscriptSink } from '../conformance/target.ts';
import { IDP_APP_TEMPLATES, type IdpPersonality } from '../simulator/directory/index.ts';
import type { SimulatorHandle } from '../simulator/http/simulator.ts';
import { createSimulator } from '../simulator/http/simulator.ts';
import type { ResponseFault } from '../simulator/saml/faults.ts';
import { CookieJar, headlessSignIn } from '../simulator/saml/headless.ts';
import { defaultSigningCredentials, rogueSigningCredentials } from '../simulator/saml/keys.ts';
import { inResponseToFor, SAML_PERSONALITY_PROFILES } from '../simulator/saml/personality-profiles.ts';
import { buildSamlResponse, newSamlId } from '../simulator/saml/response.ts';
import { SIMULATED_IDP_ENTITY_ID } from './sso-fixture.ts';
import type { IdpSignIn, IdsimWorld, NamedPerson } from './world.ts';

export type { IdpSignIn };

/** IdP sessions outlive the SP's "recent" window (ORG-03/04 decision: 8 h) so that stale sessions can be made. */
const IDP_SESSION_TTL_MS = 48 * 3_600_000;

export interface ResponseRequest {
  person: NamedPerson;
  givenName: string;
  familyName: string;
  acsUrl: string;
  audience: string;
  faults?: readonly ResponseFault[];
  /** issue #13: the IdP personality whose attribute names, NameID format and InResponseTo quirks to use */
  idp?: IdpPersonality | null | undefined;
}

/**
 * An IdP-initiated Response for `person`: NameID and the email/firstName/lastName attributes Okta sends, or those
 * of the chosen personality (Entra's claim URIs, Rippling's unsolicited InResponseTo, ...). The assertion is
 * always signed, as the team SP's metadata asks (WantAssertionsSigned).
 */
export async function signedResponseFor(request: ResponseRequest): Promise<string> {
  const now = new Date();
  const idp = request.idp ?? 'okta';
  const template = IDP_APP_TEMPLATES[idp];
  const profile = SAML_PERSONALITY_PROFILES[idp];
  const personValues: Record<string, string | undefined> = {
    email: request.person.email,
    login: request.person.email,
    firstName: request.givenName,
    lastName: request.familyName,
    displayName: `${request.givenName} ${request.familyName}`,
  };
  const attributes = template.attributeStatements.flatMap((statement) => {
    const value = personValues[statement.value];
    return value === undefined ? [] : [{ name: statement.name, values: [value] }];
  });
  const built = await buildSamlResponse({
    issuer: SIMULATED_IDP_ENTITY_ID,
    acsUrl: request.acsUrl,
    audience: request.audience,
    inResponseTo: inResponseToFor(profile, undefined, newSamlId),
    nameId: request.person.email,
    nameIdFormat: profile.nameIdFormat,
    attributeNameFormat: profile.attributeNameFormat,
    attributes,
    authnInstant: now,
    sessionIndex: `session-${now.getTime()}`,
    now,
    signResponse: template.signing.signResponse,
    signAssertion: true,
    credentials: defaultSigningCredentials(),
    rogueCredentials: rogueSigningCredentials(),
    faults: request.faults ?? [],
  });
  return built.base64;
}

/** The scenario's simulator (fake IdP), started on first use with the entity ID the team's SSO method trusts. */
export async function runningSimulator(world: IdsimWorld): Promise<SimulatorHandle> {
  if (world.simulator === null) {
    const simulator = createSimulator({
      // a target's RP that trusts a fixed OIDC issuer finds the simulator on that port
      port: world.target.oidc?.issuerPort ?? 0,
      entityId: SIMULATED_IDP_ENTITY_ID,
      people: 0,
      sessionTtlMs: IDP_SESSION_TTL_MS,
      now: () => new Date(Date.now() + world.idpClockOffsetMs),
    });
    await simulator.listen();
    world.simulator = simulator;
  }
  return world.simulator;
}

/**
 * Registers the SP (one team auth method) as an app in the IdP, as an IdP admin would from its metadata; with a
 * personality (issue #13) the app is that IdP's (its attribute names, signing and SAML profile).
 */
export function registerSpApp(
  simulator: SimulatorHandle,
  entityId: string,
  acsUrl: string,
  idp?: IdpPersonality | null,
): void {
  if (simulator.directory.findAppByEntityId(entityId) !== undefined) return;
  simulator.directory.addApp({
    name: 'idsim team',
    template: 'catalogue',
    ...(idp ? { idp } : {}),
    sp: { entityId, acsUrl, signingCerts: [], authnRequestsSigned: false, wantAssertionsSigned: true },
  });
}

/** `Given the IdP is ...` after the apps exist: each becomes that IdP's, attribute names and signing included. */
export function makeAppsBehaveAs(simulator: SimulatorHandle, idp: IdpPersonality): void {
  const template = IDP_APP_TEMPLATES[idp];
  for (const app of simulator.directory.listApps()) {
    simulator.directory.updateApp(app.id, {
      idp,
      attributeStatements: template.attributeStatements.map((statement) => ({ ...statement })),
      signing: template.signing,
    });
  }
}

/** A fetch that also writes each exchange of a browser-like flow into the scenario's SAML transcript. */
export function recordingFetch(record: TranscriptSink, channel: 'saml' | 'oidc' = 'saml'): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const text = await response.clone().text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    record({
      channel,
      method: init?.method ?? 'GET',
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      requestHeaders: {},
      requestBody: typeof init?.body === 'string' ? init.body : null,
      status: response.status,
      responseHeaders: headers,
      responseBody: text,
      at: new Date().toISOString(),
    });
    return response;
  };
}

/** Starts at the SP, follows the redirect to the IdP, types the person's IdP credentials, follows what comes back. */
export async function signInThroughIdp(
  startUrl: string,
  person: NamedPerson,
  record: TranscriptSink,
  jar?: CookieJar,
): Promise<IdpSignIn> {
  const result = await headlessSignIn({
    startUrl,
    credentials: { login: person.email, password: person.password },
    fetchImpl: recordingFetch(record),
    ...(jar === undefined ? {} : { jar }),
  });
  return idpSignInOf(result);
}

function idpSignInOf(result: Awaited<ReturnType<typeof headlessSignIn>>): IdpSignIn {
  return {
    errorCode: result.errorCode ?? null,
    responsePosted: result.samlResponse !== undefined,
    landedAt: result.landedAt,
    loginPrompts: result.loginPrompts,
    // every POST the browser made is a login form or an auto-posted SAML form
    responsesPosted: result.steps.filter((step) => step.method === 'POST').length - result.loginPrompts,
    landing: /data-landing="([a-z]+)"/.exec(result.body)?.[1] ?? null,
  };
}

/** Adds the person to the IdP's directory (IdP password = the person's password) and assigns every app if asked. */
export function enrolInIdp(
  simulator: SimulatorHandle,
  person: NamedPerson,
  givenName: string,
  assign: boolean,
  familyName = 'Tester',
): void {
  const directory = simulator.directory;
  const known = directory.findPersonByLogin(person.email);
  const enrolled =
    known ??
    directory.addPerson({
      login: person.email,
      email: person.email,
      firstName: givenName,
      lastName: familyName,
      password: person.password,
    });
  if (!assign) return;
  for (const app of directory.listApps()) directory.assign(app.id, { kind: 'person', id: enrolled.id });
}

/** Where an invite's SSO ended: the IdP sign-in, and the SP's link form when an existing account must confirm. */
export interface InviteSso {
  signIn: IdpSignIn;
  /** absolute URL the account password is posted to (JIT-06), null when no link was asked for */
  linkUrl: string | null;
}

/**
 * JIT-04 / JIT-06: opens the invite page's form (field `team`, the team domain), which sends the browser to the
 * IdP; signs in there with the IdP credentials and follows the SAML POST back to the SP.
 */
export async function acceptInviteWithSso(
  inviteUrl: string,
  teamDomain: string,
  person: NamedPerson,
  record: TranscriptSink,
): Promise<InviteSso> {
  const jar = new CookieJar();
  const fetchImpl = recordingFetch(record);
  const started = await fetchImpl(inviteUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams({ team: teamDomain }).toString(),
  });
  jar.store(inviteUrl, started);
  const location = started.headers.get('location');
  if (location === null) throw new Error(`the invite form answered ${started.status} without a redirect`);
  const result = await headlessSignIn({
    startUrl: new URL(location, inviteUrl).href,
    credentials: { login: person.email, password: person.password },
    jar,
    fetchImpl,
  });
  const action = /action="([^"]*\/link\/[^"]+)"/.exec(result.body)?.[1] ?? null;
  return {
    signIn: idpSignInOf(result),
    linkUrl: action === null ? null : new URL(action.replace(/&amp;/g, '&'), result.landedAt).href,
  };
}
