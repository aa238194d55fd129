// Product steps over the control capability: teams, plans, seats, members, auth methods and SCIM keys.
// Catalogue KEY-01..04, SSO-01..06, JIT-04/05, PRV-05..08, REM-01/03, ORG-07/08; steps stay one or two driver calls.
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { PlanName, TeamRole } from '../server/control/port.ts';
import { connectPortalOverOidc } from './oidc-fixture.ts';
import { scenarioSuffix } from './people.ts';
import { connectPortalToSimulatedIdp } from './portal-fixture.ts';
import { registerSpApp, runningSimulator } from './simulated-idp.ts';
import { firstSsoMethod, idpConnection } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

async function createTeam(world: IdsimWorld, plan: PlanName, seats: number): Promise<void> {
  const domain = `acme-${scenarioSuffix()}.test`;
  const owner = world.person('Olivia');
  owner.email = `olivia@${domain}`;
  const { team, owner: member } = await world.control.createTeam({
    name: 'Acme',
    plan,
    licensedSeats: seats,
    // no passwords in fixtures unless a scenario signs in with one: each costs a scrypt run on the target
    owner: { email: owner.email, givenName: 'Olivia', familyName: 'Owner' },
  });
  owner.accountId = member.account.id;
  world.team = { teamId: team.id, organisationId: team.organisationId, ownerName: 'Olivia', domain };
}

async function ownerId(world: IdsimWorld): Promise<string> {
  return world.accountIdOf(world.teamFixture.ownerName);
}

async function addSsoMethod(
  world: IdsimWorld,
  actorId: string,
  label = 'SSO',
  ssoUrl?: string,
): Promise<string> {
  const method = await world.control.addAuthMethod(world.teamFixture.teamId, actorId, {
    kind: 'saml',
    label,
    enabled: true,
    autoAddUsers: false,
    saml: idpConnection(ssoUrl),
  });
  world.authMethods.push(method.id);
  return method.id;
}

Given(
  'a team on the {plan} plan with {int} licensed seat(s)',
  async function (this: IdsimWorld, plan, seats) {
    await createTeam(this, plan as PlanName, seats as number);
  },
);

Given(
  'an Enterprise team with SCIM enabled and an API key held by the IdP',
  async function (this: IdsimWorld) {
    await createTeam(this, 'Enterprise', 10);
    const actor = await ownerId(this);
    await addSsoMethod(this, actor);
    await this.control.setScimEnabled(this.teamFixture.teamId, actor, true);
    const { key, apiKey } = await this.control.generateScimKey(this.teamFixture.teamId, actor);
    this.scimKeys.set('IdP', { key, keyId: apiKey.id });
    this.scimDriver = this.target.scimWithKey(key);
  },
);

Given('the team has {int} SSO method(s)', async function (this: IdsimWorld, count: number) {
  const actor = await ownerId(this);
  for (let index = 0; index < count; index += 1) await addSsoMethod(this, actor, `SSO ${index + 1}`);
});

Given('the team has email and password sign-in on', async function (this: IdsimWorld) {
  await this.control.addAuthMethod(this.teamFixture.teamId, await ownerId(this), {
    kind: 'password',
    label: 'Email and password',
    enabled: true,
  });
});

Given('{person} is a team {role}', async function (this: IdsimWorld, name: string, role: TeamRole) {
  const person = this.person(name);
  const member = await this.control.addMember(this.teamFixture.teamId, await ownerId(this), {
    email: person.email,
    givenName: name,
    familyName: 'Tester',
    role,
  });
  person.accountId = member.account.id;
});

Given(
  '{person} is a team {role} with a password',
  async function (this: IdsimWorld, name: string, role: TeamRole) {
    const person = this.person(name);
    const member = await this.control.addMember(this.teamFixture.teamId, await ownerId(this), {
      email: person.email,
      givenName: name,
      familyName: 'Tester',
      password: person.password,
      role,
    });
    person.accountId = member.account.id;
  },
);

