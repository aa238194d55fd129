// fetch wrapper that records every exchange with a target into the scenario transcript (reports/<run>/transcripts).
// Used by the SCIM, SAML and control drivers alike, so every byte a scenario sent and received is reviewable.
import type { Capability, HttpReply, TranscriptSink } from './target.ts';

export interface RecordedRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** a string is sent as is; anything else is sent as JSON */
  body?: unknown;
  contentType?: string;
}

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

/** Authorization values are shortened in transcripts: they are reports that may be shared. */
function redact(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  for (const key of Object.keys(out)) {
    const value = out[key];
    if (key.toLowerCase() === 'authorization' && value !== undefined) {
      out[key] = value.length > 18 ? `${value.slice(0, 18)}…` : value;
    }
  }
  return out;
}

export async function recordedFetch(
  channel: Capability,
  record: TranscriptSink,
  request: RecordedRequest,
): Promise<HttpReply> {
  const headers: Record<string, string> = { ...(request.headers ?? {}) };
  let body: string | undefined;
  if (request.body !== undefined) {
    body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    headers['content-type'] ??= request.contentType ?? 'application/json';
  }
  const response = await fetch(request.url, { method: request.method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown = null;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  const responseHeaders = headersToRecord(response.headers);
  record({
    channel,
    method: request.method,
    url: request.url,
    requestHeaders: redact(headers),
    requestBody: body ?? null,
    status: response.status,
    responseHeaders,
    responseBody: text,
    at: new Date().toISOString(),
  });
  return {
    status: response.status,
    headers: responseHeaders,
    json,
    text,
    setCookies: response.headers.getSetCookie(),
  };
}
