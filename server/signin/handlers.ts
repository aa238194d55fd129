// Thin sign-in handlers: each takes a plain request value and returns a PageResult (status, view, redirect, cookies).
// One refusal path: any thrown value becomes a SignInError view with its stable code (errors.ts), never a stack.
import type { Logger } from '../http/logger.ts';
import { describeThrown } from '../http/logger.ts';
import type { PageResult, View } from '../http/pages/views.ts';
import { refusalText, SignInError, toSignInError } from './errors.ts';
import {
  clearSessionCookie,
  readCookie,
  SESSION_COOKIE,
  type SpSession,
  sessionSetCookie,
} from './session.ts';
import type { SignInOutcome, SignInService } from './signin-service.ts';

export interface SignInRequest {
  params: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string | undefined>>;
  /** the query string as received, without `?` (bindings 3.4.4.1: redirect signatures cover the raw octets) */
  rawQuery: string;
  /** urlencoded form fields (HTML forms and the HTTP-POST binding) */
  form: Readonly<Record<string, string | undefined>>;
  cookieHeader: string | undefined;
  /** the request arrived over https (Secure cookies) */
  secure: boolean;
}

/** What the password/portal pages ask of OpenID Connect sign-in (server/oidc/oidc-signin.ts), when it is mounted. */
export interface OidcEntry {
  startTeam(
    methodId: string,
    options: { inviteToken?: string | undefined },
  ): Promise<{ location: string; pendingId: string }>;
  endSessionLocation(session: SpSession | null): Promise<string | null>;
  pendingCookie(pendingId: string, secure: boolean): string;
}

export interface HandlerDeps {
  signIn: SignInService;
  logger: Logger;
  oidc?: OidcEntry | undefined;
}

export type Handler = (request: SignInRequest, deps: HandlerDeps) => PageResult | Promise<PageResult>;

export function refusalView(error: SignInError): View {
  return { type: 'refusal', code: error.code, message: refusalText(error.code) };
}

/** Runs a handler; the one place where thrown values become refusal pages (unknown ones are logged, not echoed). */
export async function runHandler(
  handler: Handler,
  request: SignInRequest,
  deps: HandlerDeps,
): Promise<PageResult> {
  try {
    return await handler(request, deps);
  } catch (thrown) {
    const error = toSignInError(thrown);
    if (error.code === 'internal_error') deps.logger.error('sign-in failed', describeThrown(thrown));
    return { status: error.status, view: refusalView(error) };
  }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new SignInError('bad_request', `missing ${name}`);
  return value;
}

/** Turns a sign-in outcome into a redirect with a session cookie, a ForceAuthn redirect, or the link form. */
export function outcomeResult(outcome: SignInOutcome, request: SignInRequest, deps: HandlerDeps): PageResult {
  switch (outcome.kind) {
    case 'signed_in': {
      const cookie = sessionSetCookie(deps.signIn.sessions.encode(outcome.session), {
        secure: request.secure,
        maxAgeMs: outcome.session.expiresAtMs - outcome.session.issuedAtMs,
      });
      return {
        status: 303,
        location: outcome.landing.path,
        setCookies: [cookie],
        view: { type: 'message', title: 'Signed in', message: 'You are signed in.', links: [] },
      };
    }
    case 'redirect':
      return {
        status: 303,
        location: outcome.location,
        view: {
          type: 'message',
          title: 'Sign in again',
          message: 'Your identity provider will ask you to sign in again.',
          links: [],
        },
      };
    case 'link_required':
      return {
        status: 200,
        view: {
          type: 'form',
          form: 'link-account',
          title: 'Link your existing account',
          intro: `An account for ${outcome.email} already exists. Enter the password of that account (not your SSO password) to link it to ${outcome.teamName}.`,
          action: `/link/${encodeURIComponent(outcome.ticketId)}`,
          fields: [{ name: 'password', label: 'Account password', type: 'password' }],
          submit: 'Link account',
          links: [{ href: '/forgot-password', text: 'Forgot your password?' }],
        },
      };
  }
}

function currentSession(request: SignInRequest, deps: HandlerDeps): SpSession | null {
  return deps.signIn.readSession(readCookie(request.cookieHeader, SESSION_COOKIE));
}

// ------------------------------------------------------------------ SAML SP

export const startSamlSignIn: Handler = (request, deps) => ({
  status: 303,
  location: deps.signIn.startTeamSso(required(request.params.methodId, 'methodId'), {
    ...(request.query.invite === undefined ? {} : { inviteToken: request.query.invite }),
    ...(request.query.RelayState === undefined ? {} : { relayState: request.query.RelayState }),
  }),
  view: {
    type: 'message',
    title: 'Redirecting',
    message: 'Taking you to your identity provider.',
    links: [],
  },
});

