// OpenID Connect steps (issue #14): the team's SSO method is an OIDC client of the simulator's OP, and sign-ins run
// the browser dance from the RP's login URL; the SAML sign-in steps dispatch here when the scenario chose OIDC.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Given, Then, When } from '@cucumber/cucumber';
import { OIDC_FAULTS, type OidcFaultId, oidcFault } from '../simulator/oidc/faults.ts';
import { CookieJar, headlessSignIn } from '../simulator/saml/headless.ts';
import { enrolInIdp, recordingFetch, runningSimulator } from './simulated-idp.ts';
import { firstSsoMethod } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

/** The OIDC app the simulator holds for this scenario's RP (its id, for arming faults). */
const OIDC_APP_KEY = 'oidc-app-id';

async function ownerActor(world: IdsimWorld): Promise<string> {
  return world.accountIdOf(world.teamFixture.ownerName);
}

Given('the team signs in with the simulated IdP over OpenID Connect', async function (this: IdsimWorld) {
  await connectTeamOverOidc(this, false);
});

/**
 * @oidc-rp-security needs only the RP: with control, a team whose OIDC method admits new people (JIT on); without,
 * the target's RP as configured in the target file, its client registered at the simulator.
 */
Given('the relying party trusts the simulated OpenID provider', async function (this: IdsimWorld) {
  if (this.target.control !== null) {
    const owner = this.person('Olivia');
    const { team, owner: member } = await this.control.createTeam({
      name: 'RP under test',
      plan: 'Enterprise',
      licensedSeats: 50,
      owner: { email: owner.email, givenName: 'Olivia', familyName: 'Owner' },
    });
    owner.accountId = member.account.id;
    this.team = {
      teamId: team.id,
      organisationId: team.organisationId,
      ownerName: 'Olivia',
      domain: 'example.test',
    };
    await connectTeamOverOidc(this, true);
    return;
  }
  const client = this.oidc.client;
  assert.ok(client !== null, 'a target without control must name its OIDC client');
  registerOidcApp(this, await runningSimulator(this), client, undefined);
});

function registerOidcApp(
  world: IdsimWorld,
  simulator: Awaited<ReturnType<typeof runningSimulator>>,
  client: { clientId: string; clientSecret: string },
  methodId: string | undefined,
): void {
  const postLogout = world.oidc.postLogoutRedirectUri(methodId);
  const app = simulator.directory.addApp({
    name: 'idsim RP (OIDC)',
    oidc: {
      ...client,
      redirectUris: [world.oidc.redirectUri(methodId)],
      postLogoutRedirectUris: postLogout === null ? [] : [postLogout],
      tokenEndpointAuthMethod: 'client_secret_basic',
    },
  });
  world.remembered.set(OIDC_APP_KEY, app.id);
  world.ssoProtocol = 'oidc';
}

