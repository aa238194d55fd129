// Steps that several aggregate modules of the team service share: the audit append, the admin check, the member
// view read and the SCIM version precondition. Catalogue JIT-05 / KEY-03 / PRV-07 (admin checks), RFC 7644 3.14.
import type { MemberView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditEvent, Membership } from '../domain/model.ts';
import { assertTeamAdmin } from '../domain/roles.ts';
import type { ServiceContext } from './context.ts';
import { requireAccount } from './lifecycle.ts';
import { memberView } from './views.ts';

export interface AuditInput {
  type: string;
  teamId?: string | null;
  accountId?: string | null;
  data?: Record<string, unknown>;
}

export function appendAudit(ctx: ServiceContext, input: AuditInput): AuditEvent {
  return ctx.store.audit.append({
    at: ctx.nowIso(),
    type: input.type,
    teamId: input.teamId ?? null,
    accountId: input.accountId ?? null,
    data: input.data ?? {},
  });
}

/** JIT-05 / KEY-03 / PRV-07: the actor's active Admin/Super Admin membership, else `forbidden`. */
export function requireAdmin(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  action: string,
): Membership {
  const actor = ctx.store.memberships.getByAccount(teamId, actorId);
  assertTeamAdmin(actor, action);
  return actor as Membership;
}

export function memberViewOf(
  ctx: ServiceContext,
  membership: Membership,
  status?: MemberView['status'],
): MemberView {
  return memberView(membership, requireAccount(ctx, membership.accountId), status);
}

export function assertVersion(actual: number, expected: number | undefined): void {
  // RFC 7644 3.14: If-Match with a stale version is refused (412 at the protocol layer).
  if (expected !== undefined && expected !== actual) {
    throw new DomainError('version_mismatch', `resource version is ${actual}, not ${expected}`, {
      expected,
      actual,
    });
  }
}
