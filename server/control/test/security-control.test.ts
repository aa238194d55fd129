// Attacks on the control API over real HTTP: IdP endpoints that are not http(s) (typed in or imported from metadata),
// entity tricks in metadata, and one team's Admin acting on another team. docs/control-api.openapi.yaml.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certToBase64 } from '../../../protocol/saml/index.ts';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';

const TOKEN = 'security-control-token';
const IDP_CERT = readFileSync(
  new URL('../../../simulator/saml/fixtures/idp-signing.crt', import.meta.url),
  'utf8',
);
let server: ServerHandle;
let teamA: { id: string; ownerId: string };
let teamB: { id: string; ownerId: string };

function team(name: string): { id: string; ownerId: string } {
  const created = server.service.createTeam({
    name,
    plan: 'Enterprise',
    licensedSeats: 5,
    owner: { email: `owner@${name.toLowerCase()}.example`, givenName: 'O', familyName: name },
  });
  return { id: created.team.id, ownerId: created.owner.account.id };
}

beforeAll(async () => {
  server = createServer({ controlToken: TOKEN, logger: silentLogger, dbPath: ':memory:' });
  await server.listen();
  teamA = team('Alpha');
  teamB = team('Beta');
});

afterAll(async () => {
  await server.close();
});

async function control(
  method: string,
  path: string,
  body: unknown,
  actor: string,
): Promise<{
  status: number;
  body: { error?: { code: string; details?: unknown } } & Record<string, unknown>;
}> {
  const response = await fetch(`${server.urls.control}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'x-idsim-actor': actor, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
}

function metadata(ssoLocation: string, sloLocation = 'https://idp.example/slo', prolog = ''): string {
  return `${prolog}<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example/metadata">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certToBase64(IDP_CERT)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${sloLocation}"/>
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoLocation}"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`;
}

const methodCount = (teamId: string): number => server.service.listAuthMethods(teamId).length;

const NOT_HTTP = [
  'javascript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  'file:///etc/passwd',
];

describe('IdP endpoints are http(s) URLs, however they arrive', () => {
  it('typed-in idpSsoUrl / idpSloUrl: 400 invalid_request naming the field, nothing created', async () => {
    const before = methodCount(teamA.id);
    for (const url of NOT_HTTP) {
      for (const field of ['idpSsoUrl', 'idpSloUrl']) {
        const saml = {
          idpEntityId: 'https://idp.example/metadata',
          idpSsoUrl: 'https://idp.example/sso',
          idpCertificates: [IDP_CERT],
          [field]: url,
        };
        const reply = await control(
          'POST',
          `/teams/${teamA.id}/auth-methods`,
          { kind: 'saml', saml },
          teamA.ownerId,
        );
        expect([url, field, reply.status, reply.body.error?.code]).toEqual([
          url,
          field,
          400,
          'invalid_request',
        ]);
        expect(JSON.stringify(reply.body.error?.details)).toContain(field);
      }
    }
    expect(methodCount(teamA.id)).toBe(before);
  });

  it('imported from metadata (SSO or SLO Location): 400 on saml.idpMetadataXml, nothing created', async () => {
    const before = methodCount(teamA.id);
    for (const url of NOT_HTTP) {
      for (const xml of [metadata(url), metadata('https://idp.example/sso', url)]) {
        const reply = await control(
          'POST',
          `/teams/${teamA.id}/auth-methods`,
          { kind: 'saml', saml: { idpMetadataXml: xml } },
          teamA.ownerId,
        );
        expect([url, reply.status, reply.body.error?.code]).toEqual([url, 400, 'invalid_request']);
        expect(JSON.stringify(reply.body.error?.details)).toContain('idpMetadataXml');
      }
    }
    expect(methodCount(teamA.id)).toBe(before);
    const good = await control(
      'POST',
      `/teams/${teamA.id}/auth-methods`,
      { kind: 'saml', saml: { idpMetadataXml: metadata('https://idp.example/sso') } },
      teamA.ownerId,
    );
    expect(good.status).toBe(201);
  });

  it('a PATCH cannot swap a method’s endpoint for a script URL either', async () => {
    const [method] = server.service.listAuthMethods(teamA.id).filter((m) => m.kind === 'saml');
    const reply = await control(
      'PATCH',
      `/teams/${teamA.id}/auth-methods/${method?.id}`,
      {
        saml: {
          idpEntityId: 'https://idp.example/metadata',
          idpSsoUrl: NOT_HTTP[0],
          idpCertificates: [IDP_CERT],
        },
      },
      teamA.ownerId,
    );
    expect([reply.status, reply.body.error?.code]).toEqual([400, 'invalid_request']);
    expect(
      server.service.listAuthMethods(teamA.id).find((m) => m.id === method?.id)?.saml?.idpSsoUrl,
    ).not.toBe(NOT_HTTP[0]);
  });

  it('an OIDC method’s issuer too (the server fetches its discovery document)', async () => {
    const before = methodCount(teamA.id);
    for (const issuer of NOT_HTTP) {
      const reply = await control(
        'POST',
        `/teams/${teamA.id}/auth-methods`,
        { kind: 'oidc', oidc: { issuer, clientId: 'idsim' } },
        teamA.ownerId,
      );
      expect([issuer, reply.status, reply.body.error?.code]).toEqual([issuer, 400, 'invalid_request']);
      expect(JSON.stringify(reply.body.error?.details)).toContain('issuer');
    }
    expect(methodCount(teamA.id)).toBe(before);
  });

  it('(held) entity declarations in metadata — XXE and entity expansion — are refused', async () => {
    const prologs = [
      '<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      '<!DOCTYPE md [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ];
    for (const prolog of prologs) {
      const reply = await control(
        'POST',
        `/teams/${teamA.id}/auth-methods`,
        { kind: 'saml', saml: { idpMetadataXml: metadata('https://idp.example/sso', undefined, prolog) } },
        teamA.ownerId,
      );
      expect([reply.status, reply.body.error?.code]).toEqual([400, 'invalid_request']);
    }
  });
});

describe('(held) one team’s Admin cannot act on another team', () => {
  it('team settings, methods, SCIM, keys, members, invites, groups and workspaces of B refuse A’s owner', async () => {
    const b = teamB.id;
    const seatsBefore = server.service.getTeam(b).seats;
    const attempts: [string, string, unknown][] = [
      ['PATCH', `/teams/${b}`, { licensedSeats: 1 }],
      ['POST', `/teams/${b}/auth-methods`, { kind: 'password' }],
      ['PUT', `/teams/${b}/scim`, { enabled: true }],
      ['POST', `/teams/${b}/scim/keys`, undefined],
      [
        'POST',
        `/teams/${b}/members`,
        { email: 'new@beta.example', givenName: 'N', familyName: 'M', role: 'Admin' },
      ],
      ['PATCH', `/teams/${b}/members/${teamB.ownerId}`, { role: 'Member' }],
      ['DELETE', `/teams/${b}/members/${teamB.ownerId}`, undefined],
      ['POST', `/teams/${b}/invites`, { email: 'inv@beta.example', role: 'Admin' }],
      ['POST', `/teams/${b}/groups`, { displayName: 'Owned' }],
      ['POST', `/teams/${b}/workspaces`, { name: 'Owned', type: 'public' }],
    ];
    for (const [method, path, body] of attempts) {
      const reply = await control(method, path, body, teamA.ownerId);
      expect([method, path, reply.status]).toEqual([method, path, 403]);
    }
    expect(server.service.getTeam(b).seats).toEqual(seatsBefore);
    expect(server.service.listMembers(b).map((m) => m.role)).toEqual(['Super Admin']);
  });
});
