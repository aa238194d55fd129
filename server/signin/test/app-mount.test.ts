// The sign-in mounts inside the real app factory (createServer with config.extraRouters), as the lead wires them:
// one SSO sign-in end to end and the app's own routes still answering (idsim issue #3, design.md "http").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSpMetadata } from '../../../simulator/directory/index.ts';
import { createSimulator, type SimulatorHandle } from '../../../simulator/http/simulator.ts';
import { headlessSignIn } from '../../../simulator/saml/headless.ts';
import { createServer, type ServerHandle } from '../../http/app.ts';
import { silentLogger } from '../../http/logger.ts';
import { createTeamService } from '../../service/index.ts';
import { openSqliteStore, type Store } from '../../store/index.ts';

let store: Store;
let server: ServerHandle;
let simulator: SimulatorHandle;
let serverUrl: string;
let idpUrl: string;

beforeAll(async () => {
  store = openSqliteStore({ path: ':memory:' });
  const service = createTeamService(store);
  // the SAML SP and sign-in pages are mounted by default (config.signIn)
  server = createServer({ logger: silentLogger }, { service, store });
  serverUrl = (await server.listen()).baseUrl;
  simulator = createSimulator({ people: 0 });
  idpUrl = (await simulator.listen()).baseUrl;
});
afterAll(async () => {
  await simulator.close();
  await server.close();
  store.close();
});

describe('JIT-02 through createServer', () => {
  it('signs a new person in through the mounted SP and lands on the team home', async () => {
    const { team, owner } = server.service.createTeam({
      name: 'Mounted',
      plan: 'Enterprise',
      licensedSeats: 5,
      owner: { email: 'owner@mounted.example', givenName: 'O', familyName: 'W', password: 'owner-pass-1' },
    });
    const method = server.service.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      autoAddUsers: true,
      saml: {
        idpEntityId: `${idpUrl}/metadata`,
        idpSsoUrl: `${idpUrl}/saml/sso`,
        idpCertificates: [simulator.idp.credentials.certPem],
      },
    });
    const metadata = await fetch(`${serverUrl}/saml/${method.id}/metadata`).then((r) => r.text());
    const app = simulator.directory.addApp({ name: 'Mounted', sp: parseSpMetadata(metadata) });
    const person = simulator.directory.addPerson({
      login: 'new@mounted.example',
      firstName: 'N',
      lastName: 'P',
      password: 'pw-123456',
    });
    simulator.directory.assign(app.id, { kind: 'person', id: person.id });
    const result = await headlessSignIn({
      startUrl: `${serverUrl}/saml/${method.id}/login`,
      credentials: { login: 'new@mounted.example', password: 'pw-123456' },
    });
    expect(result.landedAt).toBe(`${serverUrl}/teams/${team.id}/home`);
    expect(server.service.findAccountByEmail('new@mounted.example')).not.toBeNull();
    expect((await fetch(`${serverUrl}/health`)).status).toBe(200);
  });
});
