// Steps for a second, hostile tenant: another organisation with its own verified domain, Enterprise team and SCIM
// key, whose IdP provisions over SCIM. idsim #16/#17 (tenant isolation); catalogue SSO-07, PRV-08, PRV-10.
import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { SCIM_USER_SCHEMA } from '../protocol/scim/schemas.ts';
import { scenarioSuffix } from './people.ts';
import { idpConnection } from './sso-fixture.ts';
import type { IdsimWorld } from './world.ts';

const OTHER_TEAM = 'other team id';
const OTHER_KEY = 'other organisation IdP';
const OTHER_DOMAIN = 'other organisation domain';

Given(
  'another organisation with its own verified domain, an Enterprise team with SCIM on and a key held by its IdP',
  async function (this: IdsimWorld) {
    const domain = `evil-${scenarioSuffix()}.test`;
    const { team, owner } = await this.control.createTeam({
      name: 'Evil Corp',
      plan: 'Enterprise',
      licensedSeats: 10,
      owner: { email: `mallory@${domain}`, givenName: 'Mallory', familyName: 'Owner' },
    });
    assert.notEqual(
      team.organisationId,
      this.teamFixture.organisationId,
      'the team must get its own organisation',
    );
    await this.control.addDomain(team.organisationId, domain);
    await this.control.verifyDomain(team.organisationId, domain);
    const actor = owner.account.id;
    await this.control.addAuthMethod(team.id, actor, {
      kind: 'saml',
      label: 'Evil IdP',
      enabled: true,
      autoAddUsers: true,
      saml: idpConnection(),
    });
    await this.control.setScimEnabled(team.id, actor, true);
    const { key, apiKey } = await this.control.generateScimKey(team.id, actor);
    this.scimKeys.set(OTHER_KEY, { key, keyId: apiKey.id });
    this.remembered.set(OTHER_TEAM, team.id);
    this.remembered.set(OTHER_DOMAIN, domain);
  },
);

Given(
  "{person}'s address lies in the other organisation's verified domain",
  function (this: IdsimWorld, name: string) {
    const domain = this.remembered.get(OTHER_DOMAIN);
    assert.ok(domain, 'no other organisation in this scenario');
    this.person(name).email = `${name.toLowerCase()}@${domain}`;
  },
);

When(
  "the other organisation's IdP provisions {person}'s email with the given name {string}",
  async function (this: IdsimWorld, name: string, givenName: string) {
    const held = this.scimKeys.get(OTHER_KEY);
    assert.ok(held, 'no other organisation in this scenario');
    const scim = this.target.scimWithKey(held.key);
    assert.ok(scim, 'the target offers no scim capability');
    const email = this.person(name).email;
    this.lastScimReply = await scim.request('POST', '/Users', {
      body: {
        schemas: [SCIM_USER_SCHEMA],
        userName: email,
        name: { givenName, familyName: 'Mallory' },
        emails: [{ primary: true, value: email, type: 'work' }],
        active: true,
      },
    });
  },
);

Then('{person} is not a member of the other team', async function (this: IdsimWorld, name: string) {
  const teamId = this.remembered.get(OTHER_TEAM);
  assert.ok(teamId, 'no other organisation in this scenario');
  const accountId = await this.accountIdOf(name);
  const members = await this.control.listMembers(teamId);
  assert.ok(
    !members.some((member) => member.account.id === accountId),
    `${name} is a member of the other team`,
  );
});

Then(
  "{person}'s SCIM resource in the team is named {string}",
  async function (this: IdsimWorld, name: string, givenName: string) {
    const id = this.person(name).scimId;
    assert.ok(id !== null, `${name} was not provisioned through SCIM`);
    const reply = await (await this.scim()).request('GET', `/Users/${id}`);
    assert.equal((reply.json as { name?: { givenName?: string } }).name?.givenName, givenName, reply.text);
  },
);
