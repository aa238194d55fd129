// The shared shapes of guided scenario steps (toggle a setting, add+assign a person, sign in, call SCIM, check
// membership and workspace access) so that every catalogue row's scenario stays a few thin steps. idsim issue #6.
import type {
  AuthMethodView,
  MemberView,
  NewPerson,
  TeamRole,
  WorkspaceRole,
} from '../server/control/port.ts';
import type { SignInService } from '../server/signin/signin-service.ts';
import type { Person } from '../simulator/directory/index.ts';
import { ConsoleError } from './errors.ts';
import type { LiveSystem } from './live-system.ts';

export interface StepOutcome {
  /** what the step did and saw, one or two sentences */
  summary: string;
  /** true when what the catalogue row expects was observed (steps that only set up report true) */
  ok: boolean;
}

/** What one play of a scenario remembers between its steps (ids, logins, keys). */
export type ScenarioMemory = Map<string, string>;

export interface ScenarioStep {
  title: string;
  run(system: LiveSystem, memory: ScenarioMemory): Promise<StepOutcome>;
}

export interface Scenario {
  /** the catalogue row the scenario is listed under first, e.g. JIT-01 */
  row: string;
  /** further catalogue rows whose own outcome the steps show (e.g. DEA-04 and DEA-05 beside DEA-03) */
  alsoCovers?: readonly string[];
  title: string;
  steps: ScenarioStep[];
}

export function step(
  title: string,
  run: (system: LiveSystem, memory: ScenarioMemory) => Promise<StepOutcome> | StepOutcome,
): ScenarioStep {
  return { title, run: async (system, memory) => run(system, memory) };
}

/** A set-up or restore step's outcome: it did what it said. */
export function done(summary: string): StepOutcome {
  return { summary, ok: true };
}

/** A check's outcome: the sentence for what was expected, or "Unexpected: ..." with what was seen. */
export function expectThat(ok: boolean, expected: string, seen: string): StepOutcome {
  return ok ? { summary: expected, ok } : { summary: `Unexpected: ${seen}`, ok };
}

export function recall(memory: ScenarioMemory, key: string): string {
  const value = memory.get(key);
  if (value === undefined) throw new ConsoleError('invalid_input', `an earlier step did not record ${key}`);
  return value;
}

let uniqueCounter = 0;
/** A short suffix that keeps names of one play apart from earlier plays. */
export function uniqueSuffix(): string {
  uniqueCounter += 1;
  return `${Date.now().toString(36).slice(-4)}${uniqueCounter.toString(36)}`;
}

// ---- attempts that may be refused ----

export type Attempt<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Runs an action that the row expects to be refused (or allowed) and keeps the stable error code it threw. */
export async function attempt<T>(action: () => T | Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await action() };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
    return { ok: false, code, message: error.message };
  }
}

export function describeAttempt(result: Attempt<unknown>): string {
  return result.ok ? 'allowed' : `refused (${result.code})`;
}

// ---- the team side ----

export function teamIdOf(system: LiveSystem, teamId?: string): string {
  return teamId ?? system.reference.teamId;
}

export function methodOf(system: LiveSystem, kind: 'saml' | 'password', teamId?: string): AuthMethodView {
  const method = system.reference.service
    .listAuthMethods(teamIdOf(system, teamId))
    .find((m) => m.kind === kind);
  if (!method) throw new ConsoleError('not_available_for_target', `the team has no ${kind} method`);
  return method;
}

/** Toggles a setting of the demo team's SAML (or password) method as the team admin. */
export function updateMethod(
  system: LiveSystem,
  kind: 'saml' | 'password',
  patch: { label?: string; enabled?: boolean; autoAddUsers?: boolean },
): AuthMethodView {
  const { service, teamId, adminAccountId } = system.reference;
  return service.updateAuthMethod(teamId, adminAccountId, methodOf(system, kind).id, patch);
}

