// The server's index page (GET / in HTML and JSON, docs served read-only) and its traffic recorder: every SCIM
// request recorded while someone subscribes, credentials masked, nothing once the last listener leaves. Issue #15.
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../service/index.ts';
import type { ServerTrafficRecord } from '../../traffic/recorder.ts';
import { maskSecret } from '../../traffic/recorder.ts';
import type { ServerHandle } from '../app.ts';
import { createServer } from '../app.ts';
import { silentLogger } from '../logger.ts';

let server: ServerHandle;
let scimKey: string;

beforeAll(async () => {
  server = createServer({
    logger: silentLogger,
    extraRouters: [{ path: '/console', create: () => express.Router(), indexLink: 'web console' }],
    indexLinks: [{ href: 'http://127.0.0.1:1/metadata', text: 'IdP <metadata>' }],
  });
  await server.listen();
  scimKey = seedDemo(server.service).scimKey;
});
afterAll(async () => {
  await server?.close();
});

describe('GET / (issue #15 item 6)', () => {
  it('answers a browser with a page linking every part of the server', async () => {
    const response = await fetch(server.urls.base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const href of [
      `${server.urls.base}/console/`,
      `${server.urls.scim}/ServiceProviderConfig`,
      server.urls.health,
      `${server.urls.base}/docs/running.md`,
      `${server.urls.base}/docs/control-api.openapi.yaml`,
    ]) {
      expect(html).toContain(`href="${href}"`);
    }
    expect(html).toContain('IdP &lt;metadata&gt;');
  });

  it('answers JSON clients with the same links, and every same-server link answers', async () => {
    const response = await fetch(server.urls.base, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { links: { href: string }[] };
    const local = body.links.filter(
      (l) =>
        l.href.startsWith(server.urls.base) && !l.href.includes('/console/') && !l.href.includes('/scim/'),
    );
    expect(local.length).toBeGreaterThanOrEqual(3);
    for (const link of local) expect((await fetch(link.href)).status, link.href).toBe(200);
    expect((await fetch(`${server.urls.base}/docs/../package.json`)).status).toBe(404);
  });
});

describe('traffic recorder (issue #15 item 4)', () => {
  it('records SCIM requests only while subscribed, with the key masked and the body as sent', async () => {
    const seen: ServerTrafficRecord[] = [];
    expect(server.traffic.active).toBe(false);
    const unsubscribe = server.traffic.subscribe((record) => seen.push(record));
    expect(server.traffic.active).toBe(true);
    const body = JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'traffic@acme.example',
      name: { givenName: 'T', familyName: 'R' },
      emails: [{ value: 'traffic@acme.example', primary: true, type: 'work' }],
      active: true,
    });
    const created = await fetch(`${server.urls.scim}/Users`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${scimKey}`,
        'content-type': 'application/scim+json',
        'user-agent': 'curl/8.5.0',
      },
      body,
    });
    expect(created.status).toBe(201);
    const sent = await created.text();
    unsubscribe();
    expect(server.traffic.active).toBe(false);
    await fetch(`${server.urls.scim}/Users`, { headers: { authorization: `Bearer ${scimKey}` } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      kind: 'scim',
      method: 'POST',
      path: '/scim/v2/Users',
      status: 201,
      requestBody: body,
      responseBody: sent,
      client: 'curl/8.5.0',
    });
    const record = seen[0];
    if (record?.kind !== 'scim') throw new Error('no SCIM record');
    expect(record.requestHeaders.authorization).toBe(maskSecret(`Bearer ${scimKey}`));
    expect(JSON.stringify(record)).not.toContain(scimKey);
    expect(record.responseHeaders['content-type']).toMatch(/scim\+json/);
  });
});