Given('every seat of the team is taken', async function (this: IdsimWorld) {
  const teamId = this.teamFixture.teamId;
  const actor = await ownerId(this);
  let team = await this.control.getTeam(teamId);
  for (let filler = 1; team.seats.used < team.seats.licensed; filler += 1) {
    await this.control.addMember(teamId, actor, {
      email: `filler${filler}@${this.teamFixture.domain}`,
      givenName: 'Filler',
      familyName: String(filler),
      role: 'Member',
    });
    team = await this.control.getTeam(teamId);
  }
});

Given(
  /^the team has (Auto-Flex|True-up|neither Auto-Flex nor True-up) on$/,
  async function (this: IdsimWorld, option: string) {
    const patch = { autoFlex: option === 'Auto-Flex', trueUp: option === 'True-up' };
    await this.control.updateTeam(this.teamFixture.teamId, await ownerId(this), patch);
  },
);

When('{person} generates a SCIM API key', async function (this: IdsimWorld, name: string) {
  const actor = await this.accountIdOf(name);
  await this.attempt(() => this.control.generateScimKey(this.teamFixture.teamId, actor));
});

Then('key generation succeeds', async function (this: IdsimWorld) {
  const outcome = this.checkedOutcome();
  assert.equal(outcome?.ok, true, `expected a key, got ${JSON.stringify(outcome)}`);
  const keys = await this.control.listScimKeys(this.teamFixture.teamId);
  assert.equal(keys.filter((key) => key.status === 'ACTIVE').length, 1);
});

Then('key generation is refused with {string}', async function (this: IdsimWorld, code: string) {
  const outcome = this.checkedOutcome();
  assert.deepEqual(outcome?.ok === false ? outcome.code : outcome, code);
  assert.equal((await this.control.listScimKeys(this.teamFixture.teamId)).length, 0, 'no key may exist');
});

Then('it is refused with {string}', function (this: IdsimWorld, code: string) {
  const outcome = this.checkedOutcome();
  assert.deepEqual(outcome?.ok === false ? outcome.code : outcome, code);
});

When('{person} enables SCIM for the team', async function (this: IdsimWorld, name: string) {
  const actor = await this.accountIdOf(name);
  await this.attempt(() => this.control.setScimEnabled(this.teamFixture.teamId, actor, true));
});

When('{person} disables SCIM for the team', async function (this: IdsimWorld, name: string) {
  await this.control.setScimEnabled(this.teamFixture.teamId, await this.accountIdOf(name), false);
});

Then('SCIM is enabled for the team', async function (this: IdsimWorld) {
  assert.equal((await this.control.getTeam(this.teamFixture.teamId)).scimEnabled, true);
});

When("{person} revokes the IdP's key", async function (this: IdsimWorld, name: string) {
  const held = this.scimKeys.get('IdP');
  assert.ok(held, 'the IdP holds no key');
  await this.control.revokeScimKey(this.teamFixture.teamId, await this.accountIdOf(name), held.keyId);
});

When('{person} tries to leave the team', async function (this: IdsimWorld, name: string) {
  const accountId = await this.accountIdOf(name);
  await this.attempt(() => this.control.leaveTeam(this.teamFixture.teamId, accountId));
});

When(
  /^(\w+) tries to change (?:her|his) (email|password)$/,
  async function (this: IdsimWorld, name: string, what) {
    const accountId = await this.accountIdOf(name);
    await this.attempt(() =>
      what === 'email'
        ? this.control.changeOwnEmail(accountId, `${name.toLowerCase()}.new@${this.teamFixture.domain}`)
        : this.control.changeOwnPassword(accountId, null, 'a-brand-new-password-1'),
    );
  },
);

When(
  /^(\w+) removes (\w+) from the team handing (?:her|his) workspaces to (\w+)$/,
  async function (this: IdsimWorld, actorName: string, name: string, heirName: string) {
    const [actor, accountId, heir] = [
      await this.accountIdOf(actorName),
      await this.accountIdOf(name),
      await this.accountIdOf(heirName),
    ];
    await this.attempt(() => this.control.removeMember(this.teamFixture.teamId, actor, accountId, heir));
  },
);

When(
  '{person} removes {person} from the team without naming a hand-over',
  async function (this: IdsimWorld, actorName: string, name: string) {
    const [actor, accountId] = [await this.accountIdOf(actorName), await this.accountIdOf(name)];
    await this.attempt(() => this.control.removeMember(this.teamFixture.teamId, actor, accountId));
  },
);

