// SAML steps: sign-ins through the simulated IdP to the target's ACS, for JIT (JIT-01..03, JIT-10) and for the
// @saml-sp protocol features (good response accepted; tampered, wrong cert, audience, expired, replayed, unsigned refused).
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { submitPageForm } from '../conformance/page-form.ts';
import { recordedFetch } from '../conformance/recorded-fetch.ts';
import { readSignInOutcome } from '../conformance/saml-http.ts';
import type { HttpExchange } from '../conformance/target.ts';
import type { ResponseFault } from '../simulator/saml/faults.ts';
import { oidcSignIn } from './oidc-fixture.ts';
import { rememberGenuine, takeArmedFault } from './saml-faults.steps.ts';
import {
  acceptInviteWithSso,
  enrolInIdp,
  runningSimulator,
  signedResponseFor,
  signInThroughIdp,
} from './simulated-idp.ts';
import { firstSsoMethod, idpConnection } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

const FAULTS: Record<string, ResponseFault> = {
  'tampered after signing': 'tamper-after-signing',
  'signed with a certificate not trusted': 'wrong-key',
  'meant for another audience': 'wrong-audience',
  expired: 'expired',
  unsigned: 'unsigned',
};

async function teamEndpoint(world: IdsimWorld): Promise<{ acsUrl: string; audience: string }> {
  const methodId = await firstSsoMethod(world);
  return { acsUrl: world.saml.acsUrl(methodId), audience: world.saml.audience(methodId) };
}

async function postFor(
  world: IdsimWorld,
  name: string,
  faults: readonly ResponseFault[] = [],
): Promise<'skipped' | undefined> {
  const endpoint = world.samlEndpoint ?? (await teamEndpoint(world));
  // Given the IdP's next Response carries the fault "…" (saml-faults.steps.ts): one shot, then genuine again
  const loginUrl =
    world.authMethods[0] === undefined ? world.saml.loginUrl() : world.saml.loginUrl(world.authMethods[0]);
  const faulty = await takeArmedFault(world, name, { ...endpoint, loginUrl });
  if (faulty === 'skipped') return faulty;
  if (faulty !== null) {
    world.lastSamlResponse = faulty;
    world.lastSignIn = await world.saml.postResponse(endpoint.acsUrl, faulty);
    return undefined;
  }
  const samlResponse = await signedResponseFor({
    person: world.person(name),
    givenName: name,
    familyName: 'Tester',
    acsUrl: endpoint.acsUrl,
    audience: endpoint.audience,
    faults,
    idp: world.idp,
  });
  world.lastSamlResponse = samlResponse;
  if (faults.length === 0) rememberGenuine(world, samlResponse);
  world.lastSignIn = await world.saml.postResponse(endpoint.acsUrl, samlResponse);
  return undefined;
}

Given('{person} is assigned to the app in the IdP', function (this: IdsimWorld, name: string) {
  this.idpAssigned.add(name);
  // when the scenario runs a real IdP, the person also exists there, assigned (SP-initiated flows, JIT-04/06)
  if (this.simulator !== null) enrolInIdp(this.simulator, this.person(name), name, true);
});

When('{person} signs in to the team with SSO', async function (this: IdsimWorld, name: string) {
  assert.ok(this.idpAssigned.has(name), `${name} is not assigned to the app in the IdP`);
  if (this.ssoProtocol === 'oidc') await oidcSignIn(this, name, { enrol: true });
  else await postFor(this, name);
});

Then('the sign-in is accepted', function (this: IdsimWorld) {
  assert.equal(this.lastSignIn?.accepted, true, `refused: ${JSON.stringify(this.lastSignIn)}`);
});

Then('the sign-in is refused', function (this: IdsimWorld) {
  assert.equal(this.lastSignIn?.accepted, false, 'the SP accepted the response');
});

Then('the sign-in is refused with {string}', function (this: IdsimWorld, code: string) {
  assert.equal(this.lastSignIn?.accepted, false, 'the SP accepted the response');
  assert.equal(this.lastSignIn?.code, code);
});

