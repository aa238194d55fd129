// Which state-changing sign-in form posts come from another site (cross-site request forgery, login CSRF).
// W3C Fetch Metadata Request Headers 2.4 (Sec-Fetch-Site), RFC 6454 7 (Origin); the Go 1.25 CrossOriginProtection rule.

/** The request headers the verdict reads (lower-case names, as node gives them). */
export interface CrossSiteHeaders {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** the server's public origin, when a proxy in front may change the Host header (`https://idsim.example`) */
  publicOrigin?: string | undefined;
}

/** RFC 9110 9.2.1: safe methods change nothing, so they cannot be forged into a change. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True when a browser says the request was started by another origin. Sec-Fetch-Site (sent by every current
 * browser) decides when present: only `same-origin` and `none` (typed URL, bookmark) pass; `same-site` (a sibling
 * subdomain) and `cross-site` do not. Without it, an Origin header must name this host (the Host header, or the
 * server's public origin); `Origin: null` (sandboxed
 * frames, data: URLs) never does. A request with neither header is not from a browser that could be forged into
 * sending it, and passes (curl, the conformance drivers).
 */
export function isCrossSiteRequest(headers: CrossSiteHeaders): boolean {
  if (SAFE_METHODS.has(headers.method.toUpperCase())) return false;
  const site = headers.secFetchSite?.trim().toLowerCase();
  if (site !== undefined && site !== '') return site !== 'same-origin' && site !== 'none';
  const origin = headers.origin?.trim();
  if (origin === undefined || origin === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return true; // `null` and anything that is not a serialised origin
  }
  if (headers.publicOrigin !== undefined && parsed.origin === headers.publicOrigin) return false;
  return headers.host === undefined || parsed.host !== headers.host.trim().toLowerCase();
}