export function memberByEmail(system: LiveSystem, email: string, teamId?: string): MemberView | undefined {
  const wanted = email.toLowerCase();
  return system.reference.service
    .listMembers(teamIdOf(system, teamId))
    .find((m) => m.account.email.toLowerCase() === wanted);
}

export function memberById(system: LiveSystem, accountId: string, teamId?: string): MemberView | undefined {
  return system.reference.service
    .listMembers(teamIdOf(system, teamId))
    .find((m) => m.account.id === accountId);
}

/** active or deactivated, or none when the account is not (or no longer) a member: removal deletes the membership. */
export function membershipStatus(system: LiveSystem, accountId: string, teamId?: string): string {
  return memberById(system, accountId, teamId)?.status ?? 'none';
}

/** A person the team admin adds by hand (with a password, so password sign-ins can be shown). */
export function addTeamMember(
  system: LiveSystem,
  memory: ScenarioMemory,
  key: string,
  options: { role?: TeamRole; teamId?: string; actorId?: string; email?: string } = {},
): MemberView {
  const suffix = uniqueSuffix();
  const person: NewPerson & { role: TeamRole } = {
    email: options.email ?? `${key}.${suffix}@acme.example`,
    givenName: key.charAt(0).toUpperCase() + key.slice(1),
    familyName: `Scenario ${suffix}`,
    password: scenarioPassword(key),
    role: options.role ?? 'Member',
  };
  const member = system.reference.service.addMember(
    teamIdOf(system, options.teamId),
    options.actorId ?? system.reference.adminAccountId,
    person,
  );
  memory.set(`${key}:accountId`, member.account.id);
  memory.set(`${key}:email`, member.account.email);
  memory.set(`${key}:scimId`, member.scimId);
  return member;
}

/** The password scenario accounts are given; demo only, never a default anywhere else. */
export function scenarioPassword(key: string): string {
  return `scenario-${key}-password`;
}

/** Removes a member the scenario added, handing their workspaces to the team admin (REM-01). */
export function removeFromTeam(
  system: LiveSystem,
  accountId: string,
  teamId?: string,
  actorId?: string,
): void {
  const { service, adminAccountId } = system.reference;
  const member = memberById(system, accountId, teamId);
  if (member === undefined || member.status === 'removed') return;
  const actor = actorId ?? adminAccountId;
  service.removeMember(teamIdOf(system, teamId), actor, accountId, actor);
}

/** The effective role of an account on one workspace, or null when it has no access at all. */
export function roleOn(
  system: LiveSystem,
  accountId: string,
  workspaceId: string,
  teamId?: string,
): WorkspaceRole | null {
  const access = system.reference.service
    .getAccess(teamIdOf(system, teamId), accountId)
    .find((a) => a.workspaceId === workspaceId);
  return access?.role ?? null;
}

/**
 * SSO-02 / JIT-09 / PRV-10: a new domain of the demo organisation, verified and captured by the team. A fresh domain
 * (not acme.example) so that capture consolidates no account of earlier plays. Remembers `domain`.
 */
export function captureFreshDomain(system: LiveSystem, memory: ScenarioMemory): string {
  const { service, teamId } = system.reference;
  const organisationId = service.getTeam(teamId).organisationId;
  const name = `captured-${uniqueSuffix()}.example`;
  service.addDomain(organisationId, name);
  service.verifyDomain(organisationId, name);
  service.setDomainCapture(organisationId, name, teamId);
  memory.set('domain', name);
  return name;
}

/** Restore: the captured domain is captured no more. */
export function releaseCapturedDomain(system: LiveSystem, memory: ScenarioMemory): void {
  const name = memory.get('domain');
  if (name === undefined) return;
  const { service, teamId } = system.reference;
  service.setDomainCapture(service.getTeam(teamId).organisationId, name, null);
}

