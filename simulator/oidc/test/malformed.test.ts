// Malformed and out-of-order requests to the OIDC provider and the Okta API: every answer is a 4xx in the protocol's
// own format (OAuth error JSON, an error page with a stable code, Okta's error JSON), never a 500 (issue #14).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';

let sim: SimulatorHandle;
const unexpected: unknown[] = [];
beforeAll(async () => {
  sim = createSimulator({ people: 1, onUnexpectedError: (error) => unexpected.push(error) });
  await sim.listen();
});
afterAll(async () => {
  await sim.close();
});

const FORM = 'application/x-www-form-urlencoded';
const CASES: [method: string, path: string, body?: string, type?: string][] = [
  ['GET', '/oauth2/default/interaction/no-such-interaction'],
  ['POST', '/oauth2/default/interaction/no-such-interaction/login', 'login=a&password=b', FORM],
  [
    'GET',
    '/oauth2/default/v1/authorize?client_id=unknown&response_type=code&scope=openid&redirect_uri=https://x',
  ],
  ['GET', '/oauth2/default/v1/authorize'],
  ['POST', '/oauth2/default/v1/token', 'grant_type=authorization_code&code=x', FORM],
  ['POST', '/oauth2/default/v1/token', '{bad', 'application/json'],
  ['GET', '/oauth2/default/v1/userinfo'],
  ['GET', '/oauth2/default/v1/logout?id_token_hint=garbage'],
  ['POST', '/oauth2/default/v1/logout/confirm', 'xsrf=x', FORM],
  ['GET', '/oauth2/default/%E0%A4%A'],
  ['GET', '/api/v1/users/%E0%A4%A'],
  ['POST', '/api/v1/users', '[1,2', 'application/json'],
  ['POST', '/api/v1/users/nobody/lifecycle/suspend'],
  ['PUT', '/api/v1/groups/nothing/users/nobody'],
  ['POST', '/api/apps/%E0%A4%A/oidc-faults', '{"faults":[]}', 'application/json'],
];

describe('no 500 from the OIDC provider or the Okta API', () => {
  it.each(CASES)('%s %s', async (method, path, body, type) => {
    const headers: Record<string, string> = {};
    if (type !== undefined) headers['content-type'] = type;
    if (path.startsWith('/api/v1/')) headers.authorization = `SSWS ${sim.config.oktaApiToken}`;
    const response = await fetch(`${sim.baseUrl}${path}`, { method, body, headers, redirect: 'manual' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(500);
    const text = await response.text();
    expect(text).not.toMatch(/at .+\.(ts|js):\d+/);
    expect(unexpected).toEqual([]);
  });
});
