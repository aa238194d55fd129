// Headless sign-in: runs the browser dance (cookies, redirects, login form, auto-posted SAML form) with fetch.
// idsim issue #3 (headless sign-in for tests and CI); bindings 3.4 (redirect) and 3.5 (POST); works with any SP by URL.

import { type HtmlForm, readHtmlForms } from './html-form.ts';

/** The dance could not finish: a request failed at the network level, or it never settled on a page. */
export class HeadlessSignInError extends Error {
  readonly code: 'headless_fetch_failed' | 'headless_too_many_steps';

  constructor(code: 'headless_fetch_failed' | 'headless_too_many_steps', message: string) {
    super(message);
    this.name = 'HeadlessSignInError';
    this.code = code;
  }
}

/** A minimal cookie jar: host-only cookies with Path and expiry, enough for IdP and SP session cookies. */
export class CookieJar {
  readonly #cookies = new Map<
    string,
    { name: string; value: string; path: string; expires: number | undefined }
  >();

  /** Stores the Set-Cookie headers of a response received from `url`. */
  store(url: string, response: Response): void {
    const host = new URL(url).host;
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expires: number | undefined;
      for (const attribute of attributes) {
        const [rawKey = '', ...rest] = attribute.split('=');
        const key = rawKey.trim().toLowerCase();
        const attrValue = rest.join('=').trim();
        if (key === 'path' && attrValue.startsWith('/')) path = attrValue;
        // RFC 6265 5.3: Max-Age wins over Expires.
        if (key === 'max-age') expires = Date.now() + Number(attrValue) * 1000;
        if (key === 'expires' && !attributes.some((a) => a.trim().toLowerCase().startsWith('max-age'))) {
          expires = Date.parse(attrValue);
        }
      }
      const id = `${host} ${path} ${name}`;
      if (expires !== undefined && expires <= Date.now()) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path, expires });
    }
  }

  /** The Cookie header for a request to `url`, if any cookie applies. */
  headerFor(url: string): string | undefined {
    const target = new URL(url);
    const now = Date.now();
    const pairs: string[] = [];
    for (const [id, cookie] of this.#cookies) {
      if (!id.startsWith(`${target.host} `)) continue;
      if (cookie.expires !== undefined && cookie.expires <= now) continue;
      if (!target.pathname.startsWith(cookie.path)) continue;
      pairs.push(`${cookie.name}=${cookie.value}`);
    }
    return pairs.length === 0 ? undefined : pairs.join('; ');
  }

  /** The value of one cookie held for `url`'s host. */
  get(url: string, name: string): string | undefined {
    const host = new URL(url).host;
    for (const [id, cookie] of this.#cookies)
      if (id.startsWith(`${host} `) && cookie.name === name) return cookie.value;
    return undefined;
  }

  clear(): void {
    this.#cookies.clear();
  }
}

export interface HeadlessSignInOptions {
  /** Where the dance starts: the SP's sign-in URL (SP-initiated) or the IdP's `/apps/{appId}/sso` (IdP-initiated). */
  startUrl: string;
  /** Typed into any login form met on the way (fields `login`/`username`/`email` and `password`). */
  credentials?: { login: string; password: string } | undefined;
  /** Reuse a jar to keep the IdP and SP sessions between sign-ins (ForceAuthn, SLO tests). */
  jar?: CookieJar | undefined;
  /** Upper bound on HTTP requests. Default 25. */
  maxSteps?: number | undefined;
  fetchImpl?: typeof fetch | undefined;
}

export interface HeadlessStep {
  method: string;
  url: string;
  status: number;
}

export interface HeadlessSignInResult {
  /** The URL of the last response (where a browser would have stopped). */
  landedAt: string;
  status: number;
  contentType: string;
  /** The last response's body as text, and parsed when it is JSON. */
  body: string;
  json: unknown;
  /** The decoded SAML Response XML that was posted to the SP, if one was. */
  samlResponse: string | undefined;
  relayState: string | undefined;
  /** How many login forms were filled in (0 when an IdP session was reused). */
  loginPrompts: number;
  /** A stable error code from the last page (`data-error-code`) or JSON body (`code`), if any. */
  errorCode: string | undefined;
  steps: HeadlessStep[];
  jar: CookieJar;
}

