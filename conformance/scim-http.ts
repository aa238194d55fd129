// The SCIM capability over HTTP: requests to a target's SCIM 2.0 base URL with a bearer key (RFC 7644 3, OKT-01).
// Sends application/scim+json (RFC 7644 3.1) and records each exchange in the scenario transcript.
import { SCIM_CONTENT_TYPE } from '../protocol/scim/schemas.ts';
import { recordedFetch } from './recorded-fetch.ts';
import type { ScimDriver, TranscriptSink } from './target.ts';

export function createHttpScimDriver(baseUrl: string, bearerKey: string, record: TranscriptSink): ScimDriver {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: base,
    bearerKey,
    request(method, path, options = {}) {
      const bearer = options.bearer === undefined ? bearerKey : options.bearer;
      const headers: Record<string, string> = { accept: SCIM_CONTENT_TYPE, ...(options.headers ?? {}) };
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      return recordedFetch('scim', record, {
        method,
        url: `${base}${path.startsWith('/') ? path : `/${path}`}`,
        headers,
        body: options.body,
        contentType: SCIM_CONTENT_TYPE,
      });
    },
  };
}
