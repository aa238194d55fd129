// Guided scenarios for deactivation, reactivation and removal: catalogue DEA-01..09 and REM-01..03
// (shared/spec/catalogue.md), the IdP unassigning and assigning people of the demo team "Acme". idsim issue #6.
import type { WorkspaceRole, WorkspaceType } from '../server/control/port.ts';
import {
  addTeamMember,
  attempt,
  describeAttempt,
  done,
  expectThat,
  membershipStatus,
  passwordSignIn,
  provisionStep,
  recall,
  removeFromTeam,
  retireIdpPerson,
  retireStep,
  roleOn,
  type Scenario,
  type ScenarioStep,
  scenarioPassword,
  scimActivePatch,
  scimRequest,
  step,
  uniqueSuffix,
} from './scenario-kit.ts';

function deactivateStep(key: string): ScenarioStep {
  return step(`The IdP unassigns ${key} (SCIM active=false)`, async (system, memory) => {
    await system.unassign({ kind: 'person', id: recall(memory, `${key}:personId`) });
    const status = membershipStatus(system, recall(memory, `${key}:accountId`));
    return expectThat(
      status === 'deactivated',
      `${key}'s membership is deactivated.`,
      `membership is ${status}.`,
    );
  });
}

function reactivateStep(key: string): ScenarioStep {
  return step(`The IdP assigns ${key} again (SCIM reactivation)`, async (system, memory) => {
    await system.assign({ kind: 'person', id: recall(memory, `${key}:personId`) });
    const status = membershipStatus(system, recall(memory, `${key}:accountId`));
    return expectThat(status === 'active', `${key} is an active member again.`, `membership is ${status}.`);
  });
}

/** A workspace named for the scenario; `ownerKey` names the scenario person who owns it (else the team admin). */
function workspaceStep(
  specs: { key: string; type: WorkspaceType; ownerKey?: string; grants?: [string, WorkspaceRole][] }[],
): ScenarioStep {
  const describe = specs.map((s) => `a ${s.type} workspace owned by ${s.ownerKey ?? 'the admin'}`).join(', ');
  return step(`Create ${describe}`, (system, memory) => {
    const { service, teamId, adminAccountId } = system.reference;
    const lines: string[] = [];
    for (const spec of specs) {
      const ownerId = spec.ownerKey ? recall(memory, `${spec.ownerKey}:accountId`) : adminAccountId;
      const workspace = service.createWorkspace(teamId, adminAccountId, {
        name: `${spec.key} ${uniqueSuffix()}`,
        type: spec.type,
        ownerId,
      });
      memory.set(`ws:${spec.key}`, workspace.id);
      for (const [grantee, role] of spec.grants ?? []) {
        service.shareWorkspace(teamId, adminAccountId, workspace.id, {
          kind: 'account',
          id: recall(memory, `${grantee}:accountId`),
          role,
        });
      }
      const grants = (spec.grants ?? []).map(([grantee, role]) => `${grantee} ${role}`).join(', ');
      lines.push(`"${workspace.name}" (${spec.type}${grants ? `; ${grants}` : ''})`);
    }
    return done(`Created ${lines.join(', ')}.`);
  });
}

/** Checks each [person, workspace, role] triple; role null means no access at all, not even read. */
function accessStep(title: string, expected: [string, string, WorkspaceRole | null][]): ScenarioStep {
  return step(title, (system, memory) => {
    const seen = expected.map(([key, ws, role]) => {
      const actual = roleOn(system, recall(memory, `${key}:accountId`), recall(memory, `ws:${ws}`));
      return { ok: actual === role, text: `${key} on ${ws}: ${actual ?? 'no access'}` };
    });
    const text = seen.map((s) => s.text).join('; ');
    return expectThat(
      seen.every((s) => s.ok),
      `${text}, as the row expects.`,
      `${text} (expected ${expected.map(([, , r]) => r ?? 'no access').join(', ')}).`,
    );
  });
}

