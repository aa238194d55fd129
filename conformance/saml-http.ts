// The SAML capability over HTTP: posts a Response to the target's ACS (SAML bindings 3.5, HTTP-POST) and reads the
// outcome (accepted, or refused with a stable code such as jit_disabled, JIT-01) from a JSON body or a redirect.
import { DOMParser } from '@xmldom/xmldom';
import { postPageForm, readPageForm } from './page-form.ts';
import { recordedFetch } from './recorded-fetch.ts';
import type { HttpReply, SamlDriver, SignInOutcome, SignUpRequest, TranscriptSink } from './target.ts';

export type OutcomeMode = 'auto' | 'json' | 'redirect';

interface OutcomeBody {
  ok?: unknown;
  accountId?: unknown;
  account?: { id?: unknown; email?: unknown };
  landing?: unknown;
  error?: { code?: unknown; message?: unknown } | string;
  code?: unknown;
  message?: unknown;
}

function asBody(json: unknown): OutcomeBody | null {
  return json !== null && typeof json === 'object' ? (json as OutcomeBody) : null;
}

/** A refusal code in a JSON body: `error` (string or {code}), or `code` on an error status or with ok=false. */
function codeFromJson(json: unknown, status: number): string | null {
  const body = asBody(json);
  if (body === null) return null;
  if (typeof body.error === 'string') return body.error;
  if (body.error !== undefined && typeof body.error.code === 'string') return body.error.code;
  if (typeof body.code === 'string' && (status >= 400 || body.ok === false)) return body.code;
  return null;
}

function messageFromJson(json: unknown): string | null {
  const body = asBody(json);
  if (body === null) return null;
  if (typeof body.message === 'string') return body.message;
  if (typeof body.error === 'object' && typeof body.error.message === 'string') return body.error.message;
  return null;
}

function landingFromJson(json: unknown): string | null {
  const landing = (asBody(json) as { landing?: unknown } | null)?.landing;
  return typeof landing === 'string' ? landing : null;
}

function accountEmailFromJson(json: unknown): string | null {
  const email = asBody(json)?.account?.email;
  return typeof email === 'string' ? email : null;
}

function accountIdFromJson(json: unknown): string | null {
  const body = asBody(json);
  if (typeof body?.accountId === 'string') return body.accountId;
  return typeof body?.account?.id === 'string' ? body.account.id : null;
}

/** Reads an ACS answer: refusals carry a code in JSON (`error.code`), in a data attribute, or in the redirect query. */
export function readSignInOutcome(reply: HttpReply, mode: OutcomeMode, errorParam: string): SignInOutcome {
  const location = reply.headers.location ?? null;
  let code: string | null = null;
  if (mode !== 'redirect') {
    code =
      codeFromJson(reply.json, reply.status) ?? /data-error-code="([a-z_]+)"/.exec(reply.text)?.[1] ?? null;
  }
  if (code === null && mode !== 'json' && location !== null) {
    code = new URL(location, 'http://relative.invalid').searchParams.get(errorParam);
  }
  const accepted = code === null && reply.status < 400;
  return {
    accepted,
    code: accepted ? null : (code ?? `http_${reply.status}`),
    status: reply.status,
    location,
    accountId: accountIdFromJson(reply.json),
    accountEmail: accepted ? accountEmailFromJson(reply.json) : null,
    message: accepted ? null : messageFromJson(reply.json),
    landing: accepted ? landingFromJson(reply.json) : null,
  };
}

