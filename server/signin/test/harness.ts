// Test harness: the reference server (real TeamService on SQLite :memory:) and the simulator IdP, both on loopback
// port 0, plus helpers that set up a team with a SAML method and an IdP app for it (idsim issue #3 tests).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { parseSpMetadata } from '../../../simulator/directory/index.ts';
import { createSimulator, type SimulatorHandle } from '../../../simulator/http/simulator.ts';
import { CookieJar, type HeadlessSignInResult, headlessSignIn } from '../../../simulator/saml/headless.ts';
import type { TeamView } from '../../control/port.ts';
import { silentLogger } from '../../http/logger.ts';
import { createSignInMounts } from '../../http/signin-router.ts';
import type { OidcSignIn } from '../../oidc/oidc-signin.ts';
import { createTeamService, type TeamService } from '../../service/team-service.ts';
import { openSqliteStore, type Store } from '../../store/index.ts';
import { InMemoryOutbox, type SignInService } from '../signin-service.ts';

export interface Harness {
  store: Store;
  service: TeamService;
  server: Server;
  serverUrl: string;
  simulator: SimulatorHandle;
  idpUrl: string;
  outbox: InMemoryOutbox;
  signIn: SignInService;
  /** the OpenID Connect sign-in (its relying party keeps the record of every ID token it checked) */
  signInOidc: OidcSignIn | undefined;
  /** moves the simulator's clock (ms added to real time) */
  setIdpClockOffset(ms: number): void;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const store = openSqliteStore({ path: ':memory:' });
  const service = createTeamService(store);
  const outbox = new InMemoryOutbox();
  let signIn: SignInService | undefined;
  let signInOidc: OidcSignIn | undefined;
  // The same mounting as server/http/app.ts does with config.extraRouters (kept local so these tests do not
  // depend on the rest of the app).
  const mounts = createSignInMounts({
    outbox,
    store,
    onReady: (ready, oidc) => {
      signIn = ready;
      signInOidc = oidc;
    },
  });
  const app = express();
  let serverUrl = '';
  const urls = () => ({
    base: serverUrl,
    scim: `${serverUrl}/scim/v2`,
    control: `${serverUrl}/control/v1`,
    health: '',
  });
  for (const mount of mounts) app.use(mount.path, mount.create({ service, logger: silentLogger, urls }));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let offset = 0;
  const simulator = createSimulator({
    people: 0,
    sessionTtlMs: 48 * 3_600_000,
    now: () => new Date(Date.now() + offset),
  });
  const { baseUrl: idpUrl } = await simulator.listen();
  if (signIn === undefined) throw new Error('sign-in mounts were not created');
  return {
    store,
    service,
    server,
    serverUrl,
    simulator,
    idpUrl,
    outbox,
    signIn,
    signInOidc,
    setIdpClockOffset: (ms) => {
      offset = ms;
    },
    close: async () => {
      await simulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      store.close();
    },
  };
}

export interface TeamSetup {
  team: TeamView;
  ownerId: string;
  ownerEmail: string;
  methodId: string;
  appId: string;
}

let teamCounter = 0;

/** A team with a SAML method trusting the simulator, and the simulator app made from the SP's own metadata. */
export async function setUpSamlTeam(
  h: Harness,
  options: {
    autoAddUsers?: boolean;
    seats?: number;
    label?: string;
    password?: boolean;
    organisationId?: string;
  } = {},
): Promise<TeamSetup> {
  teamCounter += 1;
  const { team, owner } = h.service.createTeam({
    name: `Team ${teamCounter}`,
    plan: 'Enterprise',
    licensedSeats: options.seats ?? 10,
    owner: {
      email: `owner${teamCounter}@corp.example`,
      givenName: 'Owner',
      familyName: 'One',
      password: 'owner-pass-1',
    },
    ...(options.organisationId === undefined ? {} : { organisationId: options.organisationId }),
  });
  const idp = h.simulator.idp;
  const method = h.service.addAuthMethod(team.id, owner.account.id, {
    kind: 'saml',
    label: options.label ?? 'Okta',
    enabled: true,
    autoAddUsers: options.autoAddUsers ?? false,
    saml: {
      idpEntityId: `${h.idpUrl}/metadata`,
      idpSsoUrl: `${h.idpUrl}/saml/sso`,
      idpSloUrl: `${h.idpUrl}/saml/slo`,
      idpCertificates: [idp.credentials.certPem],
    },
  });
  if (options.password === true) {
    h.service.addAuthMethod(team.id, owner.account.id, { kind: 'password', enabled: true });
  }
  const metadata = await fetch(`${h.serverUrl}/saml/${method.id}/metadata`).then((r) => r.text());
  const app = h.simulator.directory.addApp({ name: `idsim ${team.name}`, sp: parseSpMetadata(metadata) });
  return {
    team: h.service.getTeam(team.id),
    ownerId: owner.account.id,
    ownerEmail: owner.account.email,
    methodId: method.id,
    appId: app.id,
  };
}

/** A person in the IdP, optionally assigned to the app. */
export function addIdpPerson(
  h: Harness,
  input: { email: string; firstName?: string; lastName?: string; assignTo?: string },
): { id: string; login: string; password: string } {
  const person = h.simulator.directory.addPerson({
    login: input.email,
    email: input.email,
    firstName: input.firstName ?? 'Grace',
    lastName: input.lastName ?? 'Hopper',
    password: 'idp-pass-1',
  });
  if (input.assignTo !== undefined)
    h.simulator.directory.assign(input.assignTo, { kind: 'person', id: person.id });
  return { id: person.id, login: person.login, password: 'idp-pass-1' };
}

/** Browser-like SSO from `startUrl` (SP-initiated `/saml/<id>/login`, or the IdP's `/apps/<id>/sso`). */
export function browserSignIn(
  startUrl: string,
  person: { login: string; password: string },
  jar?: CookieJar,
): Promise<HeadlessSignInResult> {
  return headlessSignIn({ startUrl, credentials: { login: person.login, password: person.password }, jar });
}

export { CookieJar };

/** POSTs a form to the server, without following redirects. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  options: { json?: boolean; cookie?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.json === true) headers.accept = 'application/json';
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  return fetch(url, {
    method: 'POST',
    headers,
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** The `name=value` part of a Set-Cookie header, for the next request. */
export function cookieOf(response: Response): string | undefined {
  const header = response.headers.get('set-cookie');
  return header === null ? undefined : header.split(';')[0];
}
