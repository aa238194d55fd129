// The IdP's HTML pages: login form, refusal/error page with a stable code, plain message page, home page.
// idsim issue #3 (refusal page `not_assigned`, errors with stable codes, never a stack trace); JIT-08, ORG-06.

import { escapeHtml } from '../../protocol/html/escape.ts';

const PRODUCT = 'idsim IdP';

function layout(title: string, body: string, errorCode?: string): string {
  const codeAttr = errorCode === undefined ? '' : ` data-error-code="${escapeHtml(errorCode)}"`;
  // The product name once: "Sign in · idsim IdP", and the home page just "idsim IdP".
  const fullTitle = title === PRODUCT ? PRODUCT : `${title} · ${PRODUCT}`;
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(fullTitle)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}' +
    'code{background:#eee;padding:0 .3em}.error{color:#a00}</style></head>' +
    `<body${codeAttr}><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  );
}

const LOGIN_MESSAGES: Readonly<Record<string, string>> = {
  invalid_credentials: 'Unknown login or wrong password.',
  person_inactive: 'This account is not active.',
};

/**
 * The login form; `data-idsim-form="login"` lets the headless client find it. `action`: where it posts (OIDC posts
 * elsewhere); `loginHint`: a line above it (a demo shows its test password there).
 */
export function renderLoginPage(
  contextId: string | undefined,
  errorCode?: string,
  options: { action?: string | undefined; loginHint?: string | undefined } = {},
): string {
  const error =
    errorCode === undefined
      ? ''
      : `<p class="error">${escapeHtml(LOGIN_MESSAGES[errorCode] ?? 'Sign-in failed.')} <code>${escapeHtml(errorCode)}</code></p>`;
  const ctx =
    contextId === undefined ? '' : `<input type="hidden" name="ctx" value="${escapeHtml(contextId)}">`;
  const { action = '/login', loginHint } = options;
  const hint = loginHint === undefined ? '' : `<p class="hint" data-idsim-hint>${escapeHtml(loginHint)}</p>`;
  return layout(
    'Sign in',
    `${error}${hint}<form method="post" action="${escapeHtml(action)}" data-idsim-form="login">${ctx}` +
      '<p><label>Login <input name="login" type="email" autocomplete="username" required></label></p>' +
      '<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>' +
      '<p><button type="submit">Sign in</button></p></form>',
    errorCode,
  );
}

/** A refusal or error: the human text plus the stable machine code, in the page and its `data-error-code`. */
export function renderErrorPage(title: string, code: string, message: string): string {
  return layout(
    title,
    `<p class="error">${escapeHtml(message)}</p><p>Error code: <code id="error-code">${escapeHtml(code)}</code></p>`,
    code,
  );
}

export function renderMessagePage(title: string, message: string): string {
  return layout(title, `<p>${escapeHtml(message)}</p>`);
}

/** The IdP's home page: who is signed in and the apps they can open (IdP-initiated links). */
export function renderHomePage(
  person: { login: string } | undefined,
  apps: { id: string; name: string }[],
): string {
  if (person === undefined) return layout(PRODUCT, '<p><a href="/login">Sign in</a></p>');
  const links = apps.map(
    (a) => `<li><a href="/apps/${encodeURIComponent(a.id)}/sso">${escapeHtml(a.name)}</a></li>`,
  );
  return layout(
    PRODUCT,
    `<p>Signed in as <strong>${escapeHtml(person.login)}</strong>. <a href="/saml/slo">Sign out</a></p>` +
      `<ul>${links.join('')}</ul>`,
  );
}