export async function postSamlResponse(
  record: TranscriptSink,
  acsUrl: string,
  samlResponse: string,
  relayState: string | undefined,
  mode: OutcomeMode,
  errorParam: string,
): Promise<SignInOutcome> {
  const form = new URLSearchParams({ SAMLResponse: samlResponse });
  if (relayState !== undefined) form.set('RelayState', relayState);
  const reply = await recordedFetch('saml', record, {
    method: 'POST',
    url: acsUrl,
    headers: { accept: 'application/json' },
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  return withLanding(readSignInOutcome(reply, mode, errorParam), reply, acsUrl, record);
}

/** Where a target's email-and-password form posts: a personal URL and a team URL with `{teamId}` in it. */
export interface PasswordLoginUrls {
  personalUrl: string;
  teamUrl: string | null;
}

/**
 * An accepted sign-in usually answers with a redirect to where the person lands; following it once, with the
 * cookies just set, tells where that is (the reference server's landing view carries `landing`).
 */
async function withLanding(
  outcome: SignInOutcome,
  reply: HttpReply,
  requestUrl: string,
  record: TranscriptSink,
): Promise<SignInOutcome> {
  if (!outcome.accepted || outcome.landing !== null || outcome.location === null) return outcome;
  const cookie = reply.setCookies.map((header) => header.split(';')[0]).join('; ');
  const landed = await recordedFetch('saml', record, {
    method: 'GET',
    url: new URL(outcome.location, requestUrl).href,
    headers: cookie === '' ? { accept: 'application/json' } : { accept: 'application/json', cookie },
  });
  return {
    ...outcome,
    landing: landingFromJson(landed.json),
    accountId: outcome.accountId ?? accountIdFromJson(landed.json),
    accountEmail: outcome.accountEmail ?? accountEmailFromJson(landed.json),
  };
}

/**
 * PRV-10 / SSO-02: opens a link from an e-mail (sign-up confirmation) as a browser does: GET; a page with a form
 * (a confirm button) is submitted as it stands; the last answer is read like a sign-in answer.
 */
export function openEmailLinkVia(
  record: TranscriptSink,
  mode: OutcomeMode,
  errorParam: string,
): (link: string) => Promise<SignInOutcome> {
  return async (link) => {
    const page = await recordedFetch('saml', record, {
      method: 'GET',
      url: link,
      headers: { accept: 'text/html' },
    });
    const form = page.status === 200 ? readPageForm(link, page.text) : null;
    const reply = form === null ? page : await postPageForm(form, {}, record);
    const url = form === null ? link : form.action;
    return withLanding(readSignInOutcome(reply, mode, errorParam), reply, url, record);
  };
}

/** Posts the password form (fields `email`, `password`) and reads the outcome like an ACS answer. */
export function passwordSignInVia(
  urls: PasswordLoginUrls,
  record: TranscriptSink,
  mode: OutcomeMode,
  errorParam: string,
): (input: { email: string; password: string; teamId?: string }) => Promise<SignInOutcome> {
  return async (input) => {
    const url =
      input.teamId === undefined
        ? urls.personalUrl
        : (urls.teamUrl ?? urls.personalUrl).replace('{teamId}', encodeURIComponent(input.teamId));
    const reply = await recordedFetch('saml', record, {
      method: 'POST',
      url,
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ email: input.email, password: input.password }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    return withLanding(readSignInOutcome(reply, mode, errorParam), reply, url, record);
  };
}

/** Posts the sign-up form (fields email, password, givenName, familyName) and reads the outcome like a sign-in. */
export function signUpVia(
  url: string,
  record: TranscriptSink,
  mode: OutcomeMode,
  errorParam: string,
): (person: SignUpRequest) => Promise<SignInOutcome> {
  return async (person) => {
    const reply = await recordedFetch('saml', record, {
      method: 'POST',
      url,
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ ...person }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    return withLanding(readSignInOutcome(reply, mode, errorParam), reply, url, record);
  };
}

/** SAML metadata 2.3.2 / 2.4.4: entityID of the EntityDescriptor and the HTTP-POST AssertionConsumerService. */
export function readSpMetadata(xml: string): { entityId: string; acsUrl: string } {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const root = doc.documentElement;
  const entityId = root?.getAttribute('entityID') ?? '';
  const services = doc.getElementsByTagNameNS(
    'urn:oasis:names:tc:SAML:2.0:metadata',
    'AssertionConsumerService',
  );
  let acsUrl = '';
  for (let index = 0; index < services.length; index += 1) {
    const service = services.item(index);
    if (service?.getAttribute('Binding') === 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST') {
      acsUrl = service.getAttribute('Location') ?? '';
      break;
    }
  }
  if (entityId === '' || acsUrl === '') throw new Error('SP metadata lacks entityID or an HTTP-POST ACS');
  return { entityId, acsUrl };
}

export function createFixedSamlDriver(
  entityId: string,
  acsUrl: string,
  record: TranscriptSink,
  mode: OutcomeMode,
  errorParam: string,
  loginUrl: string | null = null,
  passwordLogin: PasswordLoginUrls | null = null,
  inviteUrl: string | null = null,
  signUpUrl: string | null = null,
  forgotPasswordUrl: string | null = null,
  portalLoginUrl: string | null = null,
  teamLoginUrl: string | null = null,
): SamlDriver {
  return {
    forgotPasswordUrl,
    portalLoginUrl: (slug) =>
      portalLoginUrl === null ? null : portalLoginUrl.replace('{org}', encodeURIComponent(slug)),
    teamLoginUrl: (teamId) =>
      teamLoginUrl === null ? null : teamLoginUrl.replace('{teamId}', encodeURIComponent(teamId)),
    signUp: signUpUrl === null ? null : signUpVia(signUpUrl, record, mode, errorParam),
    openEmailLink: openEmailLinkVia(record, mode, errorParam),
    inviteUrl: (token) =>
      inviteUrl === null ? null : inviteUrl.replace('{token}', encodeURIComponent(token)),
    spEntityId: entityId,
    acsUrl: () => acsUrl,
    audience: () => entityId,
    loginUrl: () => loginUrl,
    passwordSignIn:
      passwordLogin === null ? null : passwordSignInVia(passwordLogin, record, mode, errorParam),
    postResponse: (url, samlResponse, relayState) =>
      postSamlResponse(record, url, samlResponse, relayState, mode, errorParam),
  };
}
