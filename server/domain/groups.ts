// Team groups: provisioning checks for members and for linking an IdP group to an existing team group.
// Catalogue GRP-01 (members must be provisioned first), GRP-03 (only empty groups can be linked, then renamed).
import { DomainError } from './errors.ts';
import type { Group } from './model.ts';

export function assertGroupDisplayName(displayName: string): string {
  const trimmed = displayName.trim();
  if (trimmed === '' || trimmed.length > 256) {
    throw new DomainError('invalid_value', 'a group needs a displayName of 1 to 256 characters', {
      attribute: 'displayName',
    });
  }
  return trimmed;
}

/** GRP-01 decision: the whole call fails, naming every unknown member id; nothing is stored. */
export function assertMembersKnown(requestedIds: readonly string[], knownIds: ReadonlySet<string>): void {
  const unknownIds = [...new Set(requestedIds)].filter((id) => !knownIds.has(id));
  if (unknownIds.length > 0) {
    throw new DomainError('unknown_members', `group members not provisioned: ${unknownIds.join(', ')}`, {
      unknownIds,
    });
  }
}

/**
 * GRP-03: the first SCIM write to a group the team made by hand links it to the IdP group; only a group without
 * members can be linked. Groups the IdP created or already linked are simply updated.
 */
export function assertLinkable(group: Group, memberCount: number): void {
  if (!group.managedByScim && memberCount > 0) {
    throw new DomainError(
      'group_not_empty',
      'only a team group without members can be linked to an IdP group',
      {
        groupId: group.id,
        memberCount,
      },
    );
  }
}