export const assertionConsumer: Handler = async (request, deps) => {
  const outcome = await deps.signIn.consumeAssertion(
    required(request.params.methodId, 'methodId'),
    required(request.form.SAMLResponse, 'SAMLResponse'),
    request.form.RelayState,
  );
  return outcomeResult(outcome, request, deps);
};

/** A 303 on to the IdP during single logout, with a page for clients that do not follow redirects. */
function toIdpDuringLogout(location: string, setCookies: string[], message: string): PageResult {
  return {
    status: 303,
    location,
    setCookies,
    view: { type: 'message', title: 'Signing out', message, links: [] },
  };
}

/** GET /saml/:methodId/slo: the SP's SingleLogoutService (HTTP-Redirect binding, profiles 4.4). */
export const singleLogoutService: Handler = (request, deps) => {
  const outcome = deps.signIn.receiveSingleLogout(
    required(request.params.methodId, 'methodId'),
    request.rawQuery,
    readCookie(request.cookieHeader, SESSION_COOKIE),
  );
  const setCookies = outcome.clearCookie ? [clearSessionCookie({ secure: request.secure })] : [];
  if (outcome.kind === 'redirect') {
    return toIdpDuringLogout(outcome.location, setCookies, 'Telling your identity provider.');
  }
  return { status: 200, setCookies, view: { type: 'signed_out', complete: outcome.complete } };
};

// ------------------------------------------------------------------ password sign-in

export const personalLoginPage: Handler = () => ({
  status: 200,
  view: {
    type: 'form',
    form: 'login',
    title: 'Sign in',
    intro: 'Sign in to your personal account with your email and password.',
    action: '/login',
    fields: [
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'password', label: 'Password', type: 'password' },
    ],
    submit: 'Sign in',
    links: [{ href: '/forgot-password', text: 'Forgot your password?' }],
  },
});

export const personalLogin: Handler = (request, deps) =>
  outcomeResult(
    deps.signIn.passwordSignIn({
      email: required(request.form.email, 'email'),
      password: required(request.form.password, 'password'),
    }),
    request,
    deps,
  );

export const teamLoginPage: Handler = (request, deps) => {
  const teamId = required(request.params.teamId, 'teamId');
  const options = deps.signIn.teamLoginOptions(teamId);
  const sso = [
    ...options.saml.map((m) => ({
      href: `/saml/${encodeURIComponent(m.id)}/login`,
      text: `Sign in with SSO (${m.label})`,
    })),
    ...options.oidc.map((m) => ({
      href: `/oidc/${encodeURIComponent(m.id)}/login`,
      text: `Sign in with SSO (${m.label})`,
    })),
  ];
  return {
    status: 200,
    view: {
      type: 'form',
      form: options.password ? 'login' : 'sso-only',
      title: `Sign in to ${options.teamName}`,
      intro: options.password ? 'Use your email and password, or SSO.' : 'This team signs in with SSO.',
      action: `/teams/${encodeURIComponent(teamId)}/login`,
      fields: options.password
        ? [
            { name: 'email', label: 'Email', type: 'email' },
            { name: 'password', label: 'Password', type: 'password' },
          ]
        : [],
      submit: 'Sign in',
      links: [...sso, { href: '/forgot-password', text: 'Forgot your password?' }],
    },
  };
};

export const teamLogin: Handler = (request, deps) =>
  outcomeResult(
    deps.signIn.passwordSignIn({
      email: required(request.form.email, 'email'),
      password: required(request.form.password, 'password'),
      teamId: required(request.params.teamId, 'teamId'),
    }),
    request,
    deps,
  );

// ------------------------------------------------------------------ invites and linking (JIT-04, JIT-06, JIT-07)

export const invitePage: Handler = (request) => {
  const token = required(request.params.token, 'token');
  return {
    status: 200,
    view: {
      type: 'form',
      form: 'invite-sso',
      title: 'Join your team',
      intro:
        'Sign in with SSO: enter your team (its id, the "team domain") to continue at your identity provider.',
      action: `/invites/${encodeURIComponent(token)}`,
      fields: [{ name: 'team', label: 'Team', type: 'text' }],
      submit: 'Sign in with SSO',
      links: [],
    },
  };
};

