// What a team's sign-in page asks of the service: the facts it decides on, first SSO sign-in (JIT), the teams of an
// account and the audit trail. Catalogue JIT-01..06/09/10, DEA-01/02, REM-02, SSO-03/05.
import type { AccountView, AuthMethodView, MemberView, NewPerson, TeamView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { AuditEvent } from '../domain/model.ts';
import { assertSeatAvailable } from '../domain/seats.ts';
import { isSsoKind } from '../domain/sso-kinds.ts';
import { requireMethod } from './auth-methods.ts';
import type { ServiceContext } from './context.ts';
import { assertedAddress } from './identity-standing.ts';
import { createAccount, joinTeam, requireTeam } from './lifecycle.ts';
import { type AuditInput, appendAudit, memberViewOf } from './service-kit.ts';
import { accountView, authMethodView, memberView, teamView } from './views.ts';

/** What a team sign-in page needs to decide (JIT-01..06, DEA-01/02, REM-02, SSO-03/05). */
export interface TeamSignInFacts {
  team: TeamView;
  account: AccountView | null;
  member: MemberView | null;
  /** REM-02: an admin removed this account from the team and nobody added it back */
  removedFromTeam: boolean;
  /** the enabled password method, if any (SSO-03/05) */
  passwordMethod: AuthMethodView | null;
  /** enabled SAML methods */
  samlMethods: AuthMethodView[];
  /** enabled OpenID Connect methods */
  oidcMethods: AuthMethodView[];
}

/**
 * JIT-01..03 (and JIT-09 with capture): first SSO sign-in through a team's SAML method. An active member is
 * returned as is; a deactivated one (DEA-01) or one an admin removed (REM-02) gets `not_a_member`; otherwise the
 * method's "Automatically add new users" must be on (`jit_disabled`) and a seat free (`no_seats_available`).
 * New accounts have no password (JIT-10); the new member's role is Member (JIT-02 decision).
 */
export function admitByJit(
  ctx: ServiceContext,
  teamId: string,
  methodId: string,
  person: Omit<NewPerson, 'password'>,
): MemberView {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const method = requireMethod(ctx, teamId, methodId);
    if (!isSsoKind(method.kind) || !method.enabled) {
      throw new DomainError('invalid_state', 'this SSO method is not enabled', { methodId });
    }
    const account = ctx.store.accounts.getByEmail(assertedAddress(ctx, team.organisationId, person.email));
    const membership = account ? ctx.store.memberships.getByAccount(teamId, account.id) : null;
    if (account && membership) {
      if (membership.status !== 'active') {
        throw new DomainError('not_a_member', 'your membership of this team is deactivated', { teamId });
      }
      return memberView(membership, account);
    }
    if (account && wasRemoved(ctx, teamId, account.id)) {
      throw new DomainError('not_a_member', 'you were removed from this team; ask an admin to add you back', {
        teamId,
      });
    }
    if (!method.autoAddUsers) {
      throw new DomainError(
        'jit_disabled',
        'You need to be invited to join the team: JIT provisioning is not enabled for your team. Contact a team administrator.',
        { teamId },
      );
    }
    assertSeatAvailable(team);
    const target = account ?? createAccount(ctx, { ...person });
    const joined = joinTeam(ctx, team, target.id, { role: 'Member' });
    appendAudit(ctx, { type: 'member.jit_added', teamId, accountId: target.id, data: { methodId } });
    return memberView(joined, target);
  });
}

/** REM-02: the account's last departure from this team was a removal by an admin (not leaving, not SCIM). */
function wasRemoved(ctx: ServiceContext, teamId: string, accountId: string): boolean {
  const departures = new Set(['member.removed', 'member.left', 'scim.deleted']);
  const last = ctx.store.audit.list({ teamId, accountId }).findLast((event) => departures.has(event.type));
  return last?.type === 'member.removed';
}
/** JIT-06 decision: linking (and other sign-in facts) is recorded as an audit event. */
export function recordAuditEvent(ctx: ServiceContext, input: AuditInput): AuditEvent {
  return ctx.store.transaction(() => appendAudit(ctx, input));
}

export function listAuditEvents(
  ctx: ServiceContext,
  filter: { teamId?: string; accountId?: string; type?: string } = {},
): AuditEvent[] {
  return ctx.store.transaction(() => ctx.store.audit.list(filter));
}

export function getTeamSignInFacts(ctx: ServiceContext, teamId: string, email: string): TeamSignInFacts {
  return ctx.store.transaction(() => {
    const team = requireTeam(ctx, teamId);
    const account = ctx.store.accounts.getByEmail(email);
    const membership = account ? ctx.store.memberships.getByAccount(teamId, account.id) : null;
    const methods = ctx.store.authMethods.listByTeam(teamId).filter((method) => method.enabled);
    const password = methods.find((method) => method.kind === 'password');
    return {
      team: teamView(team),
      account: account ? accountView(account) : null,
      member: account && membership ? memberView(membership, account) : null,
      removedFromTeam: account !== null && membership === null && wasRemoved(ctx, teamId, account.id),
      passwordMethod: password ? authMethodView(password) : null,
      samlMethods: methods.filter((method) => method.kind === 'saml').map(authMethodView),
      oidcMethods: methods.filter((method) => method.kind === 'oidc').map(authMethodView),
    };
  });
}

/** Teams the account is an active member of (sign-in landing pages). */
export function listTeamsOfAccount(ctx: ServiceContext, accountId: string): MemberView[] {
  return ctx.store.transaction(() =>
    ctx.store.memberships.listByAccount(accountId).map((membership) => memberViewOf(ctx, membership)),
  );
}