const deactivation: Scenario = {
  row: 'DEA-01',
  title: 'Unassigning a person deactivates them over SCIM, frees the seat and blocks team sign-in',
  steps: [
    provisionStep('ana'),
    step('The IdP unassigns ana (SCIM active=false)', async (system, memory) => {
      const { service, teamId } = system.reference;
      const before = service.getTeam(teamId).seats.used;
      await system.unassign({ kind: 'person', id: recall(memory, 'ana:personId') });
      const member = service.getMember(teamId, recall(memory, 'ana:accountId'));
      const after = service.getTeam(teamId).seats.used;
      const read = await scimRequest(system, 'GET', `/Users/${member.scimId}`);
      return expectThat(
        member.status === 'deactivated' &&
          after === before - 1 &&
          read.status === 200 &&
          read.body.active === false,
        `Deactivated; seats in use ${before} → ${after}; SCIM GET still answers 200 with active=false.`,
        `membership ${member.status}, seats ${before} → ${after}, GET ${read.status} active=${String(read.body.active)}.`,
      );
    }),
    step(
      'Provisioning off, the IdP assigns ana again without pushing, ana signs in',
      async (system, memory) => {
        await system.setProvisioning(false);
        await system.assign({ kind: 'person', id: recall(memory, 'ana:personId') });
        const outcome = await system.signIn(recall(memory, 'ana:personId'), 'sp');
        return expectThat(
          outcome.errorCode === 'not_a_member',
          'The team refuses the assertion with not_a_member: sign-in to the team context is blocked.',
          `sign-in answered ${outcome.status} ${outcome.errorCode ?? ''}.`,
        );
      },
    ),
    step('Restore: unassign ana, provisioning on, ana leaves the IdP', async (system, memory) => {
      await retireIdpPerson(system, memory, 'ana');
      await system.setProvisioning(true);
      return done('Provisioning is on again; ana is gone from the IdP and stays deactivated in the team.');
    }),
  ],
};

const deactivatedPersonal: Scenario = {
  row: 'DEA-02',
  title: 'A deactivated user can still sign in with a password to a personal context',
  steps: [
    step('The admin adds ben, a Member with a password', (system, memory) => {
      const member = addTeamMember(system, memory, 'ben');
      return done(`${member.account.email} is an active Member with a password.`);
    }),
    step('The IdP deactivates ben over SCIM (PATCH active=false)', async (system, memory) => {
      const answer = await scimRequest(
        system,
        'PATCH',
        `/Users/${recall(memory, 'ben:scimId')}`,
        scimActivePatch(false),
      );
      const status = membershipStatus(system, recall(memory, 'ben:accountId'));
      return expectThat(
        answer.status === 200 && status === 'deactivated',
        'PATCH answered 200; ben is deactivated.',
        `PATCH ${answer.status}; ben is ${status}.`,
      );
    }),
    step('ben signs in with his password, to a personal context and to the team', async (system, memory) => {
      const email = recall(memory, 'ben:email');
      const password = scenarioPassword('ben');
      const personal = await passwordSignIn(system, { email, password });
      const team = await passwordSignIn(system, { email, password, teamId: system.reference.teamId });
      return expectThat(
        personal.ok && personal.value === 'personal' && !team.ok,
        `Personal sign-in lands on the personal home; team sign-in is ${describeAttempt(team)}.`,
        `personal sign-in ${describeAttempt(personal)}, team sign-in ${describeAttempt(team)}.`,
      );
    }),
    step('Restore: remove ben from the team', (system, memory) => {
      removeFromTeam(system, recall(memory, 'ben:accountId'));
      return done('ben is removed.');
    }),
  ],
};

