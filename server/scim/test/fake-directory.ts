// An in-memory test double of the ScimDirectory port, so the SCIM router can be tested over HTTP before the store.
// Follows directory.ts's contract: DomainErrors for KEY-04, PRV-09 (seats), uniqueness, version, GRP-01.

import { matchesScimFilter } from '../../../protocol/scim/filter-eval.ts';
import { DomainError } from '../../domain/errors.ts';
import type {
  ScimDirectory,
  ScimGroupInput,
  ScimGroupRecord,
  ScimListQuery,
  ScimPage,
  ScimTenant,
  ScimUserInput,
  ScimUserRecord,
} from '../directory.ts';
import { toScimGroup } from '../group-mapping.ts';
import { toScimUser } from '../user-mapping.ts';

export const GOOD_KEY = 'good-key';
export const REVOKED_KEY = 'revoked-key';
export const SCIM_OFF_KEY = 'scim-off-key';
/** authenticate throws a plain Error with this text: it must never reach a client. */
export const EXPLODING_KEY = 'exploding-key';
export const SECRET_FAILURE_TEXT = 'secret internal failure text';

export class FakeScimDirectory implements ScimDirectory {
  readonly users = new Map<string, ScimUserRecord>();
  readonly groups = new Map<string, ScimGroupRecord>();
  /** PRV-09: active users allowed; Infinity = no limit */
  seats = Number.POSITIVE_INFINITY;
  /** counts of writes, to check that refused requests store nothing */
  writes = 0;
  memberPatches = 0;
  private nextId = 1;
  private clock = Date.parse('2026-01-01T00:00:00.000Z');

  authenticate(bearerKey: string): ScimTenant {
    if (bearerKey === GOOD_KEY) return { teamId: 't1' };
    if (bearerKey === REVOKED_KEY) throw new DomainError('api_key_revoked', 'revoked');
    if (bearerKey === SCIM_OFF_KEY) throw new DomainError('scim_not_enabled', 'off');
    if (bearerKey === EXPLODING_KEY) throw new Error(SECRET_FAILURE_TEXT);
    throw new DomainError('invalid_api_key', 'no such key');
  }

  createUser(_teamId: string, input: ScimUserInput): ScimUserRecord {
    this.checkUserUnique(input.userName, undefined);
    if (input.active && this.activeCount() >= this.seats) {
      throw new DomainError('no_seats_available', 'all seats are taken');
    }
    const now = this.tick();
    const record: ScimUserRecord = {
      id: this.newId('u'),
      ...input,
      version: 1,
      created: now,
      lastModified: now,
    };
    this.users.set(record.id, record);
    this.writes += 1;
    return { ...record };
  }

  getUser(_teamId: string, id: string): ScimUserRecord {
    const record = this.users.get(id);
    if (record === undefined) throw new DomainError('not_found', 'no such user');
    return { ...record };
  }

  listUsers(_teamId: string, query: ScimListQuery): ScimPage<ScimUserRecord> {
    return this.page([...this.users.values()], query, (record) => toScimUser(record, 'http://x'));
  }

  replaceUser(_teamId: string, id: string, input: ScimUserInput, expectedVersion?: number): ScimUserRecord {
    const record = this.getUser('t1', id);
    this.checkVersion(record.version, expectedVersion);
    this.checkUserUnique(input.userName, id);
    if (input.active && !record.active && this.activeCount() >= this.seats) {
      throw new DomainError('no_seats_available', 'all seats are taken');
    }
    const updated: ScimUserRecord = {
      ...record,
      ...input,
      version: record.version + 1,
      lastModified: this.tick(),
    };
    this.users.set(id, updated);
    this.writes += 1;
    return { ...updated };
  }

  deleteUser(_teamId: string, id: string, expectedVersion?: number): void {
    const record = this.getUser('t1', id);
    this.checkVersion(record.version, expectedVersion);
    this.users.delete(id);
    this.writes += 1;
  }

  createGroup(_teamId: string, input: ScimGroupInput): ScimGroupRecord {
    this.checkGroupUnique(input.displayName, undefined);
    const now = this.tick();
    const record: ScimGroupRecord = {
      id: this.newId('g'),
      displayName: input.displayName,
      externalId: input.externalId,
      members: this.members(input.memberIds),
      version: 1,
      created: now,
      lastModified: now,
    };
    this.groups.set(record.id, record);
    this.writes += 1;
    return structuredClone(record);
  }

