// The server's index page at `GET /`: what runs here and where its parts are (console, SCIM base, control API,
// metadata, health, docs), so a printed base URL never answers 404. idsim issue #15 item 6.
import type { RequestHandler } from 'express';
import { escapeHtml } from '../../protocol/html/escape.ts';
import type { IndexLink, ServerUrls } from '../config.ts';
import { wantsJson } from './pages/render.ts';

export interface IndexPageInput {
  urls: ServerUrls;
  /** links of the mounted routers and of the caller (config.indexLinks) */
  links: readonly IndexLink[];
}

const DESCRIPTION =
  'The idsim reference server: a multi-tenant team service with a SCIM 2.0 API (RFC 7644) and a SAML 2.0 SP per ' +
  'team authentication method. It is the executable truth of the behaviour catalogue.';

export function indexLinks(input: IndexPageInput): IndexLink[] {
  const { urls } = input;
  return [
    ...input.links,
    { href: `${urls.scim}/ServiceProviderConfig`, text: `SCIM base URL ${urls.scim} (Bearer SCIM key)` },
    {
      href: `${urls.base}/docs/control-api.openapi.yaml`,
      text: `control API ${urls.control} (OpenAPI document)`,
    },
    { href: urls.health, text: `health ${urls.health}` },
    { href: `${urls.base}/docs/running.md`, text: 'docs: running the server (docs/running.md)' },
  ];
}

export function renderIndexPage(input: IndexPageInput): string {
  const items = indexLinks(input)
    .map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>idsim reference server</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}</style>
</head><body data-page="index"><main><h1>idsim reference server</h1>
<p>${escapeHtml(DESCRIPTION)}</p>
<ul>
${items}
</ul>
</main></body></html>
`;
}

/** `GET /`: HTML for browsers, `{description, links}` for `Accept: application/json`. */
export function indexPageHandler(input: () => IndexPageInput): RequestHandler {
  return (req, res) => {
    const page = input();
    if (wantsJson(req.headers.accept)) {
      res.json({ description: DESCRIPTION, links: indexLinks(page) });
      return;
    }
    res.type('html').send(renderIndexPage(page));
  };
}