const soleMemberWorkspaces: Scenario = {
  row: 'DEA-03',
  alsoCovers: ['DEA-04', 'DEA-05'],
  title: 'Internal (DEA-03), public (DEA-04) and partner (DEA-05) workspaces of a deactivated sole member',
  steps: [
    provisionStep('ana'),
    workspaceStep([
      { key: 'internal', type: 'internal', ownerKey: 'ana' },
      { key: 'public', type: 'public', ownerKey: 'ana' },
      { key: 'partner', type: 'partner', ownerKey: 'ana' },
    ]),
    deactivateStep('ana'),
    ...(['internal', 'public', 'partner'] as const).map((type) =>
      step(
        `${{ internal: 'DEA-03', public: 'DEA-04', partner: 'DEA-05' }[type]}: the ${type} workspace`,
        (system, memory) => {
          const id = recall(memory, `ws:${type}`);
          const found = system.reference.service
            .listWorkspaces(system.reference.teamId)
            .find((w) => w.id === id);
          const teamAdmin = found?.members.some((m) => m.kind === 'team' && m.role === 'Admin') ?? false;
          return expectThat(
            found?.type === type && teamAdmin,
            `"${found?.name}" stays ${type} with the team, and the team is its Admin.`,
            `workspace is ${found ? `${found.type}, members ${JSON.stringify(found.members)}` : 'gone'}.`,
          );
        },
      ),
    ),
    retireStep('ana'),
  ],
};

const othersNotPromoted: Scenario = {
  row: 'DEA-06',
  title: "Other Viewers and Editors of a deactivated owner's workspace are not promoted",
  steps: [
    provisionStep('ana', 'ben'),
    workspaceStep([
      { key: 'roadmap', type: 'internal', ownerKey: 'ana', grants: [['ben', 'Viewer']] },
      { key: 'specs', type: 'internal', ownerKey: 'ana', grants: [['ben', 'Editor']] },
    ]),
    deactivateStep('ana'),
    accessStep('Check ben: still Viewer on roadmap and Editor on specs', [
      ['ben', 'roadmap', 'Viewer'],
      ['ben', 'specs', 'Editor'],
    ]),
    retireStep('ana', 'ben'),
  ],
};

const ownWorkspacesBack: Scenario = {
  row: 'DEA-07',
  title: 'On reactivation the user regains access to their own workspaces',
  steps: [
    provisionStep('ana'),
    workspaceStep([{ key: 'notes', type: 'private', ownerKey: 'ana' }]),
    deactivateStep('ana'),
    reactivateStep('ana'),
    accessStep('Check: ana is Admin of her own workspace again', [['ana', 'notes', 'Admin']]),
    retireStep('ana'),
  ],
};

const noSharedAccessBack: Scenario = {
  row: 'DEA-08',
  title: 'Reactivation does not restore private workspace access',
  steps: [
    provisionStep('ana'),
    workspaceStep([
      { key: 'private', type: 'private', grants: [['ana', 'Editor']] },
      { key: 'partner', type: 'partner', grants: [['ana', 'Admin']] },
    ]),
    accessStep('Check: ana is Editor of the private and Admin of the partner workspace', [
      ['ana', 'private', 'Editor'],
      ['ana', 'partner', 'Admin'],
    ]),
    deactivateStep('ana'),
    reactivateStep('ana'),
    accessStep('Check: no access to the private or partner workspace, not even read', [
      ['ana', 'private', null],
      ['ana', 'partner', null],
    ]),
    retireStep('ana'),
  ],
};

const sameAsAnyMember: Scenario = {
  row: 'DEA-09',
  title: 'After reactivation, a former Admin of public and internal workspaces has the access of any member',
  steps: [
    provisionStep('ana', 'ben'),
    workspaceStep([
      { key: 'handbook', type: 'internal', grants: [['ana', 'Admin']] },
      { key: 'blog', type: 'public', grants: [['ana', 'Admin']] },
    ]),
    deactivateStep('ana'),
    reactivateStep('ana'),
    step('Check: ana has the same access as ben (a plain member) on both workspaces', (system, memory) => {
      const pairs = ['handbook', 'blog'].map((ws) => {
        const id = recall(memory, `ws:${ws}`);
        return {
          ws,
          ana: roleOn(system, recall(memory, 'ana:accountId'), id),
          ben: roleOn(system, recall(memory, 'ben:accountId'), id),
        };
      });
      const text = pairs.map((p) => `${p.ws}: ana ${p.ana ?? 'none'}, ben ${p.ben ?? 'none'}`).join('; ');
      return expectThat(
        pairs.every((p) => p.ana === p.ben),
        `${text}: not her former Admin role.`,
        text,
      );
    }),
    retireStep('ana', 'ben'),
  ],
};

