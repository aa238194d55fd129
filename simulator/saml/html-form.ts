// HTML forms of the browser dance: writing the HTTP-POST binding's auto-submit form, and reading any form back.
// SAML bindings 3.5.4 (auto-posting form with SAMLResponse / RelayState, noscript submit button).

import { escapeHtml, unescapeHtml } from '../../protocol/html/escape.ts';

/**
 * Bindings 3.5.4: an HTML form that posts the message to the SP's endpoint on load; the noscript button keeps
 * it usable without JavaScript. `data-idsim-form="saml-post"` lets the headless client recognise it.
 */
export function renderAutoPostForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Signing in…</title></head>' +
    '<body onload="document.forms[0].submit()">' +
    `<form method="post" action="${escapeHtml(action)}" data-idsim-form="saml-post">${inputs}` +
    '<noscript><p>JavaScript is off: press Continue to finish signing in.</p>' +
    '<button type="submit">Continue</button></noscript></form></body></html>'
  );
}

/** One HTML form as read from a page: where it goes, how, and its named inputs with their values. */
export interface HtmlForm {
  action: string;
  method: string;
  /** The `data-idsim-form` marker when present (`saml-post`, `login`). */
  marker: string | undefined;
  fields: Record<string, string>;
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (match === null) return undefined;
  return unescapeHtml(match[2] ?? match[3] ?? match[4] ?? '');
}

/**
 * Reads the forms of a page (enough HTML for IdP and SP sign-in pages: form, input, textarea with a value).
 * Not a general HTML parser: scripts that build forms dynamically are out of reach.
 */
export function readHtmlForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  const formPattern = /<form\b([^>]*)>([\s\S]*?)<\/form>/gi;
  for (let m = formPattern.exec(html); m !== null; m = formPattern.exec(html)) {
    const tag = `<form ${m[1] ?? ''}>`;
    const body = m[2] ?? '';
    const fields: Record<string, string> = {};
    for (const input of body.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attribute(input, 'name');
      if (name === undefined) continue;
      const type = (attribute(input, 'type') ?? 'text').toLowerCase();
      if (type === 'submit' || type === 'button' || type === 'image') continue;
      fields[name] = attribute(input, 'value') ?? '';
    }
    const textareas = /<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/gi;
    for (let t = textareas.exec(body); t !== null; t = textareas.exec(body)) {
      const name = attribute(`<textarea ${t[1] ?? ''}>`, 'name');
      if (name !== undefined) fields[name] = unescapeHtml(t[2] ?? '');
    }
    forms.push({
      action: attribute(tag, 'action') ?? '',
      method: (attribute(tag, 'method') ?? 'get').toLowerCase(),
      marker: attribute(tag, 'data-idsim-form'),
      fields,
    });
  }
  return forms;
}