When(
  '{person} adds {person} back to the team as a {role}',
  async function (this: IdsimWorld, actorName: string, name: string, role: TeamRole) {
    const person = this.person(name);
    await this.control.addMember(this.teamFixture.teamId, await this.accountIdOf(actorName), {
      email: person.email,
      givenName: name,
      familyName: 'Tester',
      role,
    });
  },
);

Then('{person} is an active member of the team', async function (this: IdsimWorld, name: string) {
  const member = await this.control.getMember(this.teamFixture.teamId, await this.accountIdOf(name));
  assert.equal(member.status, 'active');
});

Then("{person}'s membership is deactivated", async function (this: IdsimWorld, name: string) {
  const member = await this.control.getMember(this.teamFixture.teamId, await this.accountIdOf(name));
  assert.equal(member.status, 'deactivated');
});

Then('{person} is no longer a member', async function (this: IdsimWorld, name: string) {
  const outcome = this.checkedOutcome();
  assert.equal(outcome?.ok, true, `removal failed: ${JSON.stringify(outcome)}`);
  const accountId = await this.accountIdOf(name);
  const members = await this.control.listMembers(this.teamFixture.teamId);
  const member = members.find((candidate) => candidate.account.id === accountId);
  assert.ok(member === undefined || member.status === 'removed', `${name} is still ${member?.status}`);
});

Then('{person} has the team role {role}', async function (this: IdsimWorld, name: string, role: TeamRole) {
  const member = await this.control.getMember(this.teamFixture.teamId, await this.accountIdOf(name));
  assert.equal(member.role, role);
});

Then('{person} is managed by SCIM', async function (this: IdsimWorld, name: string) {
  const member = await this.control.getMember(this.teamFixture.teamId, await this.accountIdOf(name));
  assert.equal(member.managedByScim, true);
});

Then('{person} has no account', async function (this: IdsimWorld, name: string) {
  assert.equal(await this.control.findAccountByEmail(this.person(name).email), null);
});

Then('{person} is not a member of the team', async function (this: IdsimWorld, name: string) {
  const email = this.person(name).email.toLowerCase();
  const members = await this.control.listMembers(this.teamFixture.teamId);
  assert.ok(
    !members.some((member) => member.account.email.toLowerCase() === email && member.status === 'active'),
  );
});

Then('the team has {int} member(s)', async function (this: IdsimWorld, count: number) {
  const members = await this.control.listMembers(this.teamFixture.teamId);
  assert.equal(members.filter((member) => member.status === 'active').length, count);
});

Then("{person}'s account has no password", async function (this: IdsimWorld, name: string) {
  assert.equal((await this.control.getAccount(await this.accountIdOf(name))).hasPassword, false);
});

Given('{person} has invited {person}', async function (this: IdsimWorld, actorName: string, name: string) {
  const { token } = await this.control.createInvite(
    this.teamFixture.teamId,
    await this.accountIdOf(actorName),
    {
      email: this.person(name).email,
    },
  );
  this.remembered.set(`invite:${name}`, token);
});

Then('the team has a pending invite for {person}', async function (this: IdsimWorld, name: string) {
  const invites = await this.control.listInvites(this.teamFixture.teamId);
  const email = this.person(name).email.toLowerCase();
  assert.ok(invites.some((invite) => invite.email.toLowerCase() === email && invite.status === 'pending'));
});

Given('the team signs in with the simulated IdP', async function (this: IdsimWorld) {
  const simulator = await runningSimulator(this);
  const methodId = await addSsoMethod(this, await ownerId(this), 'SSO', `${simulator.baseUrl}/saml/sso`);
  // the IdP admin's half of the set-up: an app for this SP (only when the target has a SAML side at all)
  const saml = this.target.saml;
  if (saml !== null) registerSpApp(simulator, saml.audience(methodId), saml.acsUrl(methodId), this.idp);
});