/** A second team in the demo organisation, named after the row, with its own Super Admin. */
export function scratchTeam(
  system: LiveSystem,
  memory: ScenarioMemory,
  row: string,
  options: { plan?: 'Free' | 'Basic' | 'Professional' | 'Enterprise'; seats?: number } = {},
): { teamId: string; ownerId: string; name: string } {
  const { service, teamId } = system.reference;
  const suffix = uniqueSuffix();
  const { team, owner } = service.createTeam({
    organisationId: service.getTeam(teamId).organisationId,
    name: `Acme Labs (scenario ${row}, ${suffix})`,
    plan: options.plan ?? 'Enterprise',
    licensedSeats: options.seats ?? 10,
    owner: {
      email: `labs.owner.${suffix}@labs.example`,
      givenName: 'Lab',
      familyName: 'Owner',
      password: scenarioPassword('owner'),
    },
  });
  memory.set('team:id', team.id);
  memory.set('team:ownerId', owner.account.id);
  return { teamId: team.id, ownerId: owner.account.id, name: team.name };
}

// ---- the IdP side ----

/** A new person in the IdP directory (optionally assigned to the app, which provisions them when pushing is on). */
export async function addIdpPerson(
  system: LiveSystem,
  memory: ScenarioMemory,
  key: string,
  options: { assign?: boolean; domain?: string; email?: string } = {},
): Promise<Person> {
  const suffix = uniqueSuffix();
  const first = key.charAt(0).toUpperCase() + key.slice(1);
  const person = system.addPerson({
    firstName: first,
    lastName: `Tester${suffix}`,
    email: options.email ?? `${key}.${suffix}@${options.domain ?? 'example.com'}`,
  });
  memory.set(`${key}:personId`, person.id);
  memory.set(`${key}:login`, person.login);
  if (options.assign !== false) await system.assign({ kind: 'person', id: person.id });
  const member = memberByEmail(system, person.login);
  if (member) memory.set(`${key}:accountId`, member.account.id);
  return person;
}

/** A new IdP person assigned to the app and provisioned (an active team member); remembers its account id. */
export async function provisionedPerson(
  system: LiveSystem,
  memory: ScenarioMemory,
  key: string,
): Promise<{ person: Person; member: MemberView }> {
  const person = await addIdpPerson(system, memory, key);
  const member = memberByEmail(system, person.login);
  if (!member) throw new ConsoleError('provisioning_off', `${person.login} was not provisioned`);
  return { person, member };
}

/** Takes a scenario's IdP person out of the app (deprovisioning them) and out of the directory. */
export async function retireIdpPerson(
  system: LiveSystem,
  memory: ScenarioMemory,
  key: string,
): Promise<void> {
  const personId = memory.get(`${key}:personId`);
  if (personId === undefined) return;
  const directory = system.simulator.directory;
  if (directory.getApp(system.appId).assignments.people.includes(personId)) {
    await system.unassign({ kind: 'person', id: personId });
  }
  await system.settle();
  directory.deletePerson(personId);
}

/** A step: the IdP assigns and provisions new people `keys` (each an active team member afterwards). */
export function provisionStep(...keys: string[]): ScenarioStep {
  return step(`The IdP assigns and provisions ${keys.join(' and ')}`, async (system, memory) => {
    const logins: string[] = [];
    for (const key of keys) logins.push((await provisionedPerson(system, memory, key)).person.login);
    return done(
      `${logins.join(' and ')} ${logins.length > 1 ? 'are active members' : 'is an active member'}.`,
    );
  });
}

/** A restore step: the scenario people `keys` leave the app (deprovisioned) and the IdP directory. */
export function retireStep(...keys: string[]): ScenarioStep {
  return step(
    `Restore: ${keys.join(' and ')} leave the app and the IdP directory`,
    async (system, memory) => {
      for (const key of keys) await retireIdpPerson(system, memory, key);
      return done('The scenario people are unassigned (deprovisioned) and deleted from the IdP.');
    },
  );
}

