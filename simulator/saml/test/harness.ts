// Test wiring: a simulator and a node-saml SP on loopback, the SP registered as an app from its own metadata.
// idsim issue #3 tests (real HTTP on 127.0.0.1:0, per-test isolation, handles closed after each suite).

import type { App, Person } from '../../directory/index.ts';
import { parseSpMetadata } from '../../directory/index.ts';
import { createSimulator, type SimulatorHandle } from '../../http/simulator.ts';
import { type CookieJar, type HeadlessSignInResult, headlessSignIn } from '../headless.ts';
import { startTestSp, type TestSp, type TestSpOptions } from './node-saml-sp.ts';

export interface Rig {
  sim: SimulatorHandle;
  sp: TestSp;
  app: App;
  person: Person;
  /** A movable clock shared by the simulator (ForceAuthn / session tests move it). */
  clock: { now: number };
  signIn(startUrl: string, jar?: CookieJar): Promise<HeadlessSignInResult>;
  close(): Promise<void>;
}

export async function startRig(
  sp: Omit<TestSpOptions, 'idpBaseUrl' | 'idpCertPem'> = { validateInResponseTo: 'always' },
  options: { assign?: boolean } = {},
): Promise<Rig> {
  const clock = { now: Date.now() };
  const sim = createSimulator({ seed: 7, people: 3, now: () => new Date(clock.now) });
  const { baseUrl } = await sim.listen();
  const testSp = await startTestSp({ ...sp, idpBaseUrl: baseUrl, idpCertPem: sim.idp.credentials.certPem });
  // An SP that publishes an encryption key gets encrypted assertions once the app turns Assertion Encryption on.
  const app = sim.directory.addApp({
    name: 'Test SP',
    sp: parseSpMetadata(testSp.metadataXml()),
    assertionEncryption: sp.encryption === true,
  });
  const person = sim.directory.listPeople()[0];
  if (person === undefined) throw new Error('seeding made nobody');
  if (options.assign !== false) sim.directory.assign(app.id, { kind: 'person', id: person.id });
  return {
    sim,
    sp: testSp,
    app,
    person,
    clock,
    signIn: (startUrl, jar) =>
      headlessSignIn({ startUrl, jar, credentials: { login: person.login, password: person.password } }),
    close: async () => {
      await testSp.close();
      await sim.close();
    },
  };
}