Given(
  'the SSO method has "Automatically add new users" {onOff}',
  async function (this: IdsimWorld, autoAddUsers: boolean) {
    const methodId = await firstSsoMethod(this);
    await this.control.updateAuthMethod(this.teamFixture.teamId, await ownerId(this), methodId, {
      autoAddUsers,
    });
  },
);

When(
  '{person} turns "Automatically add new users" {onOff}',
  async function (this: IdsimWorld, name: string, autoAddUsers: boolean) {
    const [methodId, actor] = [await firstSsoMethod(this), await this.accountIdOf(name)];
    await this.attempt(() =>
      this.control.updateAuthMethod(this.teamFixture.teamId, actor, methodId, { autoAddUsers }),
    );
  },
);

Then('"Automatically add new users" is {onOff}', async function (this: IdsimWorld, expected: boolean) {
  const methodId = await firstSsoMethod(this);
  const methods = await this.control.listAuthMethods(this.teamFixture.teamId);
  assert.equal(methods.find((method) => method.id === methodId)?.autoAddUsers, expected);
});

When('{person} adds an SSO method', async function (this: IdsimWorld, name: string) {
  await addSsoMethod(this, await this.accountIdOf(name));
});

When(
  '{person} adds an SSO method labelled {string}',
  async function (this: IdsimWorld, name: string, label: string) {
    await addSsoMethod(this, await this.accountIdOf(name), label);
  },
);

Then('the team has a sign-in method labelled {string}', async function (this: IdsimWorld, label: string) {
  const methods = await this.control.listAuthMethods(this.teamFixture.teamId);
  assert.ok(methods.some((method) => method.label === label));
});

Then('the team has {int} sign-in method(s) on', async function (this: IdsimWorld, count: number) {
  const methods = await this.control.listAuthMethods(this.teamFixture.teamId);
  assert.equal(methods.filter((method) => method.enabled).length, count);
});

When(
  '{person} turns email and password sign-in {onOff}',
  async function (this: IdsimWorld, name: string, enabled: boolean) {
    const teamId = this.teamFixture.teamId;
    const actor = await this.accountIdOf(name);
    const password = (await this.control.listAuthMethods(teamId)).find(
      (method) => method.kind === 'password',
    );
    if (password === undefined) {
      await this.control.addAuthMethod(teamId, actor, {
        kind: 'password',
        label: 'Email and password',
        enabled,
      });
    } else {
      await this.control.updateAuthMethod(teamId, actor, password.id, { enabled });
    }
  },
);

When('{person} turns the SSO method off', async function (this: IdsimWorld, name: string) {
  const methodId = await firstSsoMethod(this);
  await this.control.updateAuthMethod(this.teamFixture.teamId, await this.accountIdOf(name), methodId, {
    enabled: false,
  });
});

Then('email and password sign-in is on', async function (this: IdsimWorld) {
  const methods = await this.control.listAuthMethods(this.teamFixture.teamId);
  assert.ok(methods.some((method) => method.kind === 'password' && method.enabled));
});

Given(
  /^the team's organisation has (verified|not verified) its domain$/,
  async function (this: IdsimWorld, state) {
    const { organisationId, domain } = this.teamFixture;
    await this.control.addDomain(organisationId, domain);
    if (state === 'verified') await this.control.verifyDomain(organisationId, domain);
  },
);

Given(
  "the team's organisation has verified its domain and captures it into the team",
  async function (this: IdsimWorld) {
    const { organisationId, domain, teamId } = this.teamFixture;
    await this.control.addDomain(organisationId, domain);
    await this.control.verifyDomain(organisationId, domain);
    await this.control.setDomainCapture(organisationId, domain, teamId);
  },
);

When('the organisation captures its domain into the team', async function (this: IdsimWorld) {
  const { organisationId, domain, teamId } = this.teamFixture;
  await this.attempt(() => this.control.setDomainCapture(organisationId, domain, teamId));
});

Then('the domain is captured into the team', async function (this: IdsimWorld) {
  const { organisationId, domain, teamId } = this.teamFixture;
  const domains = await this.control.listDomains(organisationId);
  assert.equal(domains.find((candidate) => candidate.name === domain)?.captureTeamId, teamId);
});

