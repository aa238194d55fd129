// The Target driver contract: how the conformance steps reach an implementation under test, one capability at a time.
// Encodes design.md "The target contract": scim, saml and control are each optional; a missing one makes scenarios n/a.
import type { ControlService } from '../server/control/port.ts';

export type Capability = 'scim' | 'saml' | 'control' | 'oidc';
export const CAPABILITIES: readonly Capability[] = ['scim', 'saml', 'control', 'oidc'];

/** One HTTP request/response pair, as kept in a scenario's transcript. */
export interface HttpExchange {
  channel: Capability;
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  at: string;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON when the body is JSON, otherwise null */
  json: unknown;
  text: string;
  /** each Set-Cookie header, for following a sign-in's redirect as the same browser */
  setCookies: string[];
}

export type TranscriptSink = (exchange: HttpExchange) => void;

/** A refusal by the target's control capability, with the stable machine code (server/domain/errors.ts). */
export class TargetRefusal extends Error {
  readonly code: string;
  readonly status: number | null;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    status: number | null = null,
    details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TargetRefusal';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;
};

/**
 * The control capability: the ControlService port, asynchronous. Refusals reject with an error carrying
 * `code` (a DomainErrorCode); TargetRefusal is the one the HTTP client throws.
 */
export type ControlDriver = Promised<ControlService>;

/** The SCIM capability: a base URL ending in /scim/v2 (or the target's equivalent) and a bearer key (OKT-01). */
export interface ScimDriver {
  readonly baseUrl: string;
  readonly bearerKey: string;
  /** path relative to baseUrl ('/Users?filter=...'); bearer overrides the key (null sends no Authorization) */
  request(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; bearer?: string | null },
  ): Promise<HttpReply>;
}

/** How a target answered a SAML Response posted to its ACS. */
export interface SignInOutcome {
  accepted: boolean;
  /** stable refusal code (jit_disabled, not_a_member, ...) or null when accepted or unreadable */
  code: string | null;
  status: number;
  location: string | null;
  /** the signed-in account's id when the target tells it */
  accountId: string | null;
  /** the signed-in account's email when the target tells it (its landing page's `account.email`) */
  accountEmail?: string | null;
  /** the human text of a refusal, when the target gives one */
  message: string | null;
  /** where an accepted sign-in landed ('personal', 'team', 'organisation') when the target tells it */
  landing: string | null;
}

/** The SAML capability: where the simulator's IdP posts responses and how the outcome is read. */
export interface SamlDriver {
  readonly spEntityId: string;
  /** ACS URL for a team auth method (the reference server has one per method); config targets have one. */
  acsUrl(methodId?: string): string;
  /** SP entity ID (audience) for a team auth method */
  audience(methodId?: string): string;
  postResponse(acsUrl: string, samlResponse: string, relayState?: string): Promise<SignInOutcome>;
  /** where an SP-initiated sign-in starts (the SP sends an AuthnRequest to the IdP), or null when not offered */
  loginUrl(methodId?: string): string | null;
  /** JIT-04 / JIT-06: the page of an invite link, whose form (field `team`) starts SSO; null when not offered */
  inviteUrl(token: string): string | null;
  /**
   * Email-and-password sign-in beside SSO (SSO-05, DEA-02, REM-02): to the personal context, or to a team's.
   * null when the target does not describe its password sign-in form (scenarios needing it are then n/a).
   */
  readonly passwordSignIn:
    | ((input: { email: string; password: string; teamId?: string }) => Promise<SignInOutcome>)
    | null;
  /**
   * Self-service sign-up with email and password (PRV-10, SSO-02). In a verified domain the answer is accepted but
   * lands nowhere (`landing` null): the address is confirmed first through a link the target e-mails, read from the
   * control capability's outbox (listOutbox) and opened with `openEmailLink`. null when the target does not describe
   * its sign-up form (scenarios needing it are then n/a).
   */
  readonly signUp: ((person: SignUpRequest) => Promise<SignInOutcome>) | null;
  /**
   * PRV-10 / SSO-02: opens a link from an e-mail the way a person's browser does (a GET; a page with a form, such as a
   * confirm button, is submitted as it stands; a redirect is followed once to the landing page) and reads where it
   * ended like a sign-in.
   */
  openEmailLink(link: string): Promise<SignInOutcome>;
  /**
   * JIT-07: the "forgot password" form (field `email`); the reset link then comes from the control capability's
   * outbox (listOutbox). null when the target does not describe it.
   */
  readonly forgotPasswordUrl: string | null;
  /**
   * ORG-01: the organisation login portal's page for an organisation slug; it links to the portal's SSO start.
   * null when the target has no portal.
   */
  portalLoginUrl(slug: string): string | null;
  /**
   * SSO-04: a team's own sign-in page, whose SSO links carry the methods' labels. null when the target does not
   * describe it.
   */
  teamLoginUrl(teamId: string): string | null;
}

/**
 * The OIDC capability (issue #14): a relying party that signs people in with the simulator's OP. The simulator
 * registers an app (client) with the RP's redirect URI; the browser dance starts at `loginUrl` and its last page is
 * read by `readOutcome`.
 */
export interface OidcDriver {
  /** where an RP-initiated sign-in starts for a team auth method (the reference server has one per method) */
  loginUrl(methodId?: string): string;
  /** the redirection endpoint the RP registers (OIDC core 3.1.2.1 redirect_uri) */
  redirectUri(methodId?: string): string;
  /** RP-Initiated Logout 1.0 post_logout_redirect_uri, or null */
  postLogoutRedirectUri(methodId?: string): string | null;
  /** the client the RP is configured with at the OP; null lets the steps choose it (they then configure the RP) */
  readonly client: { clientId: string; clientSecret: string } | null;
  /** the issuer the RP trusts, when fixed by the target file (the simulator then listens where it says) */
  readonly issuerPort: number | null;
  /** reads where the browser stopped: accepted (and where it landed) or refused with a stable code */
  readOutcome(page: { status: number; body: string; json: unknown; landedAt: string }): SignInOutcome;
}

/** The fields of a sign-up form (the reference server's `POST /signup`). */
export interface SignUpRequest {
  email: string;
  password: string;
  givenName: string;
  familyName: string;
}

/**
 * One scenario's view of the target. `scim` is opened lazily because on the reference target it needs a team with
 * SCIM enabled and a key (KEY-01..04), which product scenarios set up themselves through control.
 */
export interface TargetSession {
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  readonly control: ControlDriver | null;
  readonly saml: SamlDriver | null;
  /** the OIDC relying party, or null without the capability */
  readonly oidc: OidcDriver | null;
  /** a SCIM driver for a tenant ready for protocol scenarios (@scim-core), or null without the capability */
  openScim(): Promise<ScimDriver | null>;
  /** a SCIM driver for a given base URL and key (product scenarios that generated their own key) */
  scimWithKey(key: string): ScimDriver | null;
  close(): Promise<void>;
}

/** Builds a fresh session per scenario; `record` receives every HTTP exchange for the transcript. */
export interface TargetFactory {
  readonly name: string;
  readonly capabilities: ReadonlySet<Capability>;
  open(record: TranscriptSink): Promise<TargetSession>;
}
