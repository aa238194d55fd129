// The app factory over loopback with the real team service on ':memory:': /health, JSON 404, no stack traces,
// control API end to end (auth, actor, DomainError mapping), SCIM mounted at /scim/v2, extraRouters, lifecycle.
import { readFileSync } from 'node:fs';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveServerConfig, serverDefaults } from '../../config.ts';
import type { ServerHandle } from '../app.ts';
import { createServer } from '../app.ts';
import type { LogFields, Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';

const IDP_CERT = readFileSync(
  new URL('../../../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);
const TOKEN = 'app-test-control-token';

let running: ServerHandle | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function capturing(): Logger & { errors: { message: string; fields: LogFields }[] } {
  const errors: { message: string; fields: LogFields }[] = [];
  return { errors, error: (message, fields = {}) => errors.push({ message, fields }), info: () => {} };
}

async function start(input: Parameters<typeof createServer>[0] = {}): Promise<ServerHandle> {
  const server = createServer({ logger: silentLogger, controlToken: TOKEN, ...input });
  running = server;
  await server.listen();
  return server;
}

async function control(
  server: ServerHandle,
  method: string,
  path: string,
  options: { body?: unknown; actor?: string; token?: string } = {},
): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? TOKEN}` };
  if (options.actor) headers['x-idsim-actor'] = options.actor;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.urls.control}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

describe('server/config.ts defaults', () => {
  it('resolves the documented defaults', () => {
    const config = resolveServerConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      dbPath: ':memory:',
      maxScimBodyBytes: 1024 * 1024,
      maxControlBodyBytes: 1024 * 1024,
      publicBaseUrl: null,
      extraRouters: [],
    });
    expect(config.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(resolveServerConfig({}).controlToken).not.toBe(config.controlToken);
    expect(serverDefaults.host).toBe('127.0.0.1');
  });

  it('keeps given values, strips a trailing slash from publicBaseUrl and refuses bad ones', () => {
    const config = resolveServerConfig({
      port: 4100,
      controlToken: 'given-token',
      publicBaseUrl: 'https://x.test/',
    });
    expect(config).toMatchObject({
      port: 4100,
      controlToken: 'given-token',
      publicBaseUrl: 'https://x.test',
    });
    expect(() => resolveServerConfig({ port: 70_000 })).toThrow(RangeError);
    expect(() => resolveServerConfig({ controlToken: 'short' })).toThrow(RangeError);
    expect(() => resolveServerConfig({ publicBaseUrl: 'ftp://x.test' })).toThrow(RangeError);
    expect(() => resolveServerConfig({ maxScimBodyBytes: 0 })).toThrow(RangeError);
  });
});

describe('createServer: plumbing', () => {
  it('serves GET /health without auth, with no x-powered-by and no ETag', async () => {
    const server = await start();
    const response = await fetch(server.urls.health);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('etag')).toBeNull();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const server = await start();
    const response = await fetch(`${server.urls.base}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });

  it('reports the bound port and base URL, and urls follow from it', async () => {
    const server = createServer({ logger: silentLogger });
    running = server;
    expect(() => server.urls).toThrow(/listen/);
    const { port, baseUrl } = await server.listen();
    expect(port).toBeGreaterThan(0);
    expect(baseUrl).toBe(`http://127.0.0.1:${port}`);
    expect(server.urls).toEqual({
      base: baseUrl,
      scim: `${baseUrl}/scim/v2`,
      control: `${baseUrl}/control/v1`,
      health: `${baseUrl}/health`,
    });
  });

  it('uses publicBaseUrl for urls when configured', async () => {
    const server = await start({ publicBaseUrl: 'https://idsim.example.test/' });
    expect(server.urls.scim).toBe('https://idsim.example.test/scim/v2');
  });

  it('rejects listen() on a port in use with EADDRINUSE, and can then listen elsewhere', async () => {
    const first = await start();
    const taken = new URL(first.urls.base).port;
    const second = createServer({ logger: silentLogger, port: Number(taken) });
    try {
      await expect(second.listen()).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const { port } = await second.listen({ port: 0 });
      expect(String(port)).not.toBe(taken);
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('close() stops the server and is idempotent', async () => {
    const server = await start();
    const health = server.urls.health;
    await server.close();
    await server.close();
    await expect(fetch(health)).rejects.toThrow();
    running = undefined;
  });

  it('mounts extraRouters with a context whose urls() work once listening', async () => {
    const server = await start({
      extraRouters: [
        {
          path: '/extra',
          create: (context) => {
            const router = express.Router();
            router.get('/where', (_req, res) => {
              res.json({
                scim: context.urls().scim,
                hasService: typeof context.service.getTeam === 'function',
              });
            });
            router.get('/boom', () => {
              throw new Error('secret stack detail');
            });
            return router;
          },
        },
      ],
    });
    const where = await fetch(`${server.urls.base}/extra/where`);
    expect(await where.json()).toEqual({ scim: server.urls.scim, hasService: true });
  });

  it('renders an unexpected error in a mounted router as a generic 500, logged and never echoed', async () => {
    const logger = capturing();
    const server = await start({
      logger,
      extraRouters: [
        {
          path: '/extra',
          create: () => {
            const router = express.Router();
            router.get('/boom', () => {
              throw new Error('secret stack detail');
            });
            return router;
          },
        },
      ],
    });
    const response = await fetch(`${server.urls.base}/extra/boom`);
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal_error', message: 'internal error', details: {} },
    });
    expect(text).not.toContain('secret');
    expect(text).not.toContain('.ts');
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]?.fields).toMatchObject({ errorMessage: 'secret stack detail' });
  });
});

