// Guided scenarios for SCIM provisioning, groups and the IdP app set-up: catalogue PRV-01..09, GRP-01..06 and
// OKT-01..04 (shared/spec/catalogue.md), over the app's pusher or SCIM requests as the IdP sends them. idsim #6.
import { createPusherForApp, DirectorySync } from '../simulator/scim/directory-sync.ts';
import type { LiveSystem } from './live-system.ts';
import {
  addIdpPerson,
  addTeamMember,
  attempt,
  createScimUser,
  deleteScimUser,
  describeAttempt,
  done,
  expectThat,
  memberByEmail,
  membershipStatus,
  provisionStep,
  recall,
  removeFromTeam,
  retireIdpPerson,
  retireStep,
  roleOn,
  SCIM_GROUP_SCHEMA,
  SCIM_PATCH_SCHEMA,
  type Scenario,
  type ScenarioMemory,
  type ScenarioStep,
  scimActivePatch,
  scimErrorOf,
  scimRequest,
  scimUser,
  step,
  uniqueSuffix,
} from './scenario-kit.ts';

function deleteScimUserStep(key: string): ScenarioStep {
  return step(`Restore: delete the SCIM user ${key}`, async (system, memory) => {
    await deleteScimUser(system, memory, key);
    return done(`${key} is deleted over SCIM.`);
  });
}

function teamGroupByName(system: LiveSystem, name: string) {
  return system.reference.service.listGroups(system.reference.teamId).find((g) => g.displayName === name);
}

/** An IdP group with the scenario people `keys`, pushed with "create" (GRP-02); remembers the team group id. */
function pushNewGroupStep(...keys: string[]): ScenarioStep {
  return step(
    `Create an IdP group with ${keys.join(' and ')} and push it ("create")`,
    async (system, memory) => {
      const group = system.simulator.directory.addGroup({
        name: `Pushed ${uniqueSuffix()}`,
        memberIds: keys.map((key) => recall(memory, `${key}:personId`)),
      });
      memory.set('group:idpId', group.id);
      memory.set('group:name', group.name);
      const { result } = await system.pushGroup(group.id, 'create', undefined, { assign: true });
      const teamGroup = teamGroupByName(system, group.name);
      if (teamGroup) memory.set('group:teamId', teamGroup.id);
      return expectThat(
        result.action === 'created' && teamGroup?.memberIds.length === keys.length,
        `Pushed: team group "${group.name}" has ${teamGroup?.memberIds.length} member(s).`,
        `push ${result.action}; team group ${teamGroup ? `has ${teamGroup.memberIds.length}` : 'missing'}.`,
      );
    },
  );
}

/** Restore: the IdP group leaves the app and the directory; then the people leave too. */
function retireGroupStep(...keys: string[]): ScenarioStep {
  return step(
    'Restore: the IdP group and the people leave the app and the directory',
    async (system, memory) => {
      await retireGroup(system, memory);
      for (const key of keys) await retireIdpPerson(system, memory, key);
      return done('The scenario group and people are gone from the IdP.');
    },
  );
}

async function retireGroup(system: LiveSystem, memory: ScenarioMemory): Promise<void> {
  const groupId = memory.get('group:idpId');
  if (groupId === undefined) return;
  const directory = system.simulator.directory;
  if (directory.getApp(system.appId).assignments.groups.includes(groupId)) {
    await system.unassign({ kind: 'group', id: groupId });
  }
  directory.deleteGroup(groupId);
  await system.settle();
}

// ---- PRV ----

const emailIsPrimary: Scenario = {
  row: 'PRV-01',
  title: 'Email (SCIM userName) maps a provisioned user to an existing account',
  steps: [
    step('Someone has an account (not a team member)', (system, memory) => {
      const email = `known.${uniqueSuffix()}@acme.example`;
      const { account } = system.reference.service.registerAccount({
        email,
        givenName: 'Known',
        familyName: 'Person',
        password: 'known-person-password',
      });
      memory.set('known:email', email);
      memory.set('known:accountId', account.id);
      return done(`${email} has an account.`);
    }),
    step('The IdP provisions userName = that email (in upper case)', async (system, memory) => {
      const email = recall(memory, 'known:email');
      const answer = await scimRequest(system, 'POST', '/Users', scimUser(email.toUpperCase()));
      if (typeof answer.body.id === 'string') memory.set('known:scimId', answer.body.id);
      const status = membershipStatus(system, recall(memory, 'known:accountId'));
      return expectThat(
        answer.status === 201 && status === 'active',
        'Created 201; the existing account (same id) is now an active member.',
        `POST ${scimErrorOf(answer)}; membership of the existing account: ${status}.`,
      );
    }),
    deleteScimUserStep('known'),
  ],
};

