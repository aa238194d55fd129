// Team invites: an admin invites an email with a role; the invitee joins only on acceptance.
// Catalogue JIT-04, JIT-06, JIT-10.
import type { InviteView, MemberView, NewPerson, TeamRole } from '../control/port.ts';
import { canonicalEmail, sameEmail } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import { assertInviteUsable, INVITE_LIFETIME_MS, INVITE_TOKEN_PREFIX } from '../domain/invites.ts';
import type { Membership } from '../domain/model.ts';
import { assertMayAssignRole, isTeamRole } from '../domain/roles.ts';
import { digestSecret, generateSecret } from '../domain/tokens.ts';
import { registerAccount } from './accounts.ts';
import type { ServiceContext } from './context.ts';
import { assertedAddress } from './identity-standing.ts';
import { joinTeam, reactivateMembership, requireAccount, requireTeam } from './lifecycle.ts';
import { appendAudit, requireAdmin } from './service-kit.ts';
import { inviteView, memberView } from './views.ts';

export function createInvite(
  ctx: ServiceContext,
  teamId: string,
  actorId: string,
  input: { email: string; role?: TeamRole },
): { invite: InviteView; token: string } {
  return ctx.store.transaction(() => {
    requireTeam(ctx, teamId);
    const actor = requireAdmin(ctx, teamId, actorId, 'invite members');
    const role = input.role ?? 'Member';
    if (!isTeamRole(role)) throw new DomainError('invalid_value', `unknown role ${String(role)}`);
    assertMayAssignRole(actor, null, role);
    const email = canonicalEmail(input.email);
    const token = generateSecret(INVITE_TOKEN_PREFIX);
    const now = ctx.now();
    const invite = {
      id: ctx.newId(),
      teamId,
      email,
      role,
      tokenDigest: digestSecret(token),
      status: 'pending' as const,
      expiresAt: new Date(now.getTime() + INVITE_LIFETIME_MS).toISOString(),
      createdAt: now.toISOString(),
    };
    ctx.store.invites.insert(invite);
    return { invite: inviteView(invite), token };
  });
}

export function listInvites(ctx: ServiceContext, teamId: string): InviteView[] {
  return ctx.store.transaction(() => ctx.store.invites.listByTeam(teamId).map(inviteView));
}

/** JIT-04: the invitee becomes a member only now; the account's email must be the invited one. */
export function acceptInvite(ctx: ServiceContext, token: string, accountId: string): MemberView {
  return ctx.store.transaction(() => {
    const invite = ctx.store.invites.getByDigest(digestSecret(token));
    assertInviteUsable(invite, ctx.now());
    const account = requireAccount(ctx, accountId);
    if (!sameEmail(account.email, invite.email)) {
      throw new DomainError('invite_invalid', 'the invite was sent to another email address', {
        inviteId: invite.id,
      });
    }
    const team = requireTeam(ctx, invite.teamId);
    const existing = ctx.store.memberships.getByAccount(team.id, account.id);
    let membership: Membership;
    if (existing?.status === 'active') membership = existing;
    else if (existing) membership = reactivateMembership(ctx, team, existing, { role: invite.role });
    else membership = joinTeam(ctx, team, account.id, { role: invite.role });
    ctx.store.invites.update({ ...invite, status: 'accepted' });
    appendAudit(ctx, {
      type: 'invite.accepted',
      teamId: team.id,
      accountId: account.id,
      data: { inviteId: invite.id },
    });
    return memberView(membership, account);
  });
}

/**
 * JIT-04 / JIT-10: an invitee with no account signs in with SSO; the passwordless account and the membership the
 * invite grants are made in one transaction, so a refused invite (used, expired, other email) leaves no account.
 */
export function acceptInviteAsNewAccount(
  ctx: ServiceContext,
  token: string,
  person: Omit<NewPerson, 'password'>,
): MemberView {
  return ctx.store.transaction(() => {
    const invite = ctx.store.invites.getByDigest(digestSecret(token));
    assertInviteUsable(invite, ctx.now());
    // The address comes from the inviting team's IdP: it may not be one another organisation's domain owns.
    assertedAddress(ctx, requireTeam(ctx, invite.teamId).organisationId, person.email);
    const { account } = registerAccount(ctx, {
      email: person.email,
      givenName: person.givenName,
      familyName: person.familyName,
    });
    return acceptInvite(ctx, token, account.id);
  });
}