const removal: Scenario = {
  row: 'REM-01',
  alsoCovers: ['REM-02', 'REM-03'],
  title:
    'Removal needs a hand-over (REM-01), leaves personal sign-in (REM-02), adding back restores nothing (REM-03)',
  steps: [
    step('The admin adds ana, a Member with a password', (system, memory) => {
      const member = addTeamMember(system, memory, 'ana');
      return done(`${member.account.email} is an active Member.`);
    }),
    workspaceStep([
      { key: 'roadmap', type: 'internal', ownerKey: 'ana' },
      { key: 'budget', type: 'internal', grants: [['ana', 'Editor']] },
    ]),
    step('REM-01: the admin removes ana without naming a hand-over', async (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      const accountId = recall(memory, 'ana:accountId');
      const tried = await attempt(() => service.removeMember(teamId, adminAccountId, accountId));
      const status = membershipStatus(system, accountId);
      return expectThat(
        !tried.ok && tried.code === 'handover_required' && status === 'active',
        'Refused with handover_required; ana is still an active member.',
        `removal ${describeAttempt(tried)}; ana is ${status}.`,
      );
    }),
    step('REM-01: the admin removes ana, handing her workspaces to the admin', (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      const accountId = recall(memory, 'ana:accountId');
      const removed = service.removeMember(teamId, adminAccountId, accountId, adminAccountId);
      const access = service.getAccess(teamId, accountId).filter((a) => a.role !== null);
      const adminRole = roleOn(system, adminAccountId, recall(memory, 'ws:roadmap'));
      return expectThat(
        removed.status === 'removed' &&
          membershipStatus(system, accountId) === 'none' &&
          access.length === 0 &&
          adminRole === 'Admin',
        'ana is removed with no access to any team workspace; the admin is Admin of her workspace.',
        `ana is ${removed.status}, reaches ${access.length} workspace(s); admin: ${adminRole}.`,
      );
    }),
    step(
      'REM-02: ana signs in with her password to the team, then to a personal context',
      async (system, memory) => {
        const email = recall(memory, 'ana:email');
        const password = scenarioPassword('ana');
        const team = await passwordSignIn(system, { email, password, teamId: system.reference.teamId });
        const personal = await passwordSignIn(system, { email, password });
        return expectThat(
          !team.ok && personal.ok && personal.value === 'personal',
          `Team sign-in ${describeAttempt(team)}; personal sign-in lands on the personal home.`,
          `team sign-in ${describeAttempt(team)}, personal ${describeAttempt(personal)}.`,
        );
      },
    ),
    step('REM-03: the admin adds ana back as a Member', (system, memory) => {
      const { service, teamId, adminAccountId } = system.reference;
      const member = service.addMember(teamId, adminAccountId, {
        email: recall(memory, 'ana:email'),
        givenName: 'Ana',
        familyName: 'Again',
        role: 'Member',
      });
      return done(`ana is ${member.status} again.`);
    }),
    accessStep('REM-03: ana has no access to the workspace she edited before', [['ana', 'budget', null]]),
    step('Restore: remove ana again', (system, memory) => {
      removeFromTeam(system, recall(memory, 'ana:accountId'));
      return done('ana is removed.');
    }),
  ],
};

export const LIFECYCLE_SCENARIOS: readonly Scenario[] = [
  deactivation,
  deactivatedPersonal,
  soleMemberWorkspaces,
  othersNotPromoted,
  ownWorkspacesBack,
  noSharedAccessBack,
  sameAsAnyMember,
  removal,
];
