// Which RelayState values may choose where a person lands after SSO: same-origin relative paths only (no open
// redirect). SAML bindings 3.4.3 / 3.5.3 (RelayState), profiles 4.1.3.3 / 4.1.5 (the SP's use of it); RFC 3986 4.2.

/** Longest landing path accepted; a longer RelayState falls back to the normal landing. */
export const MAX_LANDING_PATH_LENGTH = 1024;
/** Bindings 3.4.3 / 3.5.3: a RelayState the SP sends must not exceed 80 bytes. */
export const MAX_SENT_RELAY_STATE_BYTES = 80;

const PROBE_ORIGIN = 'http://landing.invalid';

/**
 * The path to land on when `value` is a same-origin absolute path (`/x...`), else null. Refused: anything that is
 * not a path-absolute reference (a scheme, `//host` network-path references, relative paths), `/\` (browsers read
 * `\` as `/`), spaces, control and non-ASCII characters (the URL parser drops or re-encodes them, e.g. `/\t/host`),
 * and values longer than {@link MAX_LANDING_PATH_LENGTH}. The value is returned as given, never re-serialised: a
 * normalised `/..//host` would become the network-path `//host`.
 */
export function safeLandingPath(value: string | undefined | null): string | null {
  if (value === undefined || value === null) return null;
  if (value.length === 0 || value.length > MAX_LANDING_PATH_LENGTH) return null;
  if (!value.startsWith('/') || value.startsWith('//')) return null;
  // Printable ASCII only (RFC 3986 2: a URI is ASCII; it also goes verbatim into a Location header): no spaces,
  // control characters or DEL. And no backslash anywhere.
  if (!/^[\x21-\x7e]+$/.test(value) || value.includes('\\')) return null;
  let resolved: URL;
  try {
    resolved = new URL(value, PROBE_ORIGIN);
  } catch {
    return null;
  }
  return resolved.origin === PROBE_ORIGIN ? value : null;
}
