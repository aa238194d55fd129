// The simulator's JSON API for OIDC: an OIDC-only app, arming OIDC faults, rotating keys, the issued-token log, and
// refusals with stable codes (issue #14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = createSimulator({ people: 1 });
  await sim.listen();
});
afterAll(async () => {
  await sim.close();
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${sim.baseUrl}/api${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const oidc = {
  clientId: '0oaApiClient',
  clientSecret: 'api-client-secret-01234',
  redirectUris: ['https://rp.example/callback'],
};

describe('OIDC apps over the JSON API', () => {
  it('creates an OIDC-only app (no SP) and refuses an app offering neither protocol', async () => {
    const created = await api('POST', '/apps', { name: 'OIDC only', oidc });
    expect(created.status).toBe(201);
    expect(created.json.sp).toBeUndefined();
    expect(created.json.oidc).toMatchObject({
      clientId: '0oaApiClient',
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    const neither = await api('POST', '/apps', { name: 'Nothing' });
    expect(neither.status).toBe(400);
    expect(neither.json.code).toBe('invalid_input');
    const duplicate = await api('POST', '/apps', { name: 'Again', oidc });
    expect(duplicate.status).toBe(400);
  });

  it('arms catalogue faults by id and refuses unknown ones; SAML-only apps have no OIDC faults', async () => {
    const app = sim.directory.findAppByClientId('0oaApiClient');
    const armed = await api('POST', `/apps/${app?.id}/oidc-faults`, { faults: ['wrong-aud', 'expired'] });
    expect(armed.json).toMatchObject({ armed: ['wrong-aud', 'expired'] });
    const unknown = await api('POST', `/apps/${app?.id}/oidc-faults`, { faults: ['nope'] });
    expect(unknown.status).toBe(400);
    const saml = sim.directory.addApp({
      name: 'SAML only',
      sp: {
        entityId: 'https://sp.example',
        acsUrl: 'https://sp.example/acs',
        signingCerts: [],
        authnRequestsSigned: false,
        wantAssertionsSigned: true,
      },
    });
    expect((await api('POST', `/apps/${saml.id}/oidc-faults`, { faults: ['expired'] })).status).toBe(400);
  });

  it('rotates the signing key: the JWKS publishes the new kid first (and drops the old with keepPrevious false)', async () => {
    const before = sim.oidc.keys.current.kid;
    const kept = await api('POST', '/oidc/keys/rotate', {});
    expect(kept.json.published).toEqual([kept.json.kid, before]);
    const dropped = await api('POST', '/oidc/keys/rotate', { keepPrevious: false });
    const jwks = (await (await fetch(`${sim.baseUrl}/oauth2/default/v1/keys`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).toEqual([dropped.json.kid]);
    expect((await fetch(`${sim.baseUrl}/api/oidc/tokens`)).status).toBe(200);
  });
});
