// OpenID Connect steps (issue #14): the team's SSO method is an OIDC client of the simulator's OP, and sign-ins run
// the browser dance from the RP's login URL; the SAML sign-in steps dispatch here when the scenario chose OIDC.

import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { recordedFetch } from '../conformance/recorded-fetch.ts';
import { OIDC_VERDICT_MEDIA_TYPE } from '../conformance/report/oidc-verdicts.ts';
import { OIDC_FAULTS, type OidcFaultId, oidcFault } from '../simulator/oidc/faults.ts';
import {
  connectTeamOverOidc,
  OIDC_APP_KEY,
  oidcSignIn,
  ownerActor,
  registerOidcApp,
} from './oidc-fixture.ts';
import { currentOrganisationId } from './portal-fixture.ts';
import { enrolInIdp, runningSimulator } from './simulated-idp.ts';
import type { IdsimWorld } from './world.ts';

Given('organisation portals sign in with the simulated IdP over OpenID Connect', function (this: IdsimWorld) {
  this.ssoProtocol = 'oidc';
});

Given('the team signs in with the simulated IdP over OpenID Connect', async function (this: IdsimWorld) {
  await connectTeamOverOidc(this, false);
});

// SSO-03/04/06: the OIDC twin of "{person} adds an SSO method" (the method admits nobody new until JIT is turned on)
When('{person} adds an OIDC SSO method', async function (this: IdsimWorld, name: string) {
  await connectTeamOverOidc(this, false, { actor: await this.accountIdOf(name) });
});

When(
  '{person} adds an OIDC SSO method labelled {string}',
  async function (this: IdsimWorld, name: string, label: string) {
    await connectTeamOverOidc(this, false, { actor: await this.accountIdOf(name), label });
  },
);

/** SSO-04: the team's own sign-in page (its SSO links carry the methods' labels), or n/a without one. */
Then(
  "the team's sign-in page offers SSO labelled {string}",
  async function (this: IdsimWorld, label: string): Promise<'skipped' | undefined> {
    const pageUrl = this.saml.teamLoginUrl(this.teamFixture.teamId);
    if (pageUrl === null) return this.notApplicable({ missing: ['saml'], detail: 'no team sign-in page' });
    const page = await recordedFetch('saml', (exchange) => this.transcript.push(exchange), {
      method: 'GET',
      url: pageUrl,
      headers: { accept: 'text/html' },
    });
    assert.equal(page.status, 200, `the team's sign-in page answered ${page.status}`);
    const links = [...page.text.matchAll(/<a\s[^>]*>([^<]*)<\/a>/gi)].map((m) => m[1] ?? '');
    assert.ok(
      links.some((text) => text.includes('SSO') && text.includes(label)),
      `no SSO link labelled "${label}" among ${JSON.stringify(links)}`,
    );
    return undefined;
  },
);

// SSO-01: a second team of the same organisation, signing in with email and password only
Given(
  /^another team "([^"]+)" of the team's organisation, where (\w+) signs in with (?:her|his) password$/,
  async function (this: IdsimWorld, teamName: string, name: string) {
    const person = this.person(name);
    const { team, owner } = await this.control.createTeam({
      organisationId: this.teamFixture.organisationId,
      name: teamName,
      plan: 'Enterprise',
      licensedSeats: 5,
      owner: { email: person.email, givenName: name, familyName: 'Tester', password: person.password },
    });
    person.accountId = owner.account.id;
    await this.control.addAuthMethod(team.id, owner.account.id, {
      kind: 'password',
      label: 'Email and password',
      enabled: true,
    });
    this.remembered.set(`team:${teamName}`, team.id);
    this.remembered.set(`admin:${teamName}`, owner.account.id);
  },
);

When(
  /^(\w+) signs in to "([^"]+)" with (?:her|his) password$/,
  async function (this: IdsimWorld, name: string, teamName: string): Promise<'skipped' | undefined> {
    const signIn = this.saml.passwordSignIn;
    if (signIn === null) return this.notApplicable({ missing: ['saml'], detail: 'no password sign-in form' });
    const teamId = this.remembered.get(`team:${teamName}`);
    assert.ok(teamId !== undefined, `no team "${teamName}"`);
    const person = this.person(name);
    this.lastSignIn = await signIn({ email: person.email, password: person.password, teamId });
    return undefined;
  },
);

Then(
  '{person} is not a member of {string}',
  async function (this: IdsimWorld, name: string, teamName: string) {
    const teamId = this.remembered.get(`team:${teamName}`);
    assert.ok(teamId !== undefined, `no team "${teamName}"`);
    const account = await this.control.findAccountByEmail(this.person(name).email);
    const members = await this.control.listMembers(teamId);
    assert.ok(
      !members.some((member) => member.account.id === account?.id),
      `${name} is a member of "${teamName}"`,
    );
  },
);

// ORG-01: the portal's SSO link led through the simulator's OP and back to the RP's redirect URI
Then('the sign-in went through the OpenID provider', async function (this: IdsimWorld) {
  const authorize = `${(await runningSimulator(this)).baseUrl}/oauth2/default/v1/authorize`;
  assert.ok(
    this.transcript.some((exchange) => exchange.url.startsWith(authorize)),
    'the browser never reached the OP',
  );
  assert.ok((this.lastIdpSignIn?.responsesPosted ?? 0) >= 1, 'the OP never redirected back to the RP');
});

// ORG-08: the portal's JIT gives the organisation's default permission
Then(
  /^(\w+) is a member of the organisation with the permission (member|contributor|admin)$/,
  async function (this: IdsimWorld, name: string, permission: string) {
    const membership = await this.control.getOrganisationMembership(
      currentOrganisationId(this),
      await this.accountIdOf(name),
    );
    assert.equal(membership?.permission, permission, `${name}: ${JSON.stringify(membership)}`);
  },
);

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
