// Fills and submits the first form of an HTML page the way a person's browser would: hidden fields kept, visible ones
// typed. Used for links a person follows from an e-mail (JIT-07 password reset), where only the link is known.
import assert from 'node:assert/strict';
import { recordedFetch } from '../conformance/recorded-fetch.ts';
import type { HttpReply, TranscriptSink } from '../conformance/target.ts';
import { unescapeHtml } from '../protocol/html/escape.ts';

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? null : unescapeHtml(match[1]);
}

/** GETs `pageUrl`, fills its first form (hidden inputs as given by the page, plus `typed`) and POSTs it. */
export async function submitPageForm(
  pageUrl: string,
  typed: Record<string, string>,
  record: TranscriptSink,
): Promise<HttpReply> {
  const page = await recordedFetch('saml', record, {
    method: 'GET',
    url: pageUrl,
    headers: { accept: 'text/html' },
  });
  assert.equal(page.status, 200, `the page ${pageUrl} answered ${page.status}`);
  const form = /<form\b[^>]*>/i.exec(page.text)?.[0];
  assert.ok(form !== undefined, `the page ${pageUrl} has no form`);
  const fields: Record<string, string> = {};
  for (const input of page.text.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name !== null && attribute(input[0], 'type') === 'hidden')
      fields[name] = attribute(input[0], 'value') ?? '';
  }
  return recordedFetch('saml', record, {
    method: 'POST',
    url: new URL(attribute(form, 'action') ?? pageUrl, pageUrl).href,
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ ...fields, ...typed }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
}