Given(
  'an organisation with the teams {string} and {string}',
  async function (this: IdsimWorld, first: string, second: string) {
    const suffix = scenarioSuffix();
    const organisation = await this.control.createOrganisation({ slug: `org-${suffix}`, name: 'Two teams' });
    for (const name of [first, second]) {
      const { team, owner } = await this.control.createTeam({
        organisationId: organisation.id,
        name,
        plan: 'Enterprise',
        licensedSeats: 5,
        owner: {
          email: `admin-${name.toLowerCase()}@org-${suffix}.test`,
          givenName: 'Admin',
          familyName: name,
        },
      });
      this.remembered.set(`team:${name}`, team.id);
      this.remembered.set(`admin:${name}`, owner.account.id);
    }
  },
);

function namedTeam(world: IdsimWorld, name: string): { teamId: string; adminId: string } {
  const teamId = world.remembered.get(`team:${name}`);
  const adminId = world.remembered.get(`admin:${name}`);
  assert.ok(teamId !== undefined && adminId !== undefined, `no team "${name}"`);
  return { teamId, adminId };
}

When('the admin of {string} adds an SSO method', async function (this: IdsimWorld, name: string) {
  const { teamId, adminId } = namedTeam(this, name);
  await this.control.addAuthMethod(teamId, adminId, {
    kind: 'saml',
    label: 'SSO',
    enabled: true,
    saml: idpConnection(),
  });
});

Then('{string} has {int} SSO method(s)', async function (this: IdsimWorld, name: string, count: number) {
  const methods = await this.control.listAuthMethods(namedTeam(this, name).teamId);
  // SAML and OIDC methods are both SSO (KEY-02); only email and password is not
  assert.equal(methods.filter((method) => method.kind !== 'password').length, count);
});

async function organisationNamed(world: IdsimWorld, slug: string, privateInstance: boolean): Promise<string> {
  const organisation = await world.control.createOrganisation({
    slug: `${slug}-${scenarioSuffix()}`,
    name: slug,
    privateInstance,
  });
  world.remembered.set(`org:${slug}`, organisation.id);
  world.remembered.set('org:current', organisation.id);
  world.remembered.set(`orgSlug:${slug}`, organisation.slug);
  world.remembered.set('orgSlug:current', organisation.slug);
  return organisation.id;
}

function organisationId(world: IdsimWorld, slug = 'current'): string {
  const id = world.remembered.get(`org:${slug}`);
  assert.ok(id !== undefined, `no organisation "${slug}"`);
  return id;
}

/** ORG-01..08: with a SAML side, the portal signs in through the scenario's simulated IdP (over OIDC when chosen). */
async function connectPortal(world: IdsimWorld, id: string): Promise<void> {
  if (world.ssoProtocol === 'oidc') await connectPortalOverOidc(world, id);
  else if (world.target.saml !== null) await connectPortalToSimulatedIdp(world, id);
}

Given('an organisation {string} with portal JIT on', async function (this: IdsimWorld, slug: string) {
  const id = await organisationNamed(this, slug, false);
  await this.control.updatePortal(id, { jitEnabled: true });
  await connectPortal(this, id);
});

When(
  'an organisation {string} is created as a private instance',
  async function (this: IdsimWorld, slug: string) {
    // ORG-07: nobody turns portal JIT on; the portal's SSO is connected as for any portal
    await connectPortal(this, await organisationNamed(this, slug, true));
  },
);

Then('the portal JIT of {string} is on', async function (this: IdsimWorld, slug: string) {
  const organisation = await this.control.getOrganisation(organisationId(this, slug));
  assert.equal(organisation.portal.jitEnabled, true);
  assert.equal(organisation.portal.privateInstance, true);
});

When(
  /^the organisation sets the portal's default permission to (member|contributor|admin)$/,
  async function (this: IdsimWorld, permission: 'member' | 'contributor' | 'admin') {
    await this.control.updatePortal(organisationId(this), { defaultPermission: permission });
  },
);

Then(
  /^the portal's default permission is (member|contributor|admin)$/,
  async function (this: IdsimWorld, expected) {
    const organisation = await this.control.getOrganisation(organisationId(this));
    assert.equal(organisation.portal.defaultPermission, expected);
  },
);
