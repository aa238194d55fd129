// The console's origin guard over real HTTP: a DNS-rebinding Host and cross-site posts are refused, the console's own
// page (loopback or its configured host) is served. console/origin-guard.ts.
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleOriginGuard } from '../origin-guard.ts';

let server: Server;
let port: number;
let actions = 0;

beforeAll(async () => {
  const app = express();
  app.use(consoleOriginGuard(['demo.internal:8080']));
  app.get('/api/state', (_req, res) => res.json({ ok: true }));
  app.post('/api/actions/scim-key', (_req, res) => {
    actions += 1;
    res.status(201).json({ key: 'secret' });
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** node:http, not fetch: fetch will not send a Host header of the caller's choosing. */
function call(
  method: 'GET' | 'POST',
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; code: string | null }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
      });
      res.on('end', () => {
        const body = JSON.parse(text) as { error?: { code: string } };
        resolve({ status: res.statusCode ?? 0, code: body.error?.code ?? null });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('console origin guard', () => {
  it('DNS rebinding: a page at another host name that resolves to 127.0.0.1 can neither read nor act', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1.evil.example:${port}`]) {
      expect(await call('GET', '/api/state', { host })).toEqual({ status: 403, code: 'host_not_allowed' });
      const act = await call('POST', '/api/actions/scim-key', { host, origin: `http://${host}` });
      expect(act).toEqual({ status: 403, code: 'host_not_allowed' });
    }
    expect(actions).toBe(0);
  });

  it('a cross-site post (a bodiless action needs no JSON, so no CORS preflight stops it) is refused', async () => {
    const forged: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ];
    for (const headers of forged) {
      expect(await call('POST', '/api/actions/scim-key', headers)).toEqual({
        status: 403,
        code: 'cross_site_request',
      });
    }
    expect(actions).toBe(0);
  });

  it('the console page itself (loopback names, the configured host, same origin) works', async () => {
    expect((await call('GET', '/api/state', { host: `localhost:${port}` })).status).toBe(200);
    expect((await call('GET', '/api/state', { host: 'demo.internal:8080' })).status).toBe(200);
    const own = await call('POST', '/api/actions/scim-key', {
      origin: `http://127.0.0.1:${port}`,
      'sec-fetch-site': 'same-origin',
    });
    expect(own.status).toBe(201);
    expect(actions).toBe(1);
  });
});
