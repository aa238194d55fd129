// Guided scenarios: catalogue rows (shared/spec/catalogue.md) played one step at a time against the live system,
// each step reporting what changed on the IdP side, the team side and the timeline. idsim issue #6.
import { ConsoleError } from './errors.ts';
import type { LiveSystem } from './live-system.ts';

export interface StepOutcome {
  /** what the step did and saw, one or two sentences */
  summary: string;
  /** true when what the catalogue row expects was observed (steps that only set up report true) */
  ok: boolean;
}

export interface ScenarioStep {
  title: string;
  run(system: LiveSystem, memory: Map<string, string>): Promise<StepOutcome>;
}

export interface Scenario {
  /** the catalogue row, e.g. JIT-01 */
  row: string;
  title: string;
  steps: ScenarioStep[];
}

export interface ScenarioSummary {
  row: string;
  title: string;
  steps: string[];
}

export interface ScenarioProgress {
  row: string;
  title: string;
  nextStep: number;
  steps: string[];
  outcomes: StepOutcome[];
  finished: boolean;
}

function uniqueSuffix(): string {
  return Date.now().toString(36).slice(-5);
}

function memory(map: Map<string, string>, key: string): string {
  const value = map.get(key);
  if (value === undefined) throw new ConsoleError('invalid_input', `an earlier step did not record ${key}`);
  return value;
}

const jitDisabled: Scenario = {
  row: 'JIT-01',
  title: 'JIT disabled error: an unknown user is refused when "Automatically add new users" is off',
  steps: [
    {
      title: 'Turn "Automatically add new users" off on the team SAML method',
      async run(system) {
        const state = system.teamState();
        const method = state?.methods.find((m) => m.kind === 'saml');
        if (!method) throw new ConsoleError('not_available_for_target', 'the team has no SAML method');
        system.updateAuthMethod(method.id, { autoAddUsers: false });
        return { summary: `"${method.label}": Automatically add new users is now off.`, ok: true };
      },
    },
    {
      title: 'Turn provisioning off, so the new person reaches the team only through SSO',
      async run(system) {
        await system.setProvisioning(false);
        return {
          summary: 'SCIM provisioning to the app is off; assignments are no longer pushed.',
          ok: true,
        };
      },
    },
    {
      title: 'Add a new person in the IdP and assign them to the app',
      async run(system, remembered) {
        const suffix = uniqueSuffix();
        const person = system.addPerson({
          firstName: 'Jit',
          lastName: `Tester ${suffix}`,
          email: `jit.tester.${suffix}@example.com`,
        });
        await system.assign({ kind: 'person', id: person.id });
        remembered.set('personId', person.id);
        remembered.set('login', person.login);
        return { summary: `${person.login} exists in the IdP and is assigned to the app.`, ok: true };
      },
    },
    {
      title: 'Sign in as them (SP-initiated)',
      async run(system, remembered) {
        const outcome = await system.signIn(memory(remembered, 'personId'), 'sp');
        const ok = outcome.errorCode === 'jit_disabled';
        return {
          summary: `Sign-in answered ${outcome.status} ${outcome.errorCode ?? ''}: ${outcome.headline}`,
          ok,
        };
      },
    },
    {
      title: 'Check the team: no account and no membership were created',
      async run(system, remembered) {
        const login = memory(remembered, 'login');
        const member = system.teamState()?.members.find((m) => m.account.email === login);
        const account = system.reference.service.findAccountByEmail(login);
        return {
          summary:
            member === undefined && account === null
              ? `No account and no membership for ${login}.`
              : `Unexpected: ${login} has ${account ? 'an account' : 'no account'} and ${member ? 'a membership' : 'no membership'}.`,
          ok: member === undefined && account === null,
        };
      },
    },
    {
      title: 'Restore: provisioning on, "Automatically add new users" on',
      async run(system) {
        const method = system.teamState()?.methods.find((m) => m.kind === 'saml');
        if (method) system.updateAuthMethod(method.id, { autoAddUsers: true });
        await system.setProvisioning(true);
        return { summary: 'Provisioning is on again and the setting is restored.', ok: true };
      },
    },
  ],
};

