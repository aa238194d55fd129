// A SAML method configured from the IdP's metadata document through the control API (saml-metadata-2.0-os 2.4.3):
// the fields are read from the simulator's real metadata, and a person signs in through the method so configured.
// Unusable metadata is a 400 with the issue on saml.idpMetadataXml, and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certToBase64 } from '../../../protocol/saml/index.ts';
import {
  createSimulator,
  headlessSignIn,
  parseSpMetadata,
  type SimulatorHandle,
} from '../../../simulator/index.ts';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';

const TOKEN = 'saml-from-metadata-token';
let server: ServerHandle;
let simulator: SimulatorHandle;
let idpUrl: string;
let teamId: string;
let ownerId: string;

beforeAll(async () => {
  server = createServer({ controlToken: TOKEN, logger: silentLogger });
  await server.listen();
  simulator = createSimulator({ seed: 11, people: 2 });
  idpUrl = (await simulator.listen()).baseUrl;
  const { team, owner } = server.service.createTeam({
    name: 'Metadata',
    plan: 'Enterprise',
    licensedSeats: 5,
    owner: { email: 'owner@metadata.example', givenName: 'O', familyName: 'W' },
  });
  teamId = team.id;
  ownerId = owner.account.id;
});

afterAll(async () => {
  await simulator.close();
  await server.close();
});

function addMethod(saml: unknown): Promise<Response> {
  return fetch(`${server.urls.base}/control/v1/teams/${teamId}/auth-methods`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'x-idsim-actor': ownerId,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ kind: 'saml', label: 'From metadata', enabled: true, autoAddUsers: true, saml }),
  });
}

describe('control API: a SAML method from the IdP metadata document', () => {
  it('reads entityID, SSO and SLO URLs and the signing certificate; a person then signs in through it', async () => {
    const idpMetadataXml = await fetch(`${idpUrl}/metadata`).then((r) => r.text());
    const created = await addMethod({ idpMetadataXml });
    expect(created.status).toBe(201);
    const method = (await created.json()) as {
      id: string;
      saml: { idpEntityId: string; idpSsoUrl: string; idpSloUrl?: string; idpCertificates: string[] };
    };
    expect(method.saml).toMatchObject({
      idpEntityId: `${idpUrl}/metadata`,
      idpSsoUrl: `${idpUrl}/saml/sso`,
      idpSloUrl: `${idpUrl}/saml/slo`,
    });
    expect(method.saml.idpCertificates.map(certToBase64)).toEqual([
      certToBase64(simulator.idp.credentials.certPem),
    ]);

    const spMetadata = await fetch(`${server.urls.base}/saml/${method.id}/metadata`).then((r) => r.text());
    const app = simulator.directory.addApp({ name: 'idsim', sp: parseSpMetadata(spMetadata) });
    const person = simulator.directory.listPeople()[0];
    if (person === undefined) throw new Error('no person seeded');
    simulator.directory.assign(app.id, { kind: 'person', id: person.id });
    const result = await headlessSignIn({
      startUrl: `${server.urls.base}/saml/${method.id}/login`,
      credentials: { login: person.login, password: person.password },
    });
    expect(result.landedAt).toBe(`${server.urls.base}/teams/${teamId}/home`);
    expect(server.service.findAccountByEmail(person.login)).not.toBeNull();
  });

  it('unusable metadata → 400 invalid_request on saml.idpMetadataXml, and no method is added', async () => {
    const before = server.service.listAuthMethods(teamId).length;
    const spOnly = await fetch(`${server.urls.base}/saml/nope/metadata`).then((r) => r.text());
    for (const idpMetadataXml of ['<not-xml', spOnly, '<!DOCTYPE x><x/>']) {
      const refused = await addMethod({ idpMetadataXml });
      expect(refused.status).toBe(400);
      const body = (await refused.json()) as {
        error: { code: string; details: { issues: { path: string; message: string }[] } };
      };
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details.issues[0]?.path).toBe('saml.idpMetadataXml');
      expect(body.error.details.issues[0]?.message).toMatch(/^unusable IdP metadata: /);
    }
    expect(server.service.listAuthMethods(teamId)).toHaveLength(before);
  });
});