  getGroup(_teamId: string, id: string): ScimGroupRecord {
    const record = this.groups.get(id);
    if (record === undefined) throw new DomainError('not_found', 'no such group');
    return structuredClone(record);
  }

  listGroups(_teamId: string, query: ScimListQuery): ScimPage<ScimGroupRecord> {
    return this.page([...this.groups.values()], query, (record) => toScimGroup(record, 'http://x'));
  }

  replaceGroup(
    _teamId: string,
    id: string,
    input: ScimGroupInput,
    expectedVersion?: number,
  ): ScimGroupRecord {
    const record = this.getGroup('t1', id);
    this.checkVersion(record.version, expectedVersion);
    this.checkGroupUnique(input.displayName, id);
    const updated: ScimGroupRecord = {
      ...record,
      displayName: input.displayName,
      externalId: input.externalId,
      members: this.members(input.memberIds),
      version: record.version + 1,
      lastModified: this.tick(),
    };
    this.groups.set(id, updated);
    this.writes += 1;
    return structuredClone(updated);
  }

  patchGroupMembers(
    _teamId: string,
    id: string,
    change: { add: string[]; remove: string[]; displayName?: string; externalId?: string | null },
    expectedVersion?: number,
  ): ScimGroupRecord {
    const record = this.getGroup('t1', id);
    this.checkVersion(record.version, expectedVersion);
    const added = this.members(change.add);
    const remove = new Set(change.remove);
    const members = record.members.filter((member) => !remove.has(member.value));
    for (const member of added) if (!members.some((m) => m.value === member.value)) members.push(member);
    if (change.displayName !== undefined) this.checkGroupUnique(change.displayName, id);
    const updated: ScimGroupRecord = {
      ...record,
      members,
      displayName: change.displayName ?? record.displayName,
      externalId: change.externalId === undefined ? record.externalId : change.externalId,
      version: record.version + 1,
      lastModified: this.tick(),
    };
    this.groups.set(id, updated);
    this.writes += 1;
    this.memberPatches += 1;
    return structuredClone(updated);
  }

  deleteGroup(_teamId: string, id: string, expectedVersion?: number): void {
    const record = this.getGroup('t1', id);
    this.checkVersion(record.version, expectedVersion);
    this.groups.delete(id);
    this.writes += 1;
  }

  private page<T>(all: T[], query: ScimListQuery, toJson: (record: T) => object): ScimPage<T> {
    const filter = query.filter;
    const matching =
      filter === undefined
        ? all
        : all.filter((record) => matchesScimFilter(toJson(record) as Record<string, unknown>, filter));
    const start = query.startIndex - 1;
    return { totalResults: matching.length, resources: matching.slice(start, start + query.count) };
  }

  /** GRP-01: every member must be a provisioned user; the error names the unknown ids. */
  private members(ids: string[]): Array<{ value: string; display: string }> {
    const unknown = ids.filter((id) => !this.users.has(id));
    if (unknown.length > 0) {
      throw new DomainError('unknown_members', `unknown members: ${unknown.join(', ')}`, {
        memberIds: unknown,
      });
    }
    return ids.map((id) => {
      const user = this.users.get(id) as ScimUserRecord;
      return { value: id, display: `${user.givenName} ${user.familyName}`.trim() };
    });
  }

  private checkVersion(actual: number, expected: number | undefined): void {
    if (expected !== undefined && expected !== actual)
      throw new DomainError('version_mismatch', 'version differs');
  }

  private checkUserUnique(userName: string, exceptId: string | undefined): void {
    for (const user of this.users.values()) {
      if (user.id !== exceptId && user.userName.toLowerCase() === userName.toLowerCase()) {
        throw new DomainError('uniqueness', 'userName is already taken');
      }
    }
  }

  private checkGroupUnique(displayName: string, exceptId: string | undefined): void {
    for (const group of this.groups.values()) {
      if (group.id !== exceptId && group.displayName.toLowerCase() === displayName.toLowerCase()) {
        throw new DomainError('uniqueness', 'displayName is already taken');
      }
    }
  }

  private activeCount(): number {
    return [...this.users.values()].filter((user) => user.active).length;
  }

  private newId(prefix: string): string {
    const id = `${prefix}${this.nextId}`;
    this.nextId += 1;
    return id;
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString();
  }
}