// ---- sign-in ----

export function signInService(system: LiveSystem): SignInService {
  const service = system.reference.signIn;
  if (service === null) throw new ConsoleError('not_available_for_target', 'the server has no sign-in pages');
  return service;
}

/** Password sign-in to a personal context or to a team's context; the landing kind, or the refusal code. */
export function passwordSignIn(
  system: LiveSystem,
  input: { email: string; password: string; teamId?: string },
): Promise<Attempt<string>> {
  return attempt(() => {
    const outcome = signInService(system).passwordSignIn(input);
    const landing = outcome.kind === 'signed_in' ? outcome.landing.kind : outcome.kind;
    return landing;
  }).then((result) => {
    system.timeline.add({
      kind: 'note',
      title: `Password sign-in of ${input.email} to ${input.teamId ? 'the team' : 'a personal context'}: ${
        result.ok ? `lands on ${result.value}` : `refused (${result.code})`
      }`,
      detail: input.teamId ?? 'personal',
    });
    return result;
  });
}

// ---- SCIM as the IdP sends it ----

export interface ScimAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One SCIM request to the team's SCIM base URL with its key (or another key). The reference server records it on the
 * timeline as it receives it (server/traffic), with this User-Agent, so nothing is recorded here.
 */
export async function scimRequest(
  system: LiveSystem,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  key: string | null = system.reference.scimKey,
): Promise<ScimAnswer> {
  const headers: Record<string, string> = {
    accept: 'application/scim+json',
    'user-agent': SCENARIO_USER_AGENT,
  };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/scim+json';
  const response = await fetch(`${system.reference.scimBaseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? {} : JSON.parse(text);
  return {
    status: response.status,
    body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
  };
}

/** How the guided scenarios' own SCIM calls name themselves on the timeline. */
export const SCENARIO_USER_AGENT = 'idsim-scenario/1 (guided scenario in the console)';

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const SCIM_GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const SCIM_PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** RFC 7643 4.1: a User body with userName (the email, PRV-01), name and active (PRV-02). */
export function scimUser(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [SCIM_USER_SCHEMA],
    userName: email,
    name: { givenName: 'Scim', familyName: 'Scenario' },
    emails: [{ value: email, primary: true, type: 'work' }],
    active: true,
    ...extra,
  };
}

/** RFC 7644 3.5.2: a PATCH replacing `active` (Okta's deactivation and reactivation). */
export function scimActivePatch(active: boolean): Record<string, unknown> {
  return { schemas: [SCIM_PATCH_SCHEMA], Operations: [{ op: 'replace', value: { active } }] };
}

/** Creates a SCIM user and remembers its resource id; the step checks the status itself. */
export async function createScimUser(
  system: LiveSystem,
  memory: ScenarioMemory,
  key: string,
  extra: Record<string, unknown> = {},
): Promise<ScimAnswer> {
  const email = `${key}.${uniqueSuffix()}@acme.example`;
  memory.set(`${key}:email`, email);
  const answer = await scimRequest(system, 'POST', '/Users', scimUser(email, extra));
  if (typeof answer.body.id === 'string') memory.set(`${key}:scimId`, answer.body.id);
  return answer;
}

/** Restore: deletes the SCIM user a scenario created, if it did. */
export async function deleteScimUser(system: LiveSystem, memory: ScenarioMemory, key: string): Promise<void> {
  const id = memory.get(`${key}:scimId`);
  if (id !== undefined) await scimRequest(system, 'DELETE', `/Users/${id}`);
}

export function scimErrorOf(answer: ScimAnswer): string {
  const detail = typeof answer.body.detail === 'string' ? answer.body.detail : '';
  const type = typeof answer.body.scimType === 'string' ? answer.body.scimType : '';
  return `${answer.status}${type ? ` ${type}` : ''}${detail ? `: ${detail}` : ''}`;
}