describe('createServer: control API and SCIM against the real team service', () => {
  async function enterpriseTeam(server: ServerHandle) {
    const created = await control(server, 'POST', '/teams', {
      body: {
        name: 'Acme',
        plan: 'Enterprise',
        licensedSeats: 5,
        owner: {
          email: 'olivia@acme.test',
          givenName: 'Olivia',
          familyName: 'Owner',
          password: 'Passw0rd!Passw0rd',
        },
      },
    });
    expect(created.status).toBe(201);
    const body = created.body as { team: { id: string }; owner: { account: { id: string }; role: string } };
    expect(body.owner.role).toBe('Super Admin');
    return { teamId: body.team.id, ownerId: body.owner.account.id };
  }

  it('requires the control token', async () => {
    const server = await start();
    const response = await control(server, 'GET', '/teams/anything', { token: 'wrong-token' });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('creates a team, reads it back, and maps an unknown team to 404 not_found', async () => {
    const server = await start();
    const { teamId } = await enterpriseTeam(server);
    const team = await control(server, 'GET', `/teams/${teamId}`);
    expect(team.status).toBe(200);
    expect(team.body).toMatchObject({ id: teamId, name: 'Acme', plan: 'Enterprise', scimEnabled: false });
    const missing = await control(server, 'GET', '/teams/no-such-team');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('JIT-05: a Member actor is refused with 403 forbidden and the auth method is unchanged', async () => {
    const server = await start();
    const { teamId, ownerId } = await enterpriseTeam(server);
    const method = await control(server, 'POST', `/teams/${teamId}/auth-methods`, {
      actor: ownerId,
      body: {
        kind: 'saml',
        label: 'SSO',
        autoAddUsers: false,
        saml: {
          idpEntityId: 'https://idp.test/m',
          idpSsoUrl: 'https://idp.test/sso',
          idpCertificates: [IDP_CERT],
        },
      },
    });
    expect(method.status).toBe(201);
    const methodId = (method.body as { id: string }).id;
    const member = await control(server, 'POST', `/teams/${teamId}/members`, {
      actor: ownerId,
      body: { email: 'mo@acme.test', givenName: 'Mo', familyName: 'Member', role: 'Member' },
    });
    expect(member.status).toBe(201);
    const memberId = (member.body as { account: { id: string } }).account.id;

    const refused = await control(server, 'PATCH', `/teams/${teamId}/auth-methods/${methodId}`, {
      actor: memberId,
      body: { autoAddUsers: true },
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'forbidden' } });
    const methods = await control(server, 'GET', `/teams/${teamId}/auth-methods`);
    expect(methods.body).toEqual([expect.objectContaining({ id: methodId, autoAddUsers: false })]);
  });

  it('KEY-01: generating a SCIM key on a non-Enterprise plan is 409 plan_not_eligible', async () => {
    const server = await start();
    const { teamId, ownerId } = await enterpriseTeam(server);
    const downgraded = await control(server, 'PATCH', `/teams/${teamId}`, {
      actor: ownerId,
      body: { plan: 'Basic' },
    });
    expect(downgraded.status).toBe(200);
    const refused = await control(server, 'POST', `/teams/${teamId}/scim/keys`, { actor: ownerId });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'plan_not_eligible' } });
    const keys = await control(server, 'GET', `/teams/${teamId}/scim/keys`);
    expect(keys.body).toEqual([]);
  });

  it('KEY-04: a key generated through the control API opens /scim/v2, and fails at once when revoked', async () => {
    const server = await start();
    const { teamId, ownerId } = await enterpriseTeam(server);
    await control(server, 'POST', `/teams/${teamId}/auth-methods`, {
      actor: ownerId,
      body: {
        kind: 'saml',
        saml: {
          idpEntityId: 'https://idp.test/m',
          idpSsoUrl: 'https://idp.test/sso',
          idpCertificates: [IDP_CERT],
        },
      },
    });
    expect(
      (await control(server, 'PUT', `/teams/${teamId}/scim`, { actor: ownerId, body: { enabled: true } }))
        .status,
    ).toBe(200);
    const generated = await control(server, 'POST', `/teams/${teamId}/scim/keys`, { actor: ownerId });
    expect(generated.status).toBe(201);
    const { key, apiKey } = generated.body as { key: string; apiKey: { id: string; status: string } };
    expect(apiKey.status).toBe('ACTIVE');

    const users = await fetch(`${server.urls.scim}/Users?startIndex=1&count=2`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(users.status).toBe(200);
    expect(await users.json()).toMatchObject({ totalResults: 1 });

    const revoked = await control(server, 'POST', `/teams/${teamId}/scim/keys/${apiKey.id}/revoke`, {
      actor: ownerId,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'REVOKED' });
    const after = await fetch(`${server.urls.scim}/Users`, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
  });
});