export const inviteSso: Handler = async (request, deps) => {
  const token = required(request.params.token, 'token');
  const options = deps.signIn.teamLoginOptions(required(request.form.team ?? request.query.team, 'team'));
  const method = options.saml[0];
  const oidcMethod = options.oidc[0];
  if (method === undefined && oidcMethod !== undefined && deps.oidc !== undefined) {
    // JIT-04/06 over OpenID Connect: the team's OIDC method, the invite in the pending request.
    const started = await deps.oidc.startTeam(oidcMethod.id, { inviteToken: token });
    return {
      status: 303,
      location: started.location,
      setCookies: [deps.oidc.pendingCookie(started.pendingId, request.secure)],
      view: {
        type: 'message',
        title: 'Redirecting',
        message: 'Taking you to your identity provider.',
        links: [],
      },
    };
  }
  if (method === undefined) throw new SignInError('unknown_auth_method', 'team has no SSO method');
  return {
    status: 303,
    location: deps.signIn.startTeamSso(method.id, { inviteToken: token }),
    view: {
      type: 'message',
      title: 'Redirecting',
      message: 'Taking you to your identity provider.',
      links: [],
    },
  };
};

export const confirmLink: Handler = (request, deps) =>
  outcomeResult(
    deps.signIn.confirmLink(
      required(request.params.ticket, 'ticket'),
      required(request.form.password, 'password'),
    ),
    request,
    deps,
  );

export const forgotPasswordPage: Handler = () => ({
  status: 200,
  view: {
    type: 'form',
    form: 'forgot-password',
    title: 'Forgot your password?',
    intro: 'We will send a link to reset it. The link works once, for one hour.',
    action: '/forgot-password',
    fields: [{ name: 'email', label: 'Email', type: 'email' }],
    submit: 'Send reset link',
    links: [],
  },
});

export const forgotPassword: Handler = (request, deps) => {
  deps.signIn.forgotPassword(required(request.form.email, 'email'));
  return {
    status: 200,
    view: {
      type: 'message',
      title: 'Check your email',
      message: 'If an account uses this address, a reset link is on its way.',
      links: [],
    },
  };
};

export const resetPasswordPage: Handler = (request) => ({
  status: 200,
  view: {
    type: 'form',
    form: 'reset-password',
    title: 'Choose a new password',
    intro: 'At least 8 characters.',
    action: '/reset-password',
    fields: [
      { name: 'token', label: 'Token', type: 'hidden', value: request.query.token ?? '' },
      { name: 'password', label: 'New password', type: 'password' },
    ],
    submit: 'Set password',
    links: [],
  },
});

export const resetPassword: Handler = (request, deps) => {
  deps.signIn.resetPassword(
    required(request.form.token, 'token'),
    required(request.form.password, 'password'),
  );
  return {
    status: 200,
    view: {
      type: 'message',
      title: 'Password changed',
      message: 'Your password is set. Sign in with it, or sign in with SSO again to link your account.',
      links: [{ href: '/login', text: 'Sign in' }],
    },
  };
};

// ------------------------------------------------------------------ sign-up (PRV-10, SSO-02)

export const signUpPage: Handler = () => ({
  status: 200,
  view: {
    type: 'form',
    form: 'signup',
    title: 'Create your account',
    intro:
      'Sign up with your work email. If your organisation verified its domain, we first send a link to confirm ' +
      'the address; then, if it captures the domain, you join its team.',
    action: '/signup',
    fields: [
      { name: 'email', label: 'Email', type: 'email' },
      { name: 'givenName', label: 'First name', type: 'text' },
      { name: 'familyName', label: 'Last name', type: 'text' },
      { name: 'password', label: 'Password (at least 8 characters)', type: 'password' },
    ],
    submit: 'Sign up',
    links: [{ href: '/login', text: 'I already have an account' }],
  },
});

export const signUp: Handler = (request, deps) => {
  const outcome = deps.signIn.signUp({
    email: required(request.form.email, 'email'),
    password: required(request.form.password, 'password'),
    // PRV-02 spirit: names may be blank
    givenName: request.form.givenName ?? '',
    familyName: request.form.familyName ?? '',
  });
  if (outcome.kind !== 'confirmation_sent') return outcomeResult(outcome, request, deps);
  // The same answer whether or not the address already has an account (no enumeration).
  return {
    status: 200,
    view: {
      type: 'message',
      title: 'Check your email',
      message:
        'Your organisation verified this domain, so we sent a link to confirm the address. It works once, for ' +
        'one hour. If the address already has an account, sign in or reset its password instead.',
      links: [{ href: '/login', text: 'Sign in' }],
    },
  };
};