const LOGIN_FIELDS = ['login', 'username', 'email'];

function isLoginForm(form: HtmlForm): boolean {
  return form.marker === 'login' || 'password' in form.fields;
}

/** An auto-posting form: the SAML POST binding's, or the OIDC provider's logout form (`auto-post`). */
function isSamlPostForm(form: HtmlForm): boolean {
  return (
    form.marker === 'saml-post' ||
    form.marker === 'auto-post' ||
    'SAMLResponse' in form.fields ||
    'SAMLRequest' in form.fields
  );
}

function errorCodeOf(body: string, json: unknown): string | undefined {
  if (typeof json === 'object' && json !== null) {
    const code = (json as Record<string, unknown>).code ?? (json as Record<string, unknown>).error;
    if (typeof code === 'string') return code;
  }
  return /data-error-code="([a-z0-9_.-]+)"/i.exec(body)?.[1];
}

/**
 * Follows the sign-in from `startUrl` like a browser: keeps cookies per host, follows 30x redirects, fills the
 * first login form met, and submits auto-posting SAML forms. Stops at the first page that is neither.
 */
export async function headlessSignIn(options: HeadlessSignInOptions): Promise<HeadlessSignInResult> {
  const doFetch = options.fetchImpl ?? fetch;
  const jar = options.jar ?? new CookieJar();
  const maxSteps = options.maxSteps ?? 25;
  const steps: HeadlessStep[] = [];
  let samlResponse: string | undefined;
  let relayState: string | undefined;
  let loginPrompts = 0;
  let request: { method: string; url: string; body?: string | undefined } = {
    method: 'GET',
    url: options.startUrl,
  };

  for (;;) {
    if (steps.length >= maxSteps)
      throw new Error(`headless sign-in did not settle within ${maxSteps} requests`);
    const headers: Record<string, string> = { accept: 'text/html, application/json;q=0.9, */*;q=0.8' };
    const cookie = jar.headerFor(request.url);
    if (cookie !== undefined) headers.cookie = cookie;
    if (request.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    let response: Response;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers,
        body: request.body,
        redirect: 'manual',
      });
    } catch (error) {
      throw new HeadlessSignInError(
        'headless_fetch_failed',
        `${request.method} ${request.url} failed: ${String(error)}`,
      );
    }
    jar.store(request.url, response);
    steps.push({ method: request.method, url: request.url, status: response.status });

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, request.url).toString();
      // RFC 9110 15.4: 307/308 repeat the method and body; the others become a GET.
      request = [307, 308].includes(response.status)
        ? { ...request, url: next }
        : { method: 'GET', url: next };
      continue;
    }

    const body = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const forms = contentType.includes('html') ? readHtmlForms(body) : [];
    const samlForm = forms.find(isSamlPostForm);
    const loginForm = forms.find(isLoginForm);
    if (samlForm !== undefined) {
      const value = samlForm.fields.SAMLResponse;
      if (value !== undefined) {
        samlResponse = Buffer.from(value, 'base64').toString('utf8');
        relayState = samlForm.fields.RelayState;
      }
      request = formRequest(samlForm, request.url);
      continue;
    }
    if (loginForm !== undefined && options.credentials !== undefined && loginPrompts === 0 && response.ok) {
      loginPrompts++;
      const fields = { ...loginForm.fields };
      const loginField = LOGIN_FIELDS.find((f) => f in fields) ?? 'login';
      fields[loginField] = options.credentials.login;
      fields.password = options.credentials.password;
      request = formRequest({ ...loginForm, fields }, request.url);
      continue;
    }
    let json: unknown;
    if (contentType.includes('json')) {
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
    }
    return {
      landedAt: request.url,
      status: response.status,
      contentType,
      body,
      json,
      samlResponse,
      relayState,
      loginPrompts,
      errorCode: errorCodeOf(body, json),
      steps,
      jar,
    };
  }
}

function formRequest(form: HtmlForm, pageUrl: string): { method: string; url: string; body?: string } {
  const url = new URL(form.action === '' ? pageUrl : form.action, pageUrl);
  const encoded = new URLSearchParams(form.fields).toString();
  if (form.method === 'post') return { method: 'POST', url: url.toString(), body: encoded };
  url.search = encoded;
  return { method: 'GET', url: url.toString() };
}