const groupPushCreate: Scenario = {
  row: 'GRP-02',
  title: 'Push a group with "create": a new team group with the pushed membership',
  steps: [
    {
      title: 'Create a group in the IdP with two people assigned to the app',
      async run(system, remembered) {
        const directory = system.simulator.directory;
        const app = directory.getApp(system.appId);
        const members = directory
          .listPeople()
          .filter((p) => directory.isAssigned(app, p) && p.status === 'active');
        const chosen = members.slice(0, 2);
        const group = directory.addGroup({
          name: `Pushed ${uniqueSuffix()}`,
          memberIds: chosen.map((p) => p.id),
        });
        remembered.set('groupId', group.id);
        remembered.set('groupName', group.name);
        remembered.set('count', String(chosen.length));
        return { summary: `IdP group "${group.name}" with ${chosen.length} members.`, ok: true };
      },
    },
    {
      title: 'Push the group (create)',
      async run(system, remembered) {
        const { result, appMemberCount } = await system.pushGroup(memory(remembered, 'groupId'), 'create');
        return {
          summary: `Push result: ${result.action}; the app's group has ${appMemberCount} member(s).`,
          ok: result.action === 'created',
        };
      },
    },
    {
      title: 'Check the team: the group exists with the pushed members',
      async run(system, remembered) {
        const name = memory(remembered, 'groupName');
        const group = system.teamState()?.groups.find((g) => g.displayName === name);
        const expected = Number(memory(remembered, 'count'));
        const ok = group !== undefined && group.memberIds.length === expected;
        return {
          summary: group
            ? `Team group "${name}" has ${group.memberIds.length} member(s).`
            : `No team group named "${name}".`,
          ok,
        };
      },
    },
  ],
};

const deactivation: Scenario = {
  row: 'DEA-01',
  title: 'Unassigning a person deactivates them over SCIM and takes them out of the team',
  steps: [
    {
      title: 'Pick a person assigned directly to the app and provisioned',
      async run(system, remembered) {
        const person = system.idpState().people.find((p) => p.directlyAssigned && p.pushedAs !== null);
        if (!person) throw new ConsoleError('invalid_input', 'nobody is assigned directly and provisioned');
        remembered.set('personId', person.id);
        remembered.set('login', person.login);
        return { summary: `${person.login} is assigned and provisioned.`, ok: true };
      },
    },
    {
      title: 'Unassign them in the IdP (the pusher sends active=false)',
      async run(system, remembered) {
        await system.unassign({ kind: 'person', id: memory(remembered, 'personId') });
        return { summary: 'Unassigned; see the SCIM PATCH in the timeline.', ok: true };
      },
    },
    {
      title: 'Check the team: the member is no longer active',
      async run(system, remembered) {
        const login = memory(remembered, 'login');
        const member = system.teamState()?.members.find((m) => m.account.email === login);
        const ok = member === undefined || member.status !== 'active';
        return { summary: `Membership of ${login}: ${member?.status ?? 'none'}.`, ok };
      },
    },
  ],
};

