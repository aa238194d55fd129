// Malformed input at every sign-in, SAML, control and IdP endpoint, server and simulator alike: a refusal page or
// JSON with a stable code, never a 500 and never a stack trace (developers' brief: bad input gets a typed error).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulator, parseSpMetadata, type SimulatorHandle } from '../../../simulator/index.ts';
import { createServer, type ServerHandle } from '../app.ts';
import { silentLogger } from '../logger.ts';

let server: ServerHandle;
let simulator: SimulatorHandle;
let idp: string;
let sp: string;
let appId: string;

beforeAll(async () => {
  server = createServer({ controlToken: 'fuzz-token', logger: silentLogger });
  await server.listen();
  simulator = createSimulator({ seed: 5, people: 1 });
  idp = (await simulator.listen()).baseUrl;
  const { team, owner } = server.service.createTeam({
    name: 'Fuzz',
    plan: 'Enterprise',
    licensedSeats: 3,
    owner: { email: 'owner@fuzz.example', givenName: 'O', familyName: 'W' },
  });
  const method = server.service.addAuthMethod(team.id, owner.account.id, {
    kind: 'saml',
    enabled: true,
    saml: {
      idpEntityId: `${idp}/metadata`,
      idpSsoUrl: `${idp}/saml/sso`,
      idpSloUrl: `${idp}/saml/slo`,
      idpCertificates: [simulator.idp.credentials.certPem],
    },
  });
  sp = `${server.urls.base}/saml/${method.id}`;
  const metadata = await fetch(`${sp}/metadata`).then((r) => r.text());
  appId = simulator.directory.addApp({ name: 'fuzz', sp: parseSpMetadata(metadata) }).id;
});

afterAll(async () => {
  await simulator.close();
  await server.close();
});

/** Values that have broken parsers before: bad percent-escapes, bad base64, DEFLATE garbage, huge, XML attacks. */
const NASTY = [
  '%E0%A4%A',
  '%ZZ',
  '%00',
  '!!!not-base64!!!',
  Buffer.from('not deflate').toString('base64'),
  Buffer.from('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').toString('base64'),
  Buffer.from('<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>').toString('base64'),
  'A'.repeat(300_000),
  '',
];

function queryWith(fields: Record<string, string>): string {
  // Values go in raw: the point is to send what a careless or hostile client sends.
  return Object.entries(fields)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

async function expectNoCrash(response: Response, what: string): Promise<void> {
  const body = await response.text();
  expect(response.status, `${what} → ${response.status}: ${body.slice(0, 200)}`).toBeLessThan(500);
  expect(body, what).not.toMatch(/\bat .+\.(ts|js):\d+|node_modules/);
}

describe('no 500 on malformed SAML and sign-in input', () => {
  it('server: metadata, login, ACS, SLO, portal, invites, password pages', async () => {
    const base = server.urls.base;
    for (const value of NASTY) {
      const short = value.length > 40 ? `${value.slice(0, 20)}… (${value.length})` : value;
      const gets = [
        `${sp}/login?${queryWith({ RelayState: value })}`,
        `${sp}/slo?${queryWith({ SAMLRequest: value })}`,
        `${sp}/slo?${queryWith({ SAMLResponse: value, SigAlg: value, Signature: value })}`,
        `${sp}/slo?${queryWith({ SAMLRequest: value, RelayState: value, SigAlg: 'x', Signature: value })}`,
        `${base}/saml/${encodeURIComponent(value)}/metadata`,
        `${base}/invites/${encodeURIComponent(value)}`,
        `${base}/reset-password?${queryWith({ token: value })}`,
        `${base}/fuzz-org/login/sso?${queryWith({ RelayState: value })}`,
      ];
      for (const url of gets) {
        await expectNoCrash(await fetch(url, { redirect: 'manual' }), `GET ${url.slice(0, 120)} [${short}]`);
      }
      const posts: [string, Record<string, string>][] = [
        [`${sp}/acs`, { SAMLResponse: value, RelayState: value }],
        [`${base}/login`, { email: value, password: value }],
        [`${base}/reset-password`, { token: value, password: value }],
        [`${base}/link/${encodeURIComponent(value)}`, { password: value }],
      ];
      for (const [url, fields] of posts) {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: queryWith(fields),
        });
        await expectNoCrash(response, `POST ${url.slice(0, 120)} [${short}]`);
      }
    }
  });

  it('simulator IdP: SSO (redirect and POST), continue, resume, app tiles, login, SLO', async () => {
    for (const value of NASTY) {
      const short = value.length > 40 ? `${value.slice(0, 20)}… (${value.length})` : value;
      const gets = [
        `${idp}/saml/sso?${queryWith({ SAMLRequest: value, RelayState: value })}`,
        `${idp}/saml/sso?${queryWith({ SAMLRequest: value, SigAlg: value, Signature: value })}`,
        `${idp}/saml/sso/continue?${queryWith({ ctx: value })}`,
        `${idp}/saml/resume?${queryWith({ ctx: value })}`,
        `${idp}/apps/${appId}/sso?${queryWith({ RelayState: value })}`,
        `${idp}/apps/${encodeURIComponent(value)}/sso`,
        `${idp}/saml/slo?${queryWith({ SAMLRequest: value })}`,
        `${idp}/saml/slo?${queryWith({ SAMLResponse: value, RelayState: value })}`,
        `${idp}/login?${queryWith({ ctx: value })}`,
      ];
      for (const url of gets) {
        await expectNoCrash(await fetch(url, { redirect: 'manual' }), `GET ${url.slice(0, 120)} [${short}]`);
      }
      for (const [url, fields] of [
        [`${idp}/saml/sso`, { SAMLRequest: value, RelayState: value }],
        [`${idp}/login`, { login: value, password: value, ctx: value }],
      ] as const) {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: queryWith(fields),
        });
        await expectNoCrash(response, `POST ${url} [${short}]`);
      }
    }
  });

  it('a broken percent-escape in a path parameter (RFC 3986 2.1) is a 400 everywhere', async () => {
    const base = server.urls.base;
    const urls = [
      `${base}/control/v1/teams/%ZZ`,
      `${base}/%ZZ/login`,
      `${base}/saml/%ZZ/metadata`,
      `${base}/invites/%E0%A4%A`,
      `${base}/teams/%ZZ/login`,
      `${idp}/apps/%ZZ/sso`,
      `${idp}/api/people/%ZZ`,
    ];
    for (const url of urls) {
      const response = await fetch(url, {
        headers: { authorization: 'Bearer fuzz-token' },
        redirect: 'manual',
      });
      expect(response.status, url).toBe(400);
      await expectNoCrash(response, url);
    }
  });
});
