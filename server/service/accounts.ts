// Accounts: reads, the owner's own email and password (PRV-06), registration with domain capture (PRV-10, SSO-02),
// the password check (DEA-02, REM-02) and password reset tokens (JIT-07, JIT-10).
import type { AccountView, MemberView, NewPerson } from '../control/port.ts';
import { canonicalEmail, emailDomain } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import { assertResetTokenUsable, PASSWORD_RESET_LIFETIME_MS, RESET_TOKEN_PREFIX } from '../domain/invites.ts';
import type { Account } from '../domain/model.ts';
import { hashPassword, verifyPasswordHash } from '../domain/passwords.ts';
import { digestSecret, generateSecret } from '../domain/tokens.ts';
import type { ServiceContext } from './context.ts';
import { createAccount, joinTeam, requireAccount, requireTeam } from './lifecycle.ts';
import { appendAudit } from './service-kit.ts';
import { accountView, memberView } from './views.ts';

export interface RegisteredAccount {
  account: AccountView;
  /** PRV-10 / SSO-02: the membership made by domain capture, else null */
  member: MemberView | null;
}

/** PRV-06: refused while any team of the account has SCIM on. */
function assertSelfServiceAllowed(ctx: ServiceContext, accountId: string, what: string): void {
  for (const membership of ctx.store.memberships.listByAccount(accountId)) {
    if (ctx.store.teams.get(membership.teamId)?.scimEnabled) {
      throw new DomainError('managed_by_scim', `${what} is managed by your identity provider (SCIM)`, {
        teamId: membership.teamId,
      });
    }
  }
}

export function changeOwnEmail(ctx: ServiceContext, accountId: string, newEmail: string): AccountView {
  return ctx.store.transaction(() => {
    const account = requireAccount(ctx, accountId);
    assertSelfServiceAllowed(ctx, accountId, 'your email');
    const email = canonicalEmail(newEmail);
    // Without proof of the mailbox, an address in a verified domain would hand this account to that organisation's
    // capture and SCIM (and let anyone pose as one of its people): only its organisation's IdP assigns those.
    const domain = emailDomain(email);
    if (ctx.store.domains.findVerified(domain)) {
      throw new DomainError(
        'foreign_domain',
        `${domain} is a verified domain: its organisation assigns its addresses`,
        {
          domain,
        },
      );
    }
    const holder = ctx.store.accounts.getByEmail(email);
    if (holder && holder.id !== accountId) {
      throw new DomainError('uniqueness', `${email} is already used by another account`, {
        attribute: 'email',
      });
    }
    const next: Account = { ...account, email };
    ctx.store.accounts.update(next);
    return accountView(next);
  });
}

export function changeOwnPassword(
  ctx: ServiceContext,
  accountId: string,
  currentPassword: string | null,
  newPassword: string,
): AccountView {
  return ctx.store.transaction(() => {
    const account = requireAccount(ctx, accountId);
    assertSelfServiceAllowed(ctx, accountId, 'your password');
    if (account.passwordHash !== null) {
      if (currentPassword === null || !verifyPasswordHash(currentPassword, account.passwordHash)) {
        throw new DomainError('invalid_credentials', 'the current password is wrong');
      }
    }
    const next: Account = { ...account, passwordHash: hashPassword(newPassword) };
    ctx.store.accounts.update(next);
    return accountView(next);
  });
}

export function getAccount(ctx: ServiceContext, accountId: string): AccountView {
  return ctx.store.transaction(() => accountView(requireAccount(ctx, accountId)));
}

export function emailDomainOwner(ctx: ServiceContext, email: string): string | null {
  return ctx.store.transaction(
    () => ctx.store.domains.findVerified(emailDomain(email))?.organisationId ?? null,
  );
}

export function findAccountByEmail(ctx: ServiceContext, email: string): AccountView | null {
  return ctx.store.transaction(() => {
    const account = ctx.store.accounts.getByEmail(email);
    return account ? accountView(account) : null;
  });
}
/**
 * PRV-10 / SSO-02: a new account; when its email domain is verified and captured by a team, it joins that team
 * at once as a Member (seat rules apply: with no seat the whole registration is refused).
 */
export function registerAccount(ctx: ServiceContext, person: NewPerson): RegisteredAccount {
  return ctx.store.transaction(() => {
    const account = createAccount(ctx, person);
    const domain = ctx.store.domains.findVerified(emailDomain(account.email));
    let member: MemberView | null = null;
    if (domain?.captureTeamId) {
      const team = requireTeam(ctx, domain.captureTeamId);
      const membership = joinTeam(ctx, team, account.id, { role: 'Member' });
      appendAudit(ctx, {
        type: 'member.captured',
        teamId: team.id,
        accountId: account.id,
        data: { domain: domain.name },
      });
      member = memberView(membership, account);
    }
    return { account: accountView(account), member };
  });
}

/** Password sign-in check (DEA-02, REM-02: works regardless of team status). */
export function verifyPassword(ctx: ServiceContext, email: string, password: string): AccountView {
  return ctx.store.transaction(() => {
    const account = ctx.store.accounts.getByEmail(email);
    if (!account || account.passwordHash === null || !verifyPasswordHash(password, account.passwordHash)) {
      throw new DomainError('invalid_credentials', 'wrong email or password');
    }
    return accountView(account);
  });
}

/**
 * JIT-01..03 (and JIT-09 with capture): first SSO sign-in through a team's SAML method. An active member is
 * returned as is; a deactivated one (DEA-01) or one an admin removed (REM-02) gets `not_a_member`; otherwise the
 * method's "Automatically add new users" must be on (`jit_disabled`) and a seat free (`no_seats_available`).
/** JIT-07: a single-use token valid 1 h, stored as a digest; null when no account has that email. */
export function createPasswordResetToken(
  ctx: ServiceContext,
  email: string,
): { token: string; expiresAt: string } | null {
  return ctx.store.transaction(() => {
    const account = ctx.store.accounts.getByEmail(email);
    if (!account) return null;
    const token = generateSecret(RESET_TOKEN_PREFIX);
    const expiresAt = new Date(ctx.now().getTime() + PASSWORD_RESET_LIFETIME_MS).toISOString();
    ctx.store.passwordResets.insert({
      digest: digestSecret(token),
      accountId: account.id,
      expiresAt,
      usedAt: null,
    });
    appendAudit(ctx, { type: 'password.reset_requested', accountId: account.id });
    return { token, expiresAt };
  });
}

/** JIT-07 / JIT-10: sets a new password with a valid token (decision: allowed even with SCIM on — recovery). */
export function resetPassword(ctx: ServiceContext, token: string, newPassword: string): AccountView {
  return ctx.store.transaction(() => {
    const digest = digestSecret(token);
    const stored = ctx.store.passwordResets.getByDigest(digest);
    assertResetTokenUsable(stored, ctx.now());
    const account = requireAccount(ctx, stored.accountId);
    const next: Account = { ...account, passwordHash: hashPassword(newPassword) };
    ctx.store.accounts.update(next);
    ctx.store.passwordResets.markUsed(digest, ctx.nowIso());
    appendAudit(ctx, { type: 'password.reset', accountId: account.id });
    return accountView(next);
  });
}
