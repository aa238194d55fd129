// The console has no sign-in (a local demo), so only pages of its own origin may drive it: a Host allow-list against
// DNS rebinding, and no cross-site POST (CSRF). RFC 9110 7.2 (Host); W3C Fetch Metadata 2.4; RFC 6454 7 (Origin).
import type { RequestHandler } from 'express';
import { isCrossSiteRequest } from '../server/signin/cross-site.ts';

/** Loopback names a local browser uses; any port. */
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostnameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return colon < 0 ? trimmed : trimmed.slice(0, colon);
}

/**
 * Refuses (403, `{error: {code}}` as every console error) a request whose Host is neither a loopback name nor one
 * of `allowedHosts` (`host:port` the console is served at): a rebinding page at `evil.example` that resolves to
 * 127.0.0.1 reaches the socket but names its own host. And refuses a state-changing request another site started.
 */
export function consoleOriginGuard(allowedHosts: readonly string[] = []): RequestHandler {
  const allowed = new Set(allowedHosts.map((h) => h.trim().toLowerCase()));
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (!LOOPBACK_HOSTNAMES.has(hostnameOf(host)) && !allowed.has(host.trim().toLowerCase())) {
      res.status(403).json({
        error: { code: 'host_not_allowed', message: 'the console answers only on its own address' },
      });
      return;
    }
    const crossSite = isCrossSiteRequest({
      method: req.method,
      host,
      origin: req.headers.origin,
      secFetchSite: req.get('sec-fetch-site'),
    });
    if (crossSite) {
      res.status(403).json({
        error: { code: 'cross_site_request', message: 'console actions are sent from the console page only' },
      });
      return;
    }
    next();
  };
}
