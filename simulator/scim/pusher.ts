// The simulator's SCIM pusher: provisions assigned people and pushed groups to an app's SCIM endpoint with the
// requests its dialect prescribes, remembering what it pushed so that re-runs send no writes. OKT-03, KEY-04, GRP-01..06.

import type { ScimClientConfig, ScimExchange, ScimRequest, ScimResponse } from './client.ts';
import { ScimHttpClient } from './client.ts';
import type { QueryParams, ScimDialect } from './dialect.ts';
import type { CredentialsFailureReason, ScimPushErrorCode } from './errors.ts';
import {
  credentialsFailureReason,
  describeCredentialsFailure,
  isScimPushError,
  ScimPushError,
} from './errors.ts';
import type { DesiredState, GroupPushMode, PushGroup, PushPerson } from './model.ts';
import type { QuarantineMonitor, QuarantineStatus } from './quarantine.ts';
import { asList, asResource, membersOf, personFromResource, stringOf } from './read-back.ts';
import type { JsonValue, ScimMember, ScimResourceJson } from './wire.ts';
import { LIST_RESPONSE_SCHEMA, readScimError } from './wire.ts';

export interface ScimPusherConfig
  extends Pick<
    ScimClientConfig,
    | 'concurrency'
    | 'retry'
    | 'keepTranscript'
    | 'onExchange'
    | 'sleep'
    | 'now'
    | 'random'
    | 'fetch'
    | 'transport'
    | 'requestTimeoutMs'
    | 'quarantine'
  > {
  /** the app's SCIM base URL (OKT-01: path /scim/v2) */
  baseUrl: string;
  /** the app's SCIM API key, sent as a Bearer token */
  key: string;
  dialect: ScimDialect;
  /** a mapping saved from an earlier run (`mappingSnapshot()`), so that run's work is not repeated */
  mapping?: PushMappingSnapshot;
}

/** What the pusher remembers of a person it provisioned: the app's id and the values it last sent. */
export interface PushedUserRecord {
  appId: string;
  pushed: PushPerson;
}

/** What the pusher remembers of a group it pushed: the app's id, name and member ids (app ids). */
export interface PushedGroupRecord {
  appId: string;
  displayName: string;
  memberAppIds: string[];
}

/** IdP id → app record; plain JSON so that the CLI can keep it between runs. */
export interface PushMappingSnapshot {
  users: Record<string, PushedUserRecord>;
  groups: Record<string, PushedGroupRecord>;
}

export type CredentialsCheck =
  | { ok: true; status: number; totalResults: number }
  | {
      ok: false;
      status: number | null;
      reason: CredentialsFailureReason;
      /** the sentence the admin sees */
      message: string;
      /** the server's RFC 7644 3.12 detail, when it sent one */
      scimDetail: string | null;
    };

export type UserPushAction =
  | 'created'
  | 'linked'
  | 'updated'
  | 'deactivated'
  | 'reactivated'
  | 'unchanged'
  | 'skipped';

export interface UserPushResult {
  personId: string;
  action: UserPushAction;
  appId: string | null;
}

export type GroupPushAction = 'created' | 'linked' | 'updated' | 'unchanged' | 'deleted';

export interface GroupPushResult {
  groupId: string;
  action: GroupPushAction;
  appId: string | null;
  added: number;
  removed: number;
  renamed: boolean;
}

/** A group read back from the app (GRP-06 import). */
export interface ImportedGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  members: ScimMember[];
}

export interface PushFailure {
  kind: 'user' | 'group';
  id: string;
  code: ScimPushErrorCode | 'unexpected';
  message: string;
  status: number | null;
}

export interface ReconcileOptions {
  /** groups the pusher holds but the desired state no longer lists: 'keep' (unlink) or 'delete' in the app */
  removedGroups?: 'keep' | 'delete';
  onProgress?: (done: number, total: number) => void;
}

export interface ReconcileSummary {
  users: Record<UserPushAction, number>;
  groups: Record<GroupPushAction, number>;
  failures: PushFailure[];
  /** requests and writes (non-GET) this run sent, retries included */
  requests: number;
  writes: number;
  durationMs: number;
}

function sameProfile(a: PushPerson, b: PushPerson): boolean {
  return (
    a.userName === b.userName &&
    a.givenName === b.givenName &&
    a.familyName === b.familyName &&
    a.email === b.email
  );
}

