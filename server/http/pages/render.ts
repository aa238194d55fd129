// Renders sign-in views as escaped HTML in one layout, or as JSON for `Accept: application/json` clients.
// HTML 5 character references for escaping (13.5); RFC 9110 12.5.1 (Accept) for the content choice.
import { escapeHtml } from '../../../protocol/html/escape.ts';
import type { FormField, PageResult, View } from './views.ts';

/** True when the client prefers JSON: it names application/json and does not name text/html before it. */
export function wantsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const json = accept.indexOf('application/json');
  if (json < 0) return false;
  const html = accept.indexOf('text/html');
  return html < 0 || json < html;
}

function layout(title: string, body: string, attributes = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · idsim</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body${attributes}><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`;
}

function links(items: readonly { href: string; text: string }[]): string {
  if (items.length === 0) return '';
  return `<ul>${items.map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></li>`).join('')}</ul>`;
}

function field(f: FormField): string {
  const value = f.value === undefined ? '' : ` value="${escapeHtml(f.value)}"`;
  if (f.type === 'hidden') return `<input type="hidden" name="${escapeHtml(f.name)}"${value}>`;
  return `<p><label>${escapeHtml(f.label)} <input type="${f.type}" name="${escapeHtml(f.name)}"${value}></label></p>`;
}

export function renderHtml(view: View): string {
  switch (view.type) {
    case 'refusal':
      return layout(
        view.code.startsWith('logout_') ? 'Sign-out refused' : 'Sign-in refused',
        `<p class="error" data-error-code="${escapeHtml(view.code)}">${escapeHtml(view.message)}</p>\n<p><code>${escapeHtml(view.code)}</code></p>`,
        ` data-error-code="${escapeHtml(view.code)}"`,
      );
    case 'landing': {
      const where =
        view.organisation !== undefined
          ? `<p>Organisation: ${escapeHtml(view.organisation.name)}</p>`
          : view.teamId !== undefined
            ? `<p>Team: <code>${escapeHtml(view.teamId)}</code></p>`
            : '';
      return layout(
        view.title,
        `<p>Signed in as ${escapeHtml(view.account.email)}</p>${where}<form method="post" action="/logout"><button>Sign out</button></form>`,
        ` data-landing="${view.landing}"`,
      );
    }
    case 'form':
      return layout(
        view.title,
        `<p>${escapeHtml(view.intro)}</p>
<form method="post" action="${escapeHtml(view.action)}" data-form="${escapeHtml(view.form)}">
${view.fields.map(field).join('\n')}
<p><button type="submit">${escapeHtml(view.submit)}</button></p>
</form>
${links(view.links)}`,
      );
    case 'message':
      return layout(view.title, `<p>${escapeHtml(view.message)}</p>${links(view.links)}`);
    case 'signed_out':
      return layout(
        'Signed out',
        view.complete
          ? '<p>You are signed out.</p>'
          : '<p>You are signed out here. Your identity provider reported that it could not end every session.</p>',
        ` data-signed-out="${view.complete ? 'complete' : 'partial'}"`,
      );
  }
}

export function renderJson(view: View): Record<string, unknown> {
  switch (view.type) {
    case 'refusal':
      return { code: view.code, message: view.message };
    case 'landing':
      return {
        signedIn: true,
        landing: view.landing,
        account: view.account,
        teamId: view.teamId ?? null,
        organisation: view.organisation ?? null,
        teams: view.teams,
      };
    case 'form':
      return {
        form: view.form,
        action: view.action,
        fields: view.fields.map((f) => ({
          name: f.name,
          type: f.type,
          ...(f.type === 'hidden' ? { value: f.value } : {}),
        })),
        links: view.links,
      };
    case 'message':
      return { message: view.message, links: view.links };
    case 'signed_out':
      return { signedIn: false, logout: view.complete ? 'complete' : 'partial' };
  }
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

/**
 * Headers of every sign-in page: no script, style or other fetch at all (the pages have none, so an injected tag
 * does nothing), no framing (clickjacking of the password and link forms), no MIME sniffing, and no Referer that
 * would carry a reset token or invite path to another site. CSP 3 (default-src, base-uri), CSP 2 frame-ancestors
 * with X-Frame-Options for older browsers (RFC 7034); form-action is left open: a form's 303 goes on to the IdP.
 */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** Turns a handler's result into status, headers and body; the express route only copies them. */
export function toHttpReply(result: PageResult, accept: string | undefined): HttpReply {
  const json = wantsJson(accept);
  const headers: Record<string, string | string[]> = {
    'content-type': json ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...PAGE_SECURITY_HEADERS,
  };
  if (result.setCookies !== undefined && result.setCookies.length > 0)
    headers['set-cookie'] = result.setCookies;
  if (result.location !== undefined) {
    headers.location = result.location;
    const body = json
      ? JSON.stringify({ location: result.location, ...renderJson(result.view) })
      : renderHtml(result.view);
    return { status: 303, headers, body };
  }
  return {
    status: result.status,
    headers,
    body: json ? JSON.stringify(renderJson(result.view)) : renderHtml(result.view),
  };
}