const requiredAttributes: Scenario = {
  row: 'PRV-02',
  title: 'A provisioning request must carry first name, last name and active; the names may be blank',
  steps: [
    step('The IdP sends a user without name and active', async (system) => {
      const answer = await scimRequest(system, 'POST', '/Users', {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `nameless.${uniqueSuffix()}@acme.example`,
      });
      return expectThat(
        answer.status === 400 && answer.body.scimType === 'invalidValue',
        `Refused: ${scimErrorOf(answer)}.`,
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    step('The IdP sends blank names with active', async (system, memory) => {
      const answer = await createScimUser(system, memory, 'blank', {
        name: { givenName: '', familyName: '' },
      });
      return expectThat(
        answer.status === 201,
        'Accepted: 201 with blank names.',
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    deleteScimUserStep('blank'),
  ],
};

const supportedOperations: Scenario = {
  row: 'PRV-03',
  title: 'Create, update and deactivate are supported; password sync is not',
  steps: [
    step('The IdP sends a user with a password', async (system) => {
      const body = scimUser(`withpassword.${uniqueSuffix()}@acme.example`, { password: 'Secret123!' });
      const answer = await scimRequest(system, 'POST', '/Users', body);
      return expectThat(
        answer.status === 400,
        `Refused: ${scimErrorOf(answer)}.`,
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    step('Create, update the given name, deactivate', async (system, memory) => {
      const created = await createScimUser(system, memory, 'sync');
      const id = recall(memory, 'sync:scimId');
      const renamed = await scimRequest(system, 'PATCH', `/Users/${id}`, {
        schemas: [SCIM_PATCH_SCHEMA],
        Operations: [{ op: 'replace', path: 'name.givenName', value: 'Renamed' }],
      });
      const deactivated = await scimRequest(system, 'PATCH', `/Users/${id}`, scimActivePatch(false));
      const name = (renamed.body.name as { givenName?: string } | undefined)?.givenName;
      return expectThat(
        created.status === 201 && name === 'Renamed' && deactivated.body.active === false,
        'Created 201, renamed to "Renamed", deactivated (active=false).',
        `create ${created.status}, rename ${renamed.status} (${name}), deactivate ${deactivated.status}.`,
      );
    }),
    deleteScimUserStep('sync'),
  ],
};

const onlyThreeAttributes: Scenario = {
  row: 'PRV-04',
  alsoCovers: ['OKT-02'],
  title: 'Only username, given and family name are mapped (OKT-02: the mapping holds only these)',
  steps: [
    step('The IdP provisions a user with a title, a nickname and a phone number', async (system, memory) => {
      const answer = await createScimUser(system, memory, 'extra', {
        title: 'Chief Tester',
        nickName: 'Testy',
        phoneNumbers: [{ value: '+1 555 0100', type: 'work' }],
      });
      return expectThat(answer.status === 201, 'Accepted: 201.', `answered ${scimErrorOf(answer)}.`);
    }),
    step('Read the user back', async (system, memory) => {
      const answer = await scimRequest(system, 'GET', `/Users/${recall(memory, 'extra:scimId')}`);
      const body = answer.body;
      const name = body.name as { givenName?: string; familyName?: string } | undefined;
      const ignored = ['title', 'nickName', 'phoneNumbers'].filter((attribute) => attribute in body);
      return expectThat(
        ignored.length === 0 && typeof body.userName === 'string' && name?.givenName === 'Scim',
        'The resource carries userName, givenName and familyName; title, nickname and phone were not stored.',
        `stored extra attributes: ${ignored.join(', ') || 'none'}; userName ${String(body.userName)}.`,
      );
    }),
    deleteScimUserStep('extra'),
  ],
};

function refusedSelfServiceStep(
  title: string,
  action: (system: LiveSystem, accountId: string) => unknown,
): ScenarioStep {
  return step(title, async (system, memory) => {
    const accountId = recall(memory, 'ana:accountId');
    const tried = await attempt(() => action(system, accountId));
    const status = membershipStatus(system, accountId);
    return expectThat(
      !tried.ok && status === 'active',
      `Refused (${tried.ok ? '' : tried.code}); ana is still an active member.`,
      `the attempt was ${describeAttempt(tried)}; ana is ${status}.`,
    );
  });
}

const cannotLeave: Scenario = {
  row: 'PRV-05',
  title: 'With SCIM enabled, members cannot leave the team on their own',
  steps: [
    provisionStep('ana'),
    refusedSelfServiceStep('ana tries to leave the team', (system, accountId) => {
      system.reference.service.leaveTeam(system.reference.teamId, accountId);
    }),
    retireStep('ana'),
  ],
};

const cannotChangeCredentials: Scenario = {
  row: 'PRV-06',
  title: 'With SCIM enabled, members cannot change their account email or password',
  steps: [
    provisionStep('ana'),
    refusedSelfServiceStep('ana tries to change her email', (system, accountId) =>
      system.reference.service.changeOwnEmail(accountId, `ana.new.${uniqueSuffix()}@acme.example`),
    ),
    refusedSelfServiceStep('ana tries to set a password', (system, accountId) =>
      system.reference.service.changeOwnPassword(accountId, null, 'a-password-of-her-own'),
    ),
    retireStep('ana'),
  ],
};

const onlyAdminsRemove: Scenario = {
  row: 'PRV-07',
  title: 'Only team Admins and Super Admins can remove team members',
  steps: [
    step('The admin adds two Members', (system, memory) => {
      addTeamMember(system, memory, 'member');
      addTeamMember(system, memory, 'other');
      return done('Two Members are in the team.');
    }),
    step('A Member tries to remove the other', async (system, memory) => {
      const { service, teamId } = system.reference;
      const [actor, target] = [recall(memory, 'member:accountId'), recall(memory, 'other:accountId')];
      const tried = await attempt(() => service.removeMember(teamId, actor, target, actor));
      return expectThat(
        !tried.ok && tried.code === 'forbidden' && membershipStatus(system, target) === 'active',
        'Refused with forbidden; the other Member stays.',
        `removal ${describeAttempt(tried)}.`,
      );
    }),
    step('The admin removes them both', (system, memory) => {
      for (const key of ['other', 'member']) removeFromTeam(system, recall(memory, `${key}:accountId`));
      const status = membershipStatus(system, recall(memory, 'other:accountId'));
      return expectThat(status === 'none', 'The admin removed both Members.', `membership is ${status}.`);
    }),
  ],
};

function userNamePatch(userName: string): Record<string, unknown> {
  return { schemas: [SCIM_PATCH_SCHEMA], Operations: [{ op: 'replace', path: 'userName', value: userName }] };
}

const emailChangeByIdp: Scenario = {
  row: 'PRV-08',
  title: "Only the IdP changes a member's email, and only within a verified domain",
  steps: [
    step('The IdP provisions a user', async (system, memory) => {
      const answer = await createScimUser(system, memory, 'mover');
      return expectThat(answer.status === 201, 'Created 201.', `answered ${scimErrorOf(answer)}.`);
    }),
    step('The IdP changes the email within the verified acme.example', async (system, memory) => {
      const email = `moved.${uniqueSuffix()}@acme.example`;
      const answer = await scimRequest(
        system,
        'PATCH',
        `/Users/${recall(memory, 'mover:scimId')}`,
        userNamePatch(email),
      );
      return expectThat(
        answer.status === 200 && answer.body.userName === email,
        `Changed to ${email}.`,
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    step('The IdP tries an email in a domain the team has not verified', async (system, memory) => {
      const email = `moved.${uniqueSuffix()}@not-verified.example`;
      const id = recall(memory, 'mover:scimId');
      const answer = await scimRequest(system, 'PATCH', `/Users/${id}`, userNamePatch(email));
      const after = await scimRequest(system, 'GET', `/Users/${id}`);
      return expectThat(
        answer.status >= 400 && after.body.userName !== email,
        `Refused: ${scimErrorOf(answer)}; the email is unchanged.`,
        `answered ${answer.status}; userName is ${String(after.body.userName)}.`,
      );
    }),
    deleteScimUserStep('mover'),
  ],
};

const seatsLimit: Scenario = {
  row: 'PRV-09',
  title: 'Provisioning works until every seat is taken; Auto-Flex allows more',
  steps: [
    step('Take every seat: licensed seats = seats in use', (system, memory) => {
      const { seats } = system.reference.service.getTeam(system.reference.teamId);
      memory.set('seats', String(seats.licensed));
      system.updatePlan({ licensedSeats: seats.used });
      return done(`Licensed seats lowered from ${seats.licensed} to ${seats.used}.`);
    }),
    step('The IdP provisions one more user', async (system, memory) => {
      const answer = await createScimUser(system, memory, 'full');
      return expectThat(
        answer.status === 403 && /no seats available/.test(scimErrorOf(answer)),
        `Refused: ${scimErrorOf(answer)}.`,
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    step('Turn Auto-Flex on; the IdP tries again', async (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      service.updateTeam(teamId, adminAccountId, { autoFlex: true });
      const answer = await createScimUser(system, memory, 'flex');
      return expectThat(answer.status === 201, 'Accepted past the licensed count: 201.', scimErrorOf(answer));
    }),
    step('Restore: delete the user, Auto-Flex off, the licensed seats back', async (system, memory) => {
      await deleteScimUser(system, memory, 'flex');
      const { service, teamId, adminAccountId } = system.reference;
      service.updateTeam(teamId, adminAccountId, {
        autoFlex: false,
        licensedSeats: Number(recall(memory, 'seats')),
      });
      return done(`Auto-Flex is off; ${recall(memory, 'seats')} licensed seats.`);
    }),
  ],
};

// ---- GRP ----

const groupNeedsMembers: Scenario = {
  row: 'GRP-01',
  title: 'Group provisioning fails when its members were not provisioned first',
  steps: [
    step('The IdP pushes a group naming a member the team does not know', async (system, memory) => {
      const name = `Unknown members ${uniqueSuffix()}`;
      memory.set('group:name', name);
      const answer = await scimRequest(system, 'POST', '/Groups', {
        schemas: [SCIM_GROUP_SCHEMA],
        displayName: name,
        members: [{ value: 'not-a-provisioned-user' }],
      });
      return expectThat(
        answer.status === 400 && answer.body.scimType === 'invalidValue',
        `Refused: ${scimErrorOf(answer)}.`,
        `answered ${scimErrorOf(answer)}.`,
      );
    }),
    step('Check: nothing was stored', (system, memory) => {
      const group = teamGroupByName(system, recall(memory, 'group:name'));
      return expectThat(group === undefined, 'The team has no such group.', 'the group was stored.');
    }),
  ],
};

const groupPushCreate: Scenario = {
  row: 'GRP-02',
  title: 'Push a group with "create": a new team group with the pushed membership',
  steps: [provisionStep('ana', 'ben'), pushNewGroupStep('ana', 'ben'), retireGroupStep('ana', 'ben')],
};

const groupPushLink: Scenario = {
  row: 'GRP-03',
  title: 'Push a group with "link": only an empty team group can be chosen, and it is renamed',
  steps: [
    provisionStep('ana'),
    step('The admin makes an empty team group and one with ana in it', (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      const empty = service.createGroup(teamId, adminAccountId, {
        displayName: `Product design ${uniqueSuffix()}`,
      });
      const full = service.createGroup(teamId, adminAccountId, {
        displayName: `Full team ${uniqueSuffix()}`,
      });
      service.addGroupMembers(teamId, adminAccountId, full.id, [recall(memory, 'ana:accountId')]);
      memory.set('empty:id', empty.id);
      memory.set('empty:name', empty.displayName);
      memory.set('full:id', full.id);
      memory.set('full:name', full.displayName);
      return done(`Team groups "${empty.displayName}" (empty) and "${full.displayName}" (ana).`);
    }),
    step('The IdP tries to link its group to the group that has members', async (system, memory) => {
      const group = system.simulator.directory.addGroup({
        name: `Designers ${uniqueSuffix()}`,
        memberIds: [recall(memory, 'ana:personId')],
      });
      memory.set('group:idpId', group.id);
      memory.set('group:name', group.name);
      const tried = await attempt(() =>
        system.pushGroup(group.id, 'link', recall(memory, 'full:name'), { assign: true }),
      );
      const full = teamGroupByName(system, recall(memory, 'full:name'));
      return expectThat(
        (!tried.ok || tried.value.result.action !== 'linked') && full !== undefined,
        `Not linked (${describeAttempt(tried)}); "${full?.displayName}" keeps its name.`,
        `the link was ${describeAttempt(tried)}.`,
      );
    }),
    step('The IdP links its group to the empty team group', async (system, memory) => {
      const groupId = recall(memory, 'group:idpId');
      const { result } = await system.pushGroup(groupId, 'link', recall(memory, 'empty:name'), {
        assign: true,
      });
      const linked = system.reference.service
        .listGroups(system.reference.teamId)
        .find((g) => g.id === recall(memory, 'empty:id'));
      return expectThat(
        result.action === 'linked' && linked?.displayName === recall(memory, 'group:name'),
        `Linked: the team group is renamed "${linked?.displayName}" with ${linked?.memberIds.length} member(s).`,
        `push ${result.action}; team group is "${linked?.displayName}".`,
      );
    }),
    retireGroupStep('ana'),
  ],
};

const membershipAtOnce: Scenario = {
  row: 'GRP-04',
  title: 'With "push group membership immediately", membership changes reach the team at once',
  steps: [
    provisionStep('ana', 'ben'),
    pushNewGroupStep('ana'),
    step('Add ben to the IdP group', async (system, memory) => {
      system.simulator.directory.addGroupMembers(recall(memory, 'group:idpId'), [
        recall(memory, 'ben:personId'),
      ]);
      await system.settle();
      const group = teamGroupByName(system, recall(memory, 'group:name'));
      const ok = group?.memberIds.includes(recall(memory, 'ben:accountId')) ?? false;
      return expectThat(
        ok,
        `The team group now has ${group?.memberIds.length} members, ben among them.`,
        'ben is missing.',
      );
    }),
    step('Remove ana from the IdP group', async (system, memory) => {
      system.simulator.directory.removeGroupMembers(recall(memory, 'group:idpId'), [
        recall(memory, 'ana:personId'),
      ]);
      await system.settle();
      const group = teamGroupByName(system, recall(memory, 'group:name'));
      const ok = group !== undefined && !group.memberIds.includes(recall(memory, 'ana:accountId'));
      return expectThat(ok, 'ana left the team group at once.', 'ana is still in the team group.');
    }),
    retireGroupStep('ana', 'ben'),
  ],
};

const inviteGroupToWorkspace: Scenario = {
  row: 'GRP-05',
  title: 'Team members can invite a pushed group to their workspaces',
  steps: [
    provisionStep('ana', 'ben'),
    pushNewGroupStep('ana'),
    step('ben (a Member) invites the pushed group to his workspace as Viewer', (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      const ben = recall(memory, 'ben:accountId');
      const workspace = service.createWorkspace(teamId, adminAccountId, {
        name: `Ben's plans ${uniqueSuffix()}`,
        type: 'private',
        ownerId: ben,
      });
      memory.set('ws:plans', workspace.id);
      service.shareWorkspace(teamId, ben, workspace.id, {
        kind: 'group',
        id: recall(memory, 'group:teamId'),
        role: 'Viewer',
      });
      const role = roleOn(system, recall(memory, 'ana:accountId'), workspace.id);
      return expectThat(
        role === 'Viewer',
        'ana reaches the workspace as Viewer through the group.',
        `ana: ${role}.`,
      );
    }),
    retireGroupStep('ana', 'ben'),
  ],
};

const readGroupsBack: Scenario = {
  row: 'GRP-06',
  title: 'The SCIM 2.0 test app (header auth) reads group information back from the team',
  steps: [
    provisionStep('ana'),
    pushNewGroupStep('ana'),
    step('The IdP reads the group back (GET /Groups?filter=displayName eq ...)', async (system, memory) => {
      const name = recall(memory, 'group:name');
      const filter = encodeURIComponent(`displayName eq "${name}"`);
      const answer = await scimRequest(system, 'GET', `/Groups?filter=${filter}`);
      const resources = (answer.body.Resources ?? []) as { displayName?: string; members?: unknown[] }[];
      const found = resources[0];
      return expectThat(
        answer.status === 200 && found?.displayName === name && (found.members?.length ?? 0) === 1,
        `Read back "${name}" with ${found?.members?.length} member.`,
        `answered ${answer.status} with ${resources.length} group(s).`,
      );
    }),
    retireGroupStep('ana'),
  ],
};

// ---- OKT ----

const integrationSetUp: Scenario = {
  row: 'OKT-01',
  title: 'The provisioning integration takes the /scim/v2 base URL and a key in the Authorization header',
  steps: [
    step("Check the app's SCIM base URL", (system) => {
      const url = system.target().scimBaseUrl;
      return expectThat(url.endsWith('/scim/v2'), `The base URL is ${url}.`, url);
    }),
    step('A request with the key as a Bearer header, then without a header', async (system) => {
      const withKey = await scimRequest(system, 'GET', '/Users?count=1');
      const without = await scimRequest(system, 'GET', '/Users?count=1', undefined, null);
      return expectThat(
        withKey.status === 200 && without.status === 401,
        'With the header: 200; without it: 401.',
        `with ${withKey.status}, without ${without.status}.`,
      );
    }),
  ],
};

const assignProvisions: Scenario = {
  row: 'OKT-03',
  title: 'Assigning people or groups provisions them; unassigning deprovisions',
  steps: [
    provisionStep('ana'),
    step('Unassign ana', async (system, memory) => {
      await system.unassign({ kind: 'person', id: recall(memory, 'ana:personId') });
      const status = membershipStatus(system, recall(memory, 'ana:accountId'));
      return expectThat(status === 'deactivated', 'ana is deactivated.', `ana is ${status}.`);
    }),
    step('Assign an IdP group with a new person in it', async (system, memory) => {
      const person = await addIdpPerson(system, memory, 'grouped', { assign: false });
      const group = system.simulator.directory.addGroup({
        name: `Assigned ${uniqueSuffix()}`,
        memberIds: [person.id],
      });
      memory.set('group:idpId', group.id);
      await system.assign({ kind: 'group', id: group.id });
      const member = memberByEmail(system, person.login);
      return expectThat(
        member?.status === 'active',
        `${person.login} was provisioned through the group.`,
        `membership ${member?.status ?? 'none'}.`,
      );
    }),
    retireGroupStep('ana', 'grouped'),
  ],
};

const twoApps: Scenario = {
  row: 'OKT-04',
  title: 'The catalogue app and the generic SCIM 2.0 test app provision the same way',
  steps: [
    provisionStep('ana'),
    step('Catalogue app: unassign ana', async (system, memory) => {
      await system.unassign({ kind: 'person', id: recall(memory, 'ana:personId') });
      const status = membershipStatus(system, recall(memory, 'ana:accountId'));
      return expectThat(status === 'deactivated', 'ana is deactivated (catalogue app).', `ana is ${status}.`);
    }),
    step('SCIM 2.0 test app: assign ben, then unassign him', async (system, memory) => {
      const directory = system.simulator.directory;
      const { scimBaseUrl, scimKey } = system.reference;
      const app = directory.addApp({
        name: `SCIM 2.0 test app (scenario OKT-04, ${uniqueSuffix()})`,
        template: 'scim-test-app',
        sp: {
          entityId: `urn:idsim:scenario:okt-04:${uniqueSuffix()}`,
          acsUrl: `${system.reference.baseUrl}/scenario-okt-04/acs`,
          signingCerts: [],
          authnRequestsSigned: false,
          wantAssertionsSigned: true,
        },
        provisioning: { enabled: true, scimBaseUrl, bearerToken: scimKey },
      });
      const pusher = createPusherForApp(app, {
        onExchange: (exchange) => system.recordPusherExchange(exchange),
      });
      if (pusher === null) return expectThat(false, '', 'the test app has no provisioning.');
      const sync = new DirectorySync(directory, app.id, pusher);
      sync.start();
      try {
        const person = await addIdpPerson(system, memory, 'ben', { assign: false });
        directory.assign(app.id, { kind: 'person', id: person.id });
        await sync.flush();
        const active = memberByEmail(system, person.login)?.status;
        directory.unassign(app.id, { kind: 'person', id: person.id });
        await sync.flush();
        const after = memberByEmail(system, person.login)?.status;
        return expectThat(
          active === 'active' && after === 'deactivated',
          'The test app provisioned ben (active) and deprovisioned him (deactivated), like the catalogue app.',
          `ben was ${active ?? 'none'} then ${after ?? 'none'}.`,
        );
      } finally {
        sync.stop();
        directory.deleteApp(app.id);
      }
    }),
    retireStep('ana', 'ben'),
  ],
};

export const SCIM_SCENARIOS: readonly Scenario[] = [
  emailIsPrimary,
  requiredAttributes,
  supportedOperations,
  onlyThreeAttributes,
  cannotLeave,
  cannotChangeCredentials,
  onlyAdminsRemove,
  emailChangeByIdp,
  seatsLimit,
  groupNeedsMembers,
  groupPushCreate,
  groupPushLink,
  membershipAtOnce,
  inviteGroupToWorkspace,
  readGroupsBack,
  integrationSetUp,
  assignProvisions,
  twoApps,
];