Then(
  'the refusal tells {person} to be invited because JIT provisioning is not enabled',
  function (this: IdsimWorld, _name: string) {
    const message = this.lastSignIn?.message ?? '';
    // JIT-01: "you need to be invited ... JIT provisioning is not enabled ... contact a team administrator"
    assert.match(message, /invited/i);
    assert.match(message, /JIT provisioning is not enabled/i);
    assert.match(message, /administrator/i);
  },
);

Given('the service provider trusts the simulated IdP', async function (this: IdsimWorld) {
  if (this.target.control === null) {
    // a target file names one ACS; the target must trust the simulator's metadata (design.md)
    this.samlEndpoint = { acsUrl: this.saml.acsUrl(), audience: this.saml.audience() };
    return;
  }
  const owner = this.person('Olivia');
  const { team, owner: member } = await this.control.createTeam({
    name: 'SP under test',
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
  const method = await this.control.addAuthMethod(team.id, member.account.id, {
    kind: 'saml',
    label: 'SSO',
    enabled: true,
    autoAddUsers: true,
    saml: idpConnection(),
  });
  this.authMethods.push(method.id);
  this.samlEndpoint = { acsUrl: this.saml.acsUrl(method.id), audience: this.saml.audience(method.id) };
});

When('the IdP posts a response for {person}', function (this: IdsimWorld, name: string) {
  return postFor(this, name);
});

When(
  /^the IdP posts a response for (\w+) that is (.+)$/,
  async function (this: IdsimWorld, name: string, fault) {
    const mapped = FAULTS[fault as string];
    assert.ok(mapped !== undefined, `unknown fault "${String(fault)}"`);
    await postFor(this, name, [mapped]);
  },
);

Given(
  'the IdP has posted a response for {person} that was accepted',
  async function (this: IdsimWorld, name) {
    await postFor(this, name as string);
    assert.equal(this.lastSignIn?.accepted, true, `refused: ${JSON.stringify(this.lastSignIn)}`);
  },
);

When('the same response is posted again', async function (this: IdsimWorld) {
  const endpoint = this.samlEndpoint ?? (await teamEndpoint(this));
  assert.ok(this.lastSamlResponse !== null, 'no response was posted before');
  this.lastSignIn = await this.saml.postResponse(endpoint.acsUrl, this.lastSamlResponse);
});

Given(
  '{person} is known to the IdP but not assigned to the app',
  async function (this: IdsimWorld, name: string) {
    const person = this.person(name);
    const simulator = await runningSimulator(this);
    simulator.directory.addPerson({
      login: person.email,
      email: person.email,
      firstName: name,
      lastName: 'Tester',
      password: person.password,
    });
  },
);

When(
  '{person} starts a sign-in to the team at the service provider',
  async function (this: IdsimWorld, name) {
    if (this.ssoProtocol === 'oidc') return oidcSignIn(this, name as string, { enrol: false });
    const startUrl = this.saml.loginUrl(await firstSsoMethod(this));
    assert.ok(
      startUrl !== null,
      'the target names no URL where an SP-initiated sign-in starts (saml.loginUrl)',
    );
    this.lastIdpSignIn = await signInThroughIdp(startUrl, this.person(name as string), (exchange) =>
      this.transcript.push(exchange),
    );
  },
);

Then('the IdP refuses the sign-in', function (this: IdsimWorld) {
  const signIn = this.lastIdpSignIn;
  assert.ok(signIn !== null, 'no sign-in through the IdP was made');
  // JIT-08: the IdP itself stops an unassigned person, so the SP never receives a Response
  assert.equal(signIn.errorCode, 'not_assigned', `ended at ${signIn.landedAt}`);
  assert.equal(signIn.responsePosted, false);
});

// ---- email-and-password sign-in beside SSO (SSO-05, DEA-02, REM-02)

async function passwordSignIn(
  world: IdsimWorld,
  name: string,
  toTeam: boolean,
): Promise<'skipped' | undefined> {
  const signIn = world.saml.passwordSignIn;
  if (signIn === null) return world.notApplicable({ missing: ['saml'], detail: 'no password sign-in form' });
  const person = world.person(name);
  world.lastSignIn = await signIn({
    email: person.email,
    password: person.password,
    ...(toTeam ? { teamId: world.teamFixture.teamId } : {}),
  });
  return undefined;
}

When(/^(\w+) signs in with (?:her|his) password$/, function (this: IdsimWorld, name: string) {
  return passwordSignIn(this, name, false);
});

When(/^(\w+) signs in to the team with (?:her|his) password$/, function (this: IdsimWorld, name: string) {
  return passwordSignIn(this, name, true);
});

Then(/^(\w+) lands in (?:her|his) personal context$/, function (this: IdsimWorld, _name: string) {
  assert.equal(this.lastSignIn?.accepted, true, `refused: ${JSON.stringify(this.lastSignIn)}`);
  assert.equal(this.lastSignIn?.landing, 'personal');
});

Then('{person} is signed in to the team', function (this: IdsimWorld, _name: string) {
  assert.equal(this.lastSignIn?.accepted, true, `refused: ${JSON.stringify(this.lastSignIn)}`);
  assert.equal(this.lastSignIn?.landing, 'team');
});

// ---- self-service sign-up (PRV-10, SSO-02: in a verified domain the address is confirmed by an e-mailed link first)

When(
  '{person} signs up with an email at the team domain',
  async function (this: IdsimWorld, name: string): Promise<'skipped' | undefined> {
    const signUp = this.saml.signUp;
    if (signUp === null) return this.notApplicable({ missing: ['saml'], detail: 'no sign-up form' });
    const person = this.person(name);
    this.lastSignIn = await signUp({
      email: person.email,
      password: person.password,
      givenName: name,
      familyName: 'Tester',
    });
    assert.equal(this.lastSignIn.accepted, true, `sign-up refused: ${JSON.stringify(this.lastSignIn)}`);
    return undefined;
  },
);

Then("{person}'s sign-up waits for the e-mailed confirmation", function (this: IdsimWorld, _name: string) {
  assert.equal(this.lastSignIn?.accepted, true, `sign-up refused: ${JSON.stringify(this.lastSignIn)}`);
  assert.equal(this.lastSignIn?.landing, null, 'the sign-up signed in before the address was confirmed');
});

When(
  /^(\w+) opens the confirmation link e-mailed to (?:her|him)$/,
  async function (this: IdsimWorld, name: string): Promise<undefined> {
    // PRV-10 / SSO-02: the target's outbox is the test mailbox (control capability), as for JIT-07
    const messages = await this.control.listOutbox(this.person(name).email);
    const message = messages.filter((candidate) => candidate.kind === 'signup_confirmation').at(-1);
    assert.ok(message !== undefined, `no sign-up confirmation for ${name} in the outbox`);
    this.remembered.set(`signupLink:${name}`, message.link);
    this.lastSignIn = await this.saml.openEmailLink(message.link);
    return undefined;
  },
);

When('{person} opens the same confirmation link again', async function (this: IdsimWorld, name: string) {
  const link = this.remembered.get(`signupLink:${name}`);
  assert.ok(link !== undefined, `${name} has not opened a confirmation link`);
  this.lastSignIn = await this.saml.openEmailLink(link);
});

// ---- invites (JIT-04) and linking an existing account (JIT-06)

async function acceptInvite(world: IdsimWorld, name: string): Promise<'skipped' | undefined> {
  const token = world.remembered.get(`invite:${name}`);
  assert.ok(token !== undefined, `${name} was not invited`);
  const inviteUrl = world.saml.inviteUrl(token);
  if (inviteUrl === null) return world.notApplicable({ missing: ['saml'], detail: 'no invite page' });
  const flow = await acceptInviteWithSso(
    inviteUrl,
    world.teamFixture.teamId,
    world.person(name),
    (exchange) => world.transcript.push(exchange),
  );
  world.lastIdpSignIn = flow.signIn;
  if (flow.linkUrl !== null) world.remembered.set(`link:${name}`, flow.linkUrl);
  return undefined;
}

async function confirmLink(world: IdsimWorld, name: string, password: string): Promise<void> {
  const linkUrl = world.remembered.get(`link:${name}`);
  assert.ok(linkUrl !== undefined, `the SP asked ${name} for no account password (no link form)`);
  const reply = await recordedFetch('saml', (exchange) => world.transcript.push(exchange), {
    method: 'POST',
    url: linkUrl,
    headers: { accept: 'application/json' },
    body: new URLSearchParams({ password }).toString(),
    contentType: 'application/x-www-form-urlencoded',
  });
  world.lastSignIn = readSignInOutcome(reply, 'auto', 'error');
}

When('{person} accepts the invite with SSO', function (this: IdsimWorld, name: string) {
  return acceptInvite(this, name);
});

Given('{person} has an account with a password', async function (this: IdsimWorld, name: string) {
  // an account outside this team: the owner of a small team of their own, with an account password that is not
  // the IdP password (JIT-06 "the password of the existing account, not the SSO password")
  const person = this.person(name);
  const accountPassword = `${name.toLowerCase()}-account-password-7`;
  const { owner } = await this.control.createTeam({
    name: `${name}'s own team`,
    plan: 'Free',
    licensedSeats: 1,
    owner: { email: person.email, givenName: name, familyName: 'Tester', password: accountPassword },
  });
  person.accountId = owner.account.id;
  this.remembered.set(`accountPassword:${name}`, accountPassword);
});

When(
  /^(\w+) opens the invite, chooses SSO and enters the wrong account password$/,
  async function (this: IdsimWorld, name: string) {
    const skipped = await acceptInvite(this, name);
    if (skipped !== undefined) return skipped;
    // the IdP password is exactly the wrong one here
    await confirmLink(this, name, this.person(name).password);
    return undefined;
  },
);

When(/^(\w+) enters the right account password$/, async function (this: IdsimWorld, name: string) {
  const password = this.remembered.get(`accountPassword:${name}`);
  assert.ok(password !== undefined, `${name} has no account password`);
  await confirmLink(this, name, password);
});

When(
  /^(\w+) resets (?:her|his) password and links with the new one$/,
  async function (this: IdsimWorld, name: string): Promise<'skipped' | undefined> {
    const forgotUrl = this.saml.forgotPasswordUrl;
    if (forgotUrl === null)
      return this.notApplicable({ missing: ['saml'], detail: 'no forgot-password form' });
    const person = this.person(name);
    const record = (exchange: HttpExchange): void => {
      this.transcript.push(exchange);
    };
    const asked = await recordedFetch('saml', record, {
      method: 'POST',
      url: forgotUrl,
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ email: person.email }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    assert.ok(asked.status < 400, `forgot-password answered ${asked.status}`);
    // JIT-07: the server's outbox is the test mailbox (control capability)
    const message = (await this.control.listOutbox(person.email)).at(-1);
    assert.ok(message !== undefined, `no reset message for ${person.email} in the outbox`);
    const newPassword = `${name.toLowerCase()}-reset-password-8`;
    const reset = await submitPageForm(message.link, { password: newPassword }, record);
    assert.ok(reset.status < 400, `the reset was refused: ${reset.status} ${reset.text.slice(0, 200)}`);
    this.remembered.set(`accountPassword:${name}`, newPassword);
    const skipped = await acceptInvite(this, name);
    if (skipped !== undefined) return skipped;
    await confirmLink(this, name, newPassword);
    assert.equal(this.lastSignIn?.accepted, true, `linking refused: ${JSON.stringify(this.lastSignIn)}`);
    return undefined;
  },
);

Then('nothing is linked', async function (this: IdsimWorld) {
  assert.equal(this.lastSignIn?.accepted, false, 'the SP linked the account with a wrong password');
  assert.equal(this.lastSignIn?.code, 'invalid_credentials');
});
