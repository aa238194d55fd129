// Fills and submits the first form of an HTML page the way a person's browser would: hidden fields kept, visible ones
// typed. Used for links a person follows from an e-mail (JIT-07 password reset, PRV-10 sign-up confirmation).
import assert from 'node:assert/strict';
import { unescapeHtml } from '../protocol/html/escape.ts';
import { recordedFetch } from './recorded-fetch.ts';
import type { HttpReply, TranscriptSink } from './target.ts';

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match?.[1] === undefined ? null : unescapeHtml(match[1]);
}

/** The first form of a page: where it posts (absolute) and its hidden fields; null when the page has none. */
export function readPageForm(
  pageUrl: string,
  html: string,
): { action: string; fields: Record<string, string> } | null {
  const form = /<form\b[^>]*>/i.exec(html)?.[0];
  if (form === undefined) return null;
  const fields: Record<string, string> = {};
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name !== null && attribute(input[0], 'type') === 'hidden')
      fields[name] = attribute(input[0], 'value') ?? '';
  }
  return { action: new URL(attribute(form, 'action') ?? pageUrl, pageUrl).href, fields };
}

/** POSTs a form read by readPageForm, with `typed` added, asking for the JSON answer. */
export function postPageForm(
  form: { action: string; fields: Record<string, string> },
  typed: Record<string, string>,
  record: TranscriptSink,
): Promise<HttpReply> {
  return recordedFetch('saml', record, {
    method: 'POST',
    url: form.action,
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ ...form.fields, ...typed }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
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
  const form = readPageForm(pageUrl, page.text);
  assert.ok(form !== null, `the page ${pageUrl} has no form`);
  return postPageForm(form, typed, record);
}
