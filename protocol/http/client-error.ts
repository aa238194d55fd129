// Errors the HTTP stack raises for a bad request before any handler runs, as seen by every error mapper (control
// API, SCIM, sign-in pages, the simulator's API): they are the client's fault, so a 4xx, never a 500.

/**
 * The 4xx status of an error the HTTP stack raised for the request, else null. Covers body-parser's http-errors
 * (`status` with `expose: true`) and the router's failure to decode a path parameter: a URIError with status 400
 * (RFC 3986 2.1, a `%` not followed by two hex digits, e.g. `/teams/%ZZ`), which carries no `expose` flag.
 */
export function httpClientErrorStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  return expose === true || error instanceof URIError ? status : null;
}