async function connectTeamOverOidc(world: IdsimWorld, autoAddUsers: boolean): Promise<void> {
  const simulator = await runningSimulator(world);
  // A target's RP comes with its client; for the reference server the steps choose one and configure the method.
  const client = world.oidc.client ?? {
    clientId: `0oa${randomBytes(8).toString('hex')}`,
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const method = await world.control.addAuthMethod(world.teamFixture.teamId, await ownerActor(world), {
    kind: 'oidc',
    label: 'OIDC SSO',
    enabled: true,
    autoAddUsers,
    oidc: { issuer: `${simulator.baseUrl}/oauth2/default`, ...client },
  });
  world.authMethods.unshift(method.id);
  registerOidcApp(world, simulator, client, method.id);
}

Given('SCIM is on with an API key held by the IdP', async function (this: IdsimWorld) {
  const actor = await ownerActor(this);
  await this.control.setScimEnabled(this.teamFixture.teamId, actor, true);
  // KEY-02: the team's one SSO method may be an OIDC method
  const { key, apiKey } = await this.control.generateScimKey(this.teamFixture.teamId, actor);
  this.scimKeys.set('IdP', { key, keyId: apiKey.id });
  this.scimDriver = this.target.scimWithKey(key);
});

/** The browser dance from the RP's login URL; what it ended with becomes the scenario's sign-in outcome. */
export async function oidcSignIn(
  world: IdsimWorld,
  name: string,
  options: { enrol: boolean },
): Promise<void> {
  const simulator = await runningSimulator(world);
  const person = world.person(name);
  if (options.enrol) enrolInIdp(simulator, person, name, true);
  const jar = world.browsers.get(name) ?? new CookieJar();
  world.browsers.set(name, jar);
  const methodId = world.target.control === null ? undefined : await firstSsoMethod(world);
  const result = await headlessSignIn({
    startUrl: world.oidc.loginUrl(methodId),
    credentials: { login: person.email, password: person.password },
    fetchImpl: recordingFetch((exchange) => world.transcript.push(exchange)),
    jar,
  });
  const redirectUri = world.oidc.redirectUri(methodId);
  const reachedRp = result.steps.some((step) => step.url.startsWith(redirectUri));
  world.lastSignIn = world.oidc.readOutcome(result);
  world.lastIdpSignIn = {
    errorCode: reachedRp ? null : (result.errorCode ?? null),
    responsePosted: reachedRp,
    landedAt: result.landedAt,
    loginPrompts: result.loginPrompts,
    responsesPosted: result.steps.filter((step) => step.url.startsWith(redirectUri)).length,
    landing: world.lastSignIn.landing,
  };
}

// ---- @oidc-rp-security: the fault catalogue against the RP under test

When(
  /^the IdP answers (\w+)'s sign-in with the OIDC fault "([a-z0-9-]+)"$/,
  async function (this: IdsimWorld, name: string, faultId: string) {
    const fault = OIDC_FAULTS.find((f) => f.id === faultId);
    assert.ok(fault !== undefined, `unknown OIDC fault ${faultId}`);
    const simulator = await runningSimulator(this);
    const appId = this.remembered.get(OIDC_APP_KEY);
    assert.ok(appId !== undefined, 'the team does not sign in over OpenID Connect');
    // a first good sign-in warms the RP's caches (JWKS), so that key faults meet a cached key set
    const warm = this.person(`${name}Warm`);
    enrolInIdp(simulator, warm, `${name}Warm`, true);
    await oidcSignIn(this, `${name}Warm`, { enrol: false });
    // otherwise a refusal below could come from a broken set-up rather than from the fault
    assert.equal(
      this.lastSignIn?.accepted,
      true,
      `the fault-free sign-in was refused: ${this.lastSignIn?.code}`,
    );
    simulator.oidc.armFaults(appId, [faultId as OidcFaultId]);
    await oidcSignIn(this, name, { enrol: true });
    this.remembered.set('oidc-fault', faultId);
  },
);

Then('the relying party gives the verdict the fault catalogue expects', function (this: IdsimWorld) {
  const faultId = this.remembered.get('oidc-fault') as OidcFaultId | undefined;
  assert.ok(faultId !== undefined, 'no OIDC fault was sent');
  const fault = oidcFault(faultId);
  const outcome = this.lastSignIn;
  assert.ok(outcome !== null, 'no sign-in was made');
  const verdict = outcome.accepted ? 'accept' : `refuse (${outcome.code ?? 'no code'})`;
  this.attach(
    JSON.stringify({ fault: fault.id, expected: fault.expectedVerdict, verdict, reference: fault.reference }),
    'application/vnd.idsim.oidc-fault-verdict+json',
  );
  if (fault.expectedVerdict === 'accept') {
    assert.equal(outcome.accepted, true, `${fault.explanation}: the RP refused (${outcome.code})`);
  } else {
    assert.equal(outcome.accepted, false, `${fault.explanation}: the RP signed the person in`);
  }
});