const reactivationPrivateWorkspace: Scenario = {
  row: 'DEA-08',
  title: 'Reactivation does not restore private workspace access',
  steps: [
    {
      title: 'Share a new private workspace with a provisioned member as Editor',
      async run(system, remembered) {
        const person = system.idpState().people.find((p) => p.directlyAssigned && p.pushedAs !== null);
        if (!person) throw new ConsoleError('invalid_input', 'nobody is assigned directly and provisioned');
        const member = system.teamState()?.members.find((m) => m.account.email === person.login);
        if (!member) throw new ConsoleError('invalid_input', `${person.login} is not a team member`);
        const { service, teamId, adminAccountId } = system.reference;
        const workspace = service.createWorkspace(teamId, adminAccountId, {
          name: `Private plans ${uniqueSuffix()}`,
          type: 'private',
        });
        service.shareWorkspace(teamId, adminAccountId, workspace.id, {
          kind: 'account',
          id: member.account.id,
          role: 'Editor',
        });
        remembered.set('personId', person.id);
        remembered.set('accountId', member.account.id);
        remembered.set('workspaceId', workspace.id);
        const access = service
          .getAccess(teamId, member.account.id)
          .find((a) => a.workspaceId === workspace.id);
        return {
          summary: `${person.login} can open "${workspace.name}" as ${access?.role ?? 'nothing'}.`,
          ok: access?.role === 'Editor',
        };
      },
    },
    {
      title: 'Unassign them in the IdP (SCIM deactivation)',
      async run(system, remembered) {
        await system.unassign({ kind: 'person', id: memory(remembered, 'personId') });
        const member = system
          .teamState()
          ?.members.find((m) => m.account.id === memory(remembered, 'accountId'));
        return { summary: `Membership is now ${member?.status ?? 'gone'}.`, ok: member?.status !== 'active' };
      },
    },
    {
      title: 'Assign them again (SCIM reactivation)',
      async run(system, remembered) {
        await system.assign({ kind: 'person', id: memory(remembered, 'personId') });
        const member = system
          .teamState()
          ?.members.find((m) => m.account.id === memory(remembered, 'accountId'));
        return { summary: `Membership is now ${member?.status ?? 'gone'}.`, ok: member?.status === 'active' };
      },
    },
    {
      title: 'Check: no access to the private workspace, not even read',
      async run(system, remembered) {
        const { service, teamId } = system.reference;
        const workspaceId = memory(remembered, 'workspaceId');
        const access = service
          .getAccess(teamId, memory(remembered, 'accountId'))
          .find((a) => a.workspaceId === workspaceId);
        const role = access?.role ?? null;
        return {
          summary: role === null ? 'No access to the private workspace.' : `Unexpected: access as ${role}.`,
          ok: role === null,
        };
      },
    },
  ],
};

export const SCENARIOS: readonly Scenario[] = [
  jitDisabled,
  groupPushCreate,
  deactivation,
  reactivationPrivateWorkspace,
];

/** Plays one scenario at a time; starting another one abandons the current one. */
export class ScenarioPlayer {
  readonly #system: LiveSystem;
  #current: {
    scenario: Scenario;
    next: number;
    outcomes: StepOutcome[];
    memory: Map<string, string>;
  } | null = null;

  constructor(system: LiveSystem) {
    this.#system = system;
  }

  list(): ScenarioSummary[] {
    return SCENARIOS.map((s) => ({ row: s.row, title: s.title, steps: s.steps.map((step) => step.title) }));
  }

  start(row: string): ScenarioProgress {
    const scenario = SCENARIOS.find((s) => s.row === row);
    if (!scenario) throw new ConsoleError('unknown_scenario', `no scenario for catalogue row ${row}`);
    this.#current = { scenario, next: 0, outcomes: [], memory: new Map() };
    return this.progress() as ScenarioProgress;
  }

  async playNext(): Promise<ScenarioProgress> {
    const current = this.#current;
    if (!current) throw new ConsoleError('unknown_scenario', 'no scenario is started');
    const step = current.scenario.steps[current.next];
    if (!step) throw new ConsoleError('scenario_finished', 'every step of this scenario has been played');
    const outcome = await step.run(this.#system, current.memory);
    current.outcomes.push(outcome);
    current.next += 1;
    this.#system.timeline.add({
      kind: 'note',
      title: `${current.scenario.row} step ${current.next}: ${step.title} — ${outcome.ok ? 'as expected' : 'NOT as expected'}`,
      detail: outcome.summary,
    });
    return this.progress() as ScenarioProgress;
  }

  progress(): ScenarioProgress | null {
    const current = this.#current;
    if (!current) return null;
    return {
      row: current.scenario.row,
      title: current.scenario.title,
      nextStep: current.next,
      steps: current.scenario.steps.map((step) => step.title),
      outcomes: [...current.outcomes],
      finished: current.next >= current.scenario.steps.length,
    };
  }
}
