// OpenID Connect steps (issue #14): the team's SSO method is an OIDC client of the simulator's OP, and sign-ins run
// the browser dance from the RP's login URL; the SAML sign-in steps dispatch here when the scenario chose OIDC.

import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { OIDC_VERDICT_MEDIA_TYPE } from '../conformance/report/oidc-verdicts.ts';
import { OIDC_FAULTS, type OidcFaultId, oidcFault } from '../simulator/oidc/faults.ts';
import {
  connectTeamOverOidc,
  OIDC_APP_KEY,
  oidcSignIn,
  ownerActor,
  registerOidcApp,
} from './oidc-fixture.ts';
import { enrolInIdp, runningSimulator } from './simulated-idp.ts';
import type { IdsimWorld } from './world.ts';

Given('organisation portals sign in with the simulated IdP over OpenID Connect', function (this: IdsimWorld) {
  this.ssoProtocol = 'oidc';
});

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

Given('SCIM is on with an API key held by the IdP', async function (this: IdsimWorld) {
  const actor = await ownerActor(this);
  await this.control.setScimEnabled(this.teamFixture.teamId, actor, true);
  // KEY-02: the team's one SSO method may be an OIDC method
  const { key, apiKey } = await this.control.generateScimKey(this.teamFixture.teamId, actor);
  this.scimKeys.set('IdP', { key, keyId: apiKey.id });
  this.scimDriver = this.target.scimWithKey(key);
});

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
    OIDC_VERDICT_MEDIA_TYPE,
  );
  if (fault.expectedVerdict === 'accept') {
    assert.equal(outcome.accepted, true, `${fault.explanation}: the RP refused (${outcome.code})`);
  } else {
    assert.equal(outcome.accepted, false, `${fault.explanation}: the RP signed the person in`);
  }
});