/**
 * PRV-10 / SSO-02: the e-mailed link opens a page whose one button confirms (a POST, as the reset link): a mail
 * scanner's GET uses nothing up, and another site cannot sign a browser in to someone else's new account.
 */
export const confirmSignUpPage: Handler = (request) => ({
  status: 200,
  view: {
    type: 'form',
    form: 'signup-confirm',
    title: 'Confirm your email address',
    intro: 'Confirm that this address is yours to finish creating your account.',
    action: '/signup/confirm',
    fields: [{ name: 'token', label: 'Token', type: 'hidden', value: request.query.token ?? '' }],
    submit: 'Confirm my address',
    links: [],
  },
});

export const confirmSignUp: Handler = (request, deps) =>
  outcomeResult(deps.signIn.confirmSignUp(required(request.form.token, 'token')), request, deps);

// ------------------------------------------------------------------ organisation portal (ORG-01..08)

export const portalPage: Handler = (request, deps) => {
  const slug = required(request.params.org, 'org');
  const organisation = deps.signIn.portalPage(slug);
  return {
    status: 200,
    view: {
      type: 'message',
      title: `Sign in to ${organisation.name}`,
      message: "Sign in with your organisation's identity provider.",
      links: [{ href: `/${encodeURIComponent(slug)}/login/sso`, text: 'Sign in with SSO' }],
    },
  };
};

export const portalSso: Handler = (request, deps) => ({
  status: 303,
  location: deps.signIn.startPortalSso(
    required(request.params.org, 'org'),
    request.query.RelayState === undefined ? {} : { relayState: request.query.RelayState },
  ),
  view: {
    type: 'message',
    title: 'Redirecting',
    message: 'Taking you to your identity provider.',
    links: [],
  },
});

// ------------------------------------------------------------------ landing pages and sign-out

function landing(
  request: SignInRequest,
  deps: HandlerDeps,
  expect: (session: SpSession) => boolean,
  build: (session: SpSession) => View,
): PageResult {
  const session = currentSession(request, deps);
  if (session === null) throw new SignInError('not_signed_in');
  if (!expect(session)) throw new SignInError('not_a_member');
  return { status: 200, view: build(session) };
}

export const personalHome: Handler = (request, deps) =>
  landing(
    request,
    deps,
    () => true,
    (session) => ({
      type: 'landing',
      landing: 'personal',
      title: 'Your home',
      ...deps.signIn.homeFacts(session),
    }),
  );

export const teamHome: Handler = (request, deps) => {
  const teamId = required(request.params.teamId, 'teamId');
  return landing(
    request,
    deps,
    (s) => s.context.kind === 'team' && s.context.teamId === teamId,
    (session) => ({
      type: 'landing',
      landing: 'team',
      title: 'Team home',
      teamId,
      ...deps.signIn.homeFacts(session),
    }),
  );
};

export const organisationHome: Handler = (request, deps) => {
  const organisation = deps.signIn.organisationOfSlug(required(request.params.org, 'org'));
  return landing(
    request,
    deps,
    (s) => s.context.kind === 'organisation' && s.context.organisationId === organisation.id,
    (session) => ({
      type: 'landing',
      landing: 'organisation',
      title: `${organisation.name} home`,
      organisation: { id: organisation.id, slug: organisation.slug, name: organisation.name },
      ...deps.signIn.homeFacts(session),
    }),
  );
};

/**
 * POST /logout: ends the local session; a SAML session also goes to the IdP with a signed LogoutRequest
 * (SP-initiated single logout, profiles 4.4.4.1), whose answer lands on /saml/:methodId/slo.
 */
export const signOut: Handler = async (request, deps) => {
  const cookie = readCookie(request.cookieHeader, SESSION_COOKIE);
  // RP-Initiated Logout 1.0: an OIDC session also signs out at the OP (read before the local session ends).
  const opLogout = (await deps.oidc?.endSessionLocation(deps.signIn.readSession(cookie))) ?? null;
  const outcome = deps.signIn.signOut(cookie);
  const setCookies = [clearSessionCookie({ secure: request.secure })];
  if (opLogout !== null) {
    return toIdpDuringLogout(opLogout, setCookies, 'Signing you out at your identity provider.');
  }
  if (outcome.kind === 'redirect') {
    return toIdpDuringLogout(outcome.location, setCookies, 'Signing you out at your identity provider.');
  }
  return { status: 200, setCookies, view: { type: 'signed_out', complete: true } };
};