/** RFC 7643 4.1.1 / 4.2: userName and displayName are caseExact false; compared ASCII case-insensitively. */
function asciiFold(value: string): string {
  return value.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function sameName(value: JsonValue | undefined, wanted: string): boolean {
  return typeof value === 'string' && asciiFold(value) === asciiFold(wanted);
}

function isOk(response: ScimResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

function emptyUserCounts(): Record<UserPushAction, number> {
  return { created: 0, linked: 0, updated: 0, deactivated: 0, reactivated: 0, unchanged: 0, skipped: 0 };
}

function emptyGroupCounts(): Record<GroupPushAction, number> {
  return { created: 0, linked: 0, updated: 0, unchanged: 0, deleted: 0 };
}

function failureOf(kind: 'user' | 'group', id: string, error: unknown): PushFailure {
  if (isScimPushError(error)) {
    return { kind, id, code: error.code, message: error.message, status: error.status ?? null };
  }
  return {
    kind,
    id,
    code: 'unexpected',
    message: error instanceof Error ? error.message : String(error),
    status: null,
  };
}

export class ScimPusher {
  readonly client: ScimHttpClient;
  readonly dialect: ScimDialect;
  readonly #users = new Map<string, PushedUserRecord>();
  /** app id → userName, the `display` of a member (Okta sends the login) */
  readonly #userNameByAppId = new Map<string, string>();
  readonly #groups = new Map<string, PushedGroupRecord>();
  readonly #quarantine: QuarantineMonitor | undefined;

  constructor(config: ScimPusherConfig) {
    const { baseUrl, key, dialect, mapping, ...clientOptions } = config;
    this.dialect = dialect;
    this.#quarantine = config.quarantine;
    this.client = new ScimHttpClient({
      ...clientOptions,
      baseUrl,
      headers: (hasBody) => dialect.requestHeaders(key, hasBody),
    });
    for (const [id, record] of Object.entries(mapping?.users ?? {})) this.#remember(id, record);
    for (const [id, record] of Object.entries(mapping?.groups ?? {})) this.#groups.set(id, record);
  }

  get transcript(): readonly ScimExchange[] {
    return this.client.transcript;
  }

  /** The remembered mapping (IdP id → app id and last pushed state), as plain JSON. */
  mappingSnapshot(): PushMappingSnapshot {
    return {
      users: Object.fromEntries(
        [...this.#users].map(([id, record]) => [id, { ...record, pushed: { ...record.pushed } }]),
      ),
      groups: Object.fromEntries(
        [...this.#groups].map(([id, record]) => [id, { ...record, memberAppIds: [...record.memberAppIds] }]),
      ),
    };
  }

  appIdOfUser(personId: string): string | null {
    return this.#users.get(personId)?.appId ?? null;
  }

  appIdOfGroup(groupId: string): string | null {
    return this.#groups.get(groupId)?.appId ?? null;
  }

  /**
   * KEY-04 "Test API Credentials": GET /Users with the dialect's probe (and GET /Groups when `groups`, as when
   * group push or import is on); success or the reason it failed.
   */
  async testCredentials(options: { groups?: boolean } = {}): Promise<CredentialsCheck> {
    const users = await this.#probe('/Users', this.dialect.credentialsProbe());
    const roundTrip = this.dialect.behaviour?.credentialsCreateAndDelete;
    if (users.ok && roundTrip) return this.#createAndDeleteTest(roundTrip, users);
    if (!users.ok || !options.groups) return users;
    // With group push/import on, saving the provisioning settings also reads the groups.
    const groups = await this.#probe('/Groups', this.dialect.groupCredentialsProbe());
    return groups.ok ? users : groups;
  }

  /**
   * JumpCloud's Test Connection: a test user and a test group are created, then deleted when the target supports
   * DELETE; a user that cannot be deleted is deactivated instead (JumpCloud support, "Custom SCIM integration").
   */
  async #createAndDeleteTest(
    names: { userName: string; groupName: string },
    passed: CredentialsCheck,
  ): Promise<CredentialsCheck> {
    const testPerson: PushPerson = {
      id: `connection-test-${names.userName}`,
      userName: names.userName,
      givenName: 'Test',
      familyName: 'User',
      email: names.userName,
      active: true,
    };
    const refuse = (error: unknown): CredentialsCheck => {
      const status = isScimPushError(error) ? (error.status ?? null) : null;
      const detail = isScimPushError(error) ? error.scimError?.detail : undefined;
      const reason = credentialsFailureReason(status ?? undefined, detail);
      return {
        ok: false,
        status,
        reason,
        message: describeCredentialsFailure(reason, error instanceof Error ? error.message : String(error)),
        scimDetail: detail ?? null,
      };
    };
    try {
      const user = await this.client.send({
        method: 'POST',
        path: '/Users',
        body: this.dialect.createUser(testPerson),
      });
      const created = asResource(this.#expectOk(user, `create test user ${names.userName}`));
      if (!created) throw this.#unexpected(user, 'create test user: no id in the 201 body');
      const group = await this.client.send({
        method: 'POST',
        path: '/Groups',
        body: this.dialect.createGroup({ id: 'connection-test-group', displayName: names.groupName }),
      });
      const createdGroup = asResource(this.#expectOk(group, `create test group ${names.groupName}`));
      if (createdGroup) {
        const removed = await this.client.send({ method: 'DELETE', path: `/Groups/${createdGroup.id}` });
        if (removed.status !== 404) this.#expectOk(removed, 'delete test group');
      }
      const deleted = await this.client.send({ method: 'DELETE', path: `/Users/${created.id}` });
      if (!isOk(deleted) && deleted.status !== 404) {
        // DELETE not supported for users: deactivate the test user (the admin deletes it by hand).
        const deactivated = await this.client.send({
          method: 'PATCH',
          path: `/Users/${created.id}`,
          body: this.dialect.setActive(false),
        });
        this.#expectOk(deactivated, 'deactivate test user');
      }
      return passed;
    } catch (error) {
      return refuse(error);
    }
  }

  async #probe(path: string, query: QueryParams): Promise<CredentialsCheck> {
    let response: ScimResponse;
    try {
      response = await this.client.send({ method: 'GET', path, query });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return {
        ok: false,
        status: null,
        reason: 'unreachable',
        message: describeCredentialsFailure('unreachable', detail),
        scimDetail: null,
      };
    }
    const list = isOk(response) ? asList(response.body) : null;
    if (list !== null) return { ok: true, status: response.status, totalResults: list.totalResults };
    // OneLogin's connection test looks up a user that does not exist: an empty list or a 404 both pass.
    if (response.status === 404 && this.dialect.behaviour?.credentialsProbeAccepts404) {
      return { ok: true, status: 404, totalResults: 0 };
    }
    const scimDetail = readScimError(response.body)?.detail ?? null;
    const reason = isOk(response)
      ? 'invalid_response'
      : credentialsFailureReason(response.status, scimDetail ?? undefined);
    return {
      ok: false,
      status: response.status,
      reason,
      message: describeCredentialsFailure(reason, scimDetail ?? undefined),
      scimDetail,
    };
  }

  /**
   * OKT-03 assign / profile change: a person the pusher knows is updated (PATCH or PUT by dialect) only when
   * something changed; an unknown person is looked up by userName and linked if present, else created.
   */
  async pushUser(person: PushPerson): Promise<UserPushResult> {
    const known = this.#users.get(person.id);
    if (known) return this.#applyUserChanges(person, known.pushed, known.appId, null, 'updated');

    const found = await this.#lookupUser(person);
    if (found) return this.#linkUser(person, found);
    // Okta provisions only assigned (active) people; an unknown unassigned person has nothing to deactivate.
    // PingFederate's "Provision disabled users" creates them with active false instead.
    if (!person.active && !this.dialect.behaviour?.provisionDisabledUsers) {
      return { personId: person.id, action: 'skipped', appId: null };
    }

    const response = await this.client.send({
      method: 'POST',
      path: '/Users',
      body: this.dialect.createUser(person),
    });
    if (response.status === 409) {
      // RFC 7644 3.3: uniqueness; a retried create that had landed (Entra retries a POST that outlived its 60 s
      // timeout), or a race: look it up again and link, as the real clients do.
      const existing = await this.#lookupUser(person);
      if (existing) return this.#linkUser(person, existing);
      // 409 with nothing to link to: retrying would meet the same 409 for ever. Report it once, as the target's defect.
      throw new ScimPushError(
        'conflict_unresolved',
        `create user ${person.userName} answered 409 but no user with that userName can be found: the target ` +
          'refuses the create and hides the resource it conflicts with',
        409,
        readScimError(response.body) ?? undefined,
      );
    }
    const created = asResource(this.#expectOk(response, `create user ${person.userName}`));
    if (!created) throw this.#unexpected(response, `create user ${person.userName}: no id in the 201 body`);
    // the manager is a reference set afterwards (#syncManagers), so the app holds none yet
    this.#remember(person.id, { appId: created.id, pushed: { ...person, managerId: undefined } });
    return { personId: person.id, action: 'created', appId: created.id };
  }

  /** OKT-03 unassign, DEA-01: deactivate (Okta never DELETEs users). */
  async deactivateUser(personId: string): Promise<UserPushResult> {
    return this.#setActive(personId, false);
  }

  /** Reassign: reactivate (DEA-07). */
  async reactivateUser(personId: string): Promise<UserPushResult> {
    return this.#setActive(personId, true);
  }

  /**
   * GRP-02 create (POST /Groups, then the members by PATCH) or GRP-03 link (an existing group without members,
   * found by `linkTo` or the group's own name, renamed to the IdP name). A group already pushed is brought up to date.
   */
  async pushGroup(
    group: PushGroup,
    mode: GroupPushMode = 'create',
    linkTo?: string,
  ): Promise<GroupPushResult> {
    if (this.#groups.has(group.id)) return this.pushMembership(group);
    // GRP-01: refuse before any write when a member is not provisioned.
    const memberAppIds = this.#memberAppIds(group);
    if (mode === 'link') {
      const target = await this.#findGroup(linkTo ?? group.displayName);
      if (!target) {
        throw new ScimPushError(
          'link_target_not_found',
          `GRP-03: no group named "${linkTo ?? group.displayName}"`,
        );
      }
      if (membersOf(target).length > 0) {
        throw new ScimPushError(
          'link_target_not_empty',
          `GRP-03: group "${stringOf(target.displayName)}" has members`,
        );
      }
      this.#groups.set(group.id, {
        appId: target.id,
        displayName: stringOf(target.displayName),
        memberAppIds: [],
      });
      const result = await this.#syncGroup(group, memberAppIds);
      return { ...result, action: 'linked' };
    }
    const response = await this.client.send({
      method: 'POST',
      path: '/Groups',
      body: this.dialect.createGroup({ id: group.id, displayName: group.displayName }),
    });
    let created: ScimResourceJson | null = null;
    if (response.status === 409) {
      created = await this.#findGroup(group.displayName);
      if (!created) {
        throw new ScimPushError(
          'conflict_unresolved',
          `create group ${group.displayName} answered 409 but no group with that name can be found`,
          409,
          readScimError(response.body) ?? undefined,
        );
      }
    }
    if (!created) {
      created = asResource(this.#expectOk(response, `create group ${group.displayName}`));
      if (!created)
        throw this.#unexpected(response, `create group ${group.displayName}: no id in the 201 body`);
    }
    this.#groups.set(group.id, {
      appId: created.id,
      displayName: stringOf(created.displayName),
      memberAppIds: membersOf(created).map((member) => member.value),
    });
    const result = await this.#syncGroup(group, memberAppIds);
    return { ...result, action: 'created' };
  }

  /**
   * GRP-04 "push group membership immediately": sends the name and membership difference since the last push
   * (nothing when there is none).
   */
  async pushMembership(group: PushGroup): Promise<GroupPushResult> {
    if (!this.#groups.has(group.id)) {
      throw new ScimPushError('not_provisioned', `group ${group.id} has not been pushed`);
    }
    return this.#syncGroup(group, this.#memberAppIds(group));
  }

  async renameGroup(groupId: string, displayName: string): Promise<GroupPushResult> {
    const record = this.#groups.get(groupId);
    if (!record) throw new ScimPushError('not_provisioned', `group ${groupId} has not been pushed`);
    if (record.displayName === displayName) {
      return { groupId, action: 'unchanged', appId: record.appId, added: 0, removed: 0, renamed: false };
    }
    if (this.dialect.groupUpdateMethod === 'PUT') {
      await this.#putGroup(record, displayName, record.memberAppIds);
    } else {
      const response = await this.client.send({
        method: 'PATCH',
        path: `/Groups/${record.appId}`,
        body: this.dialect.renameGroup(record.appId, displayName),
      });
      this.#expectOk(response, `rename group ${groupId}`);
    }
    record.displayName = displayName;
    return { groupId, action: 'updated', appId: record.appId, added: 0, removed: 0, renamed: true };
  }

  /** Unlink with "delete in app": DELETE /Groups/{id} (404 counts as already gone). */
  async deleteGroup(groupId: string): Promise<GroupPushResult> {
    const record = this.#groups.get(groupId);
    if (!record) throw new ScimPushError('not_provisioned', `group ${groupId} has not been pushed`);
    const response = await this.client.send({ method: 'DELETE', path: `/Groups/${record.appId}` });
    if (response.status !== 404) this.#expectOk(response, `delete group ${groupId}`);
    this.#groups.delete(groupId);
    return { groupId, action: 'deleted', appId: record.appId, added: 0, removed: 0, renamed: false };
  }

  /** GRP-06: reads every group back, paging with count=100 and startIndex +100 until totalResults. */
  async importGroups(): Promise<ImportedGroup[]> {
    const groups: ImportedGroup[] = [];
    for (let startIndex = 1; ; ) {
      const response = await this.client.send({
        method: 'GET',
        path: '/Groups',
        query: this.dialect.listPage(startIndex),
      });
      const list = asList(this.#expectOk(response, 'import groups'));
      if (!list) throw this.#unexpected(response, 'import groups: not a ListResponse');
      for (const resource of list.resources) {
        groups.push({
          id: resource.id,
          displayName: stringOf(resource.displayName),
          externalId: typeof resource.externalId === 'string' ? resource.externalId : null,
          members: membersOf(resource),
        });
      }
      startIndex += list.resources.length;
      // pageSize 0: the IdP does not page (Rippling without "Supports Pagination"), one read is all it takes
      if (this.dialect.pageSize === 0 || list.resources.length === 0 || startIndex > list.totalResults)
        return groups;
    }
  }

  /**
   * Brings the app to the desired state with the fewest writes: people first (create, link, update, deactivate the
   * ones no longer assigned), then groups (create or adopt, rename, membership). A second run of the same state
   * sends no writes.
   */
  async reconcile(wantedState: DesiredState, options: ReconcileOptions = {}): Promise<ReconcileSummary> {
    const quarantine = this.#quarantine;
    if (quarantine && !quarantine.beginCycle()) {
      const status = quarantine.status();
      throw new ScimPushError(
        'quarantined',
        status.state === 'disabled'
          ? 'provisioning is disabled: the app stayed in quarantine too long'
          : `the app is in quarantine; the next cycle runs at ${status.nextAttempt}`,
      );
    }
    try {
      return await this.#reconcile(wantedState, options);
    } finally {
      quarantine?.endCycle();
    }
  }

  /** Entra's quarantine state (issue #13), or healthy for IdPs without one: what the console shows. */
  provisioningStatus(): QuarantineStatus {
    return (
      this.#quarantine?.status() ?? {
        state: 'healthy',
        reason: null,
        seriesBegan: null,
        currentBegan: null,
        nextAttempt: null,
        recentFailures: 0,
        windowSize: 0,
        lastFailure: null,
      }
    );
  }

  async #reconcile(wantedState: DesiredState, options: ReconcileOptions): Promise<ReconcileSummary> {
    const started = performance.now();
    const desired = this.#asTheIdpSeesIt(wantedState);
    const requestsBefore = this.client.requestCount;
    const writesBefore = this.client.writeCount;
    const summary: ReconcileSummary = {
      users: emptyUserCounts(),
      groups: emptyGroupCounts(),
      failures: [],
      requests: 0,
      writes: 0,
      durationMs: 0,
    };
    const wanted = new Set(desired.people.map((person) => person.id));
    const unassigned = [...this.#users.keys()].filter((id) => !wanted.has(id));
    const removedGroups =
      !this.dialect.behaviour?.groupsLinkOnly &&
      (options.removedGroups ?? (this.dialect.behaviour?.deleteUnlinkedGroups ? 'delete' : 'keep')) ===
        'delete'
        ? [...this.#groups.keys()].filter((id) => !desired.groups.some((group) => group.id === id))
        : [];
    const total = desired.people.length + unassigned.length + desired.groups.length + removedGroups.length;
    let done = 0;
    const tick = (): void => {
      done += 1;
      options.onProgress?.(done, total);
    };

    await Promise.all([
      ...desired.people.map(async (person) => {
        try {
          summary.users[(await this.pushUser(person)).action] += 1;
        } catch (error) {
          summary.failures.push(failureOf('user', person.id, error));
        }
        tick();
      }),
      ...unassigned.map(async (personId) => {
        try {
          summary.users[(await this.deactivateUser(personId)).action] += 1;
        } catch (error) {
          summary.failures.push(failureOf('user', personId, error));
        }
        tick();
      }),
    ]);

    if (this.dialect.setManager) await this.#syncManagers(desired.people, summary);

    await Promise.all([
      ...desired.groups.map(async (group) => {
        try {
          const result = this.#groups.has(group.id)
            ? await this.pushMembership(group)
            : await this.#adoptOrCreateGroup(group);
          summary.groups[result.action] += 1;
        } catch (error) {
          summary.failures.push(failureOf('group', group.id, error));
        }
        tick();
      }),
      ...removedGroups.map(async (groupId) => {
        try {
          summary.groups[(await this.deleteGroup(groupId)).action] += 1;
        } catch (error) {
          summary.failures.push(failureOf('group', groupId, error));
        }
        tick();
      }),
    ]);

    summary.requests = this.client.requestCount - requestsBefore;
    summary.writes = this.client.writeCount - writesBefore;
    summary.durationMs = performance.now() - started;
    return summary;
  }

  /**
   * The groups an IdP would push of the desired state: none when groups are off (Rippling's "supports groups"), no
   * empty ones (JumpCloud), and each person in one group only with mutually exclusive groups (Rippling).
   */
  #asTheIdpSeesIt(desired: DesiredState): DesiredState {
    const behaviour = this.dialect.behaviour ?? {};
    if (behaviour.groupsDisabled) return { people: desired.people, groups: [] };
    let groups = desired.groups;
    if (behaviour.mutuallyExclusiveGroups) {
      const placed = new Set<string>();
      const byName = [...groups].sort((a, b) => a.displayName.localeCompare(b.displayName));
      const kept = new Map<string, string[]>();
      for (const group of byName) {
        const members = group.memberIds.filter((id) => !placed.has(id));
        for (const id of members) placed.add(id);
        kept.set(group.id, members);
      }
      groups = groups.map((group) => ({ ...group, memberIds: kept.get(group.id) ?? [] }));
    }
    if (behaviour.skipEmptyGroups) {
      // a group already pushed stays in sync even when it empties; only never-pushed empty groups are skipped
      groups = groups.filter((group) => group.memberIds.length > 0 || this.#groups.has(group.id));
    }
    return { people: desired.people, groups };
  }

  /**
   * Entra's manager reference (enterprise extension, RFC 7643 4.3): set, changed or removed by PATCH once both people
   * are in the app. A manager not provisioned yet is left for the next run.
   */
  async #syncManagers(people: PushPerson[], summary: ReconcileSummary): Promise<void> {
    const setManager = this.dialect.setManager;
    if (!setManager) return;
    await Promise.all(
      people.map(async (person) => {
        const record = this.#users.get(person.id);
        if (!record || !person.active || person.managerId === undefined) return;
        const wanted = person.managerId ?? null;
        if ((record.pushed.managerId ?? null) === wanted) return;
        const managerAppId = wanted === null ? null : this.appIdOfUser(wanted);
        if (wanted !== null && managerAppId === null) return;
        const previous = record.pushed.managerId ?? null;
        const previousAppId = previous === null ? null : this.appIdOfUser(previous);
        try {
          const response = await this.client.send({
            method: 'PATCH',
            path: `/Users/${record.appId}`,
            body: setManager(managerAppId, previousAppId),
          });
          this.#expectOk(response, `${wanted === null ? 'remove' : 'set'} manager of ${person.userName}`);
          record.pushed = { ...record.pushed, managerId: wanted };
          summary.users.updated += 1;
        } catch (error) {
          summary.failures.push(failureOf('user', person.id, error));
        }
      }),
    );
  }

  /**
   * A group the pusher does not remember (a fresh process, no saved mapping) but the app already holds under the
   * same name is adopted rather than created twice, so that re-runs stay idempotent; otherwise GRP-02 create.
   */
  async #adoptOrCreateGroup(group: PushGroup): Promise<GroupPushResult> {
    const memberAppIds = this.#memberAppIds(group);
    const existing = await this.#findGroup(group.displayName);
    if (!existing && this.dialect.behaviour?.groupsLinkOnly) {
      throw new ScimPushError(
        'link_target_not_found',
        `no group named "${group.displayName}" in the app, and this IdP does not create groups`,
      );
    }
    if (!existing) return this.pushGroup(group, 'create');
    this.#groups.set(group.id, {
      appId: existing.id,
      displayName: stringOf(existing.displayName),
      memberAppIds: membersOf(existing).map((member) => member.value),
    });
    const result = await this.#syncGroup(group, memberAppIds);
    return { ...result, action: result.action === 'unchanged' ? 'unchanged' : 'linked' };
  }

  async #setActive(personId: string, active: boolean): Promise<UserPushResult> {
    const known = this.#users.get(personId);
    if (!known) throw new ScimPushError('not_provisioned', `person ${personId} has not been provisioned`);
    return this.#applyUserChanges(
      { ...known.pushed, active },
      known.pushed,
      known.appId,
      null,
      active ? 'reactivated' : 'deactivated',
    );
  }

  async #linkUser(person: PushPerson, found: ScimResourceJson): Promise<UserPushResult> {
    const current = personFromResource(found, person.id);
    this.#remember(person.id, { appId: found.id, pushed: current });
    const result = await this.#applyUserChanges(person, current, found.id, found, 'linked');
    return { ...result, action: 'linked' };
  }

  /** Sends what differs between `previous` (what the app holds) and `person`: PATCHes, or one GET + PUT. */
  async #applyUserChanges(
    person: PushPerson,
    previous: PushPerson,
    appId: string,
    current: ScimResourceJson | null,
    action: UserPushAction,
  ): Promise<UserPushResult> {
    const profileChanged = !sameProfile(person, previous);
    const activeChanged = person.active !== previous.active;
    if (!profileChanged && !activeChanged) return { personId: person.id, action: 'unchanged', appId };
    const path = `/Users/${appId}`;

    if (this.dialect.updateMethod === 'PUT') {
      // AIW apps: GET /Users/{id}, then PUT the whole resource, deactivation included.
      let resource = current;
      if (!resource && this.dialect.behaviour?.putWithoutRead) resource = { id: appId };
      if (!resource) {
        const read = await this.client.send({ method: 'GET', path });
        resource = asResource(this.#expectOk(read, `read user ${person.userName}`));
        if (!resource) throw this.#unexpected(read, `read user ${person.userName}: no id`);
      }
      const response = await this.client.send({
        method: 'PUT',
        path,
        body: this.dialect.replaceUser(person, resource),
      });
      this.#expectOk(response, `replace user ${person.userName}`);
    } else {
      const update = profileChanged ? this.dialect.updateUser(person, previous) : null;
      if (update) {
        const response = await this.client.send({ method: 'PATCH', path, body: update });
        this.#expectOk(response, `update user ${person.userName}`);
      }
      if (activeChanged) {
        const response = await this.client.send({
          method: 'PATCH',
          path,
          body: this.dialect.setActive(person.active),
        });
        this.#expectOk(response, `${person.active ? 'reactivate' : 'deactivate'} user ${person.userName}`);
      }
    }
    const managerId = this.#users.get(person.id)?.pushed.managerId;
    this.#remember(person.id, { appId, pushed: { ...person, managerId } });
    const finalAction =
      activeChanged && !profileChanged ? (person.active ? 'reactivated' : 'deactivated') : action;
    return { personId: person.id, action: finalAction, appId };
  }

  /** GRP-01: every member must have been provisioned (we need its app id); otherwise nothing is sent. */
  #memberAppIds(group: PushGroup): string[] {
    const missing: string[] = [];
    const appIds: string[] = [];
    for (const memberId of group.memberIds) {
      const appId = this.#users.get(memberId)?.appId;
      if (appId === undefined) missing.push(memberId);
      else appIds.push(appId);
    }
    if (missing.length > 0) {
      throw new ScimPushError(
        'members_not_provisioned',
        `GRP-01: group "${group.displayName}" has members that are not provisioned: ${missing.join(', ')}`,
      );
    }
    return [...new Set(appIds)];
  }

  #remember(personId: string, record: PushedUserRecord): void {
    this.#users.set(personId, record);
    this.#userNameByAppId.set(record.appId, record.pushed.userName);
  }

  #memberDisplay(appId: string): string {
    return this.#userNameByAppId.get(appId) ?? '';
  }

  async #syncGroup(group: PushGroup, memberAppIds: string[]): Promise<GroupPushResult> {
    const record = this.#groups.get(group.id);
    if (!record) throw new ScimPushError('not_provisioned', `group ${group.id} has not been pushed`);
    const held = new Set(record.memberAppIds);
    const wantedSet = new Set(memberAppIds);
    const add = memberAppIds.filter((id) => !held.has(id));
    const remove = record.memberAppIds.filter((id) => !wantedSet.has(id));
    const renamed = record.displayName !== group.displayName;
    const result: GroupPushResult = {
      groupId: group.id,
      action: 'unchanged',
      appId: record.appId,
      added: add.length,
      removed: remove.length,
      renamed,
    };
    if (!renamed && add.length === 0 && remove.length === 0) return result;

    if (this.dialect.groupUpdateMethod === 'PUT') {
      await this.#putGroup(record, group.displayName, memberAppIds);
    } else {
      if (renamed) {
        const response = await this.client.send({
          method: 'PATCH',
          path: `/Groups/${record.appId}`,
          body: this.dialect.renameGroup(record.appId, group.displayName),
        });
        this.#expectOk(response, `rename group ${group.displayName}`);
      }
      if (add.length > 0 || remove.length > 0) {
        const members = add.map((value) => ({ value, display: this.#memberDisplay(value) }));
        const response = await this.client.send({
          method: 'PATCH',
          path: `/Groups/${record.appId}`,
          body: this.dialect.changeMembers(record.appId, members, remove),
        });
        this.#expectOk(response, `update members of ${group.displayName}`);
      }
    }
    record.displayName = group.displayName;
    record.memberAppIds = memberAppIds;
    return { ...result, action: 'updated' };
  }

  async #putGroup(record: PushedGroupRecord, displayName: string, memberAppIds: string[]): Promise<void> {
    const path = `/Groups/${record.appId}`;
    const read = await this.client.send({ method: 'GET', path });
    const current = asResource(this.#expectOk(read, `read group ${record.appId}`));
    if (!current) throw this.#unexpected(read, `read group ${record.appId}: no id`);
    const members = memberAppIds.map((value) => ({ value, display: this.#memberDisplay(value) }));
    const response = await this.client.send({
      method: 'PUT',
      path,
      body: this.dialect.replaceGroup(current, displayName, members),
    });
    this.#expectOk(response, `replace group ${displayName}`);
  }

  /**
   * Okta's reference: "not found" may be 200 with totalResults 0, or a 404 Error. A result is only trusted when its
   * userName is the one asked for (ASCII case-insensitively, RFC 7643 4.1.1 caseExact false): a server that ignores
   * the filter answers every lookup with the same first user, and linking to it would overwrite that one user with
   * everybody (issue #12 part 3). Such an answer is a target defect and nothing is written.
   */
  async #lookupUser(person: PushPerson): Promise<ScimResourceJson | null> {
    return this.#lookup(
      { method: 'GET', path: '/Users', query: this.dialect.userLookup(person) },
      'user lookup',
      'userName',
      person.userName,
    );
  }

  /** Finds a group by name, with its members (read by id when the lookup excluded them). */
  async #findGroup(displayName: string): Promise<ScimResourceJson | null> {
    const found = this.dialect.behaviour?.groupLookupScansAll
      ? await this.#scanGroups(displayName)
      : await this.#lookup(
          { method: 'GET', path: '/Groups', query: this.dialect.groupLookup(displayName) },
          'group lookup',
          'displayName',
          displayName,
        );
    if (!found || Array.isArray(found.members)) return found;
    const read = await this.client.send({ method: 'GET', path: `/Groups/${found.id}` });
    return asResource(this.#expectOk(read, `read group ${found.id}`)) ?? found;
  }

  /** PingFederate filters groups by reading every group and matching the name itself (its connector docs). */
  async #scanGroups(displayName: string): Promise<ScimResourceJson | null> {
    for (let startIndex = 1; ; ) {
      const response = await this.client.send({
        method: 'GET',
        path: '/Groups',
        query: this.dialect.listPage(startIndex),
      });
      const list = asList(this.#expectOk(response, 'group scan'));
      if (!list) throw this.#unexpected(response, 'group scan: not a ListResponse');
      const match = list.resources.find((resource) => sameName(resource.displayName, displayName));
      if (match) return match;
      startIndex += list.resources.length;
      if (this.dialect.pageSize === 0 || list.resources.length === 0 || startIndex > list.totalResults)
        return null;
    }
  }

  async #lookup(
    request: ScimRequest,
    what: string,
    attribute: 'userName' | 'displayName',
    wanted: string,
  ): Promise<ScimResourceJson | null> {
    const response = await this.client.send(request);
    if (response.status === 404) return null;
    const list = asList(this.#expectOk(response, what));
    if (!list) throw this.#unexpected(response, `${what}: not a ListResponse (${LIST_RESPONSE_SCHEMA})`);
    if (list.resources.length === 0) return null;
    const matches = list.resources.filter((resource) => sameName(resource[attribute], wanted));
    if (matches.length === list.resources.length && matches.length === 1) return matches[0] ?? null;
    // RFC 7644 3.4.2.2: an eq filter on a unique attribute selects at most the one resource. Anything else means the
    // server did not apply the filter: report it and write nothing (a guess here would merge people).
    const why =
      matches.length === list.resources.length
        ? `${matches.length} resources share that ${attribute}: the target does not keep it unique`
        : 'the target ignores SCIM filters (RFC 7644 3.4.2.2)';
    throw new ScimPushError(
      'filter_ignored',
      `${what} for ${attribute} eq "${wanted}" answered ${list.resources.length} resource(s)` +
        ` (${matches.length} matching): ${why}; nothing was written`,
      response.status,
    );
  }

  #expectOk(response: ScimResponse, what: string): JsonValue | null {
    if (isOk(response)) return response.body;
    const scimError = readScimError(response.body) ?? undefined;
    const code = response.status === 429 || response.status >= 500 ? 'retries_exhausted' : 'request_rejected';
    const detail = scimError?.detail ? `: ${scimError.detail}` : '';
    throw new ScimPushError(
      code,
      `${what} failed with ${response.status}${detail}`,
      response.status,
      scimError,
    );
  }

  #unexpected(response: ScimResponse, message: string): ScimPushError {
    return new ScimPushError('unexpected_response', message, response.status);
  }
}
