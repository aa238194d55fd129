// Accounts: reads, the owner's own email and password (PRV-06), registration with a confirmed address and domain
// capture (PRV-10, SSO-02), the password check (DEA-02, REM-02) and password reset tokens (JIT-07, JIT-10).
import type { AccountView, MemberView, NewPerson } from '../control/port.ts';
import { canonicalEmail, emailDomain } from '../domain/emails.ts';
import { DomainError } from '../domain/errors.ts';
import {
  assertResetTokenUsable,
  assertSignUpConfirmationUsable,
  PASSWORD_RESET_LIFETIME_MS,
  RESET_TOKEN_PREFIX,
  SIGNUP_CONFIRMATION_LIFETIME_MS,
  SIGNUP_TOKEN_PREFIX,
} from '../domain/invites.ts';
import type { Account } from '../domain/model.ts';
import { checkPassword, hashPassword, verifyPasswordHash } from '../domain/passwords.ts';
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

/**
 * PRV-10 / SSO-02: what a sign-up did. `registered`: an account now (unverified domain). `confirmation`: a link to
 * e-mail (verified domain); `token` is null when the address already has an account (nothing is sent, and the
 * person sees the same answer: no account enumeration).
 */
export type SignUpResult =
  | ({ kind: 'registered' } & RegisteredAccount)
  | { kind: 'confirmation'; email: string; token: string | null; expiresAt: string };

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
    // The new address is the owner's word only: domain capture (setDomainCapture) will not take it.
    const next: Account = { ...account, email, emailConfirmed: false };
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
    ctx.store.passwordResets.markAllUsedForAccount(account.id, ctx.nowIso());
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
/** PRV-10 / SSO-02: the membership domain capture gives a confirmed account, else null (seat rules apply). */
function captureOnRegistration(ctx: ServiceContext, account: Account): MemberView | null {
  const domain = ctx.store.domains.findVerified(emailDomain(account.email));
  if (!domain?.captureTeamId) return null;
  const team = requireTeam(ctx, domain.captureTeamId);
  const membership = joinTeam(ctx, team, account.id, { role: 'Member' });
  appendAudit(ctx, {
    type: 'member.captured',
    teamId: team.id,
    accountId: account.id,
    data: { domain: domain.name },
  });
  return memberView(membership, account);
}

/**
 * An account whose address is already proven (an invite accepted from its e-mail, JIT-04; the operator's and the
 * tests' fixtures); when its domain is verified and captured it joins that team at once as a Member (seat rules: with
 * no seat the whole registration is refused). Self-service sign-up goes through signUp instead.
 */
export function registerAccount(ctx: ServiceContext, person: NewPerson): RegisteredAccount {
  return ctx.store.transaction(() => {
    const account = createAccount(ctx, person);
    return { account: accountView(account), member: captureOnRegistration(ctx, account) };
  });
}

/**
 * PRV-10 / SSO-02: self-service sign-up. In a verified domain (captured or not) nothing is created yet: the details
 * wait behind a single-use 1 h link that proves the mailbox (confirmSignUp). Elsewhere the account is made at once,
 * personal, with an unconfirmed address (capture after a later verification skips it).
 */
export function signUp(ctx: ServiceContext, person: NewPerson & { password: string }): SignUpResult {
  return ctx.store.transaction(() => {
    const email = canonicalEmail(person.email);
    if (ctx.store.domains.findVerified(emailDomain(email)) === null) {
      const account = createAccount(ctx, person, null, false);
      return { kind: 'registered', account: accountView(account), member: null };
    }
    // Hashed before the lookup, so a taken address answers in the same time as a free one.
    const passwordHash = hashPassword(person.password);
    const expiresAt = new Date(ctx.now().getTime() + SIGNUP_CONFIRMATION_LIFETIME_MS).toISOString();
    if (ctx.store.accounts.getByEmail(email)) return { kind: 'confirmation', email, token: null, expiresAt };
    if (typeof person.givenName !== 'string' || typeof person.familyName !== 'string') {
      throw new DomainError('invalid_value', 'givenName and familyName are required (they may be empty)');
    }
    const token = generateSecret(SIGNUP_TOKEN_PREFIX);
    ctx.store.signUpConfirmations.insert({
      digest: digestSecret(token),
      email,
      givenName: person.givenName,
      familyName: person.familyName,
      passwordHash,
      expiresAt,
      usedAt: null,
    });
    appendAudit(ctx, { type: 'signup.confirmation_sent', data: { domain: emailDomain(email) } });
    return { kind: 'confirmation', email, token, expiresAt };
  });
}

/**
 * PRV-10 / SSO-02: the emailed link was opened. The account is created with a confirmed address, and joins the team
 * that captures its domain now (seat rules: with no seat nothing is written and the link stays usable). Every other
 * link for the address is used up. An address that got an account meanwhile (SCIM, JIT, another link) refuses.
 */
export function confirmSignUp(ctx: ServiceContext, token: string): RegisteredAccount {
  return ctx.store.transaction(() => {
    const confirmation = ctx.store.signUpConfirmations.getByDigest(digestSecret(token));
    assertSignUpConfirmationUsable(confirmation, ctx.now());
    if (ctx.store.accounts.getByEmail(confirmation.email)) {
      throw new DomainError('confirmation_invalid', 'the address already has an account');
    }
    const created = createAccount(ctx, {
      email: confirmation.email,
      givenName: confirmation.givenName,
      familyName: confirmation.familyName,
    });
    const account: Account = { ...created, passwordHash: confirmation.passwordHash };
    ctx.store.accounts.update(account);
    ctx.store.signUpConfirmations.markAllUsedForEmail(confirmation.email, ctx.nowIso());
    appendAudit(ctx, { type: 'signup.confirmed', accountId: account.id });
    const member = captureOnRegistration(ctx, account);
    return { account: accountView(account), member };
  });
}

/** SignInPort.sessionCredential: a digest of the password hash (salted, so each set/change/reset differs). */
export function sessionCredential(ctx: ServiceContext, accountId: string): string | null {
  return ctx.store.transaction(() => {
    const account = ctx.store.accounts.get(accountId);
    if (!account) return null;
    return digestSecret(`password\u0000${account.passwordHash ?? ''}`);
  });
}

/** Password sign-in check (DEA-02, REM-02: works regardless of team status). */
export function verifyPassword(ctx: ServiceContext, email: string, password: string): AccountView {
  return ctx.store.transaction(() => {
    const account = ctx.store.accounts.getByEmail(email);
    // checkPassword runs the KDF even without an account: no timing difference tells which addresses have one.
    if (!checkPassword(password, account?.passwordHash ?? null) || !account) {
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
    // This link and every other one still out (an older request, or one an attacker triggered) are used up.
    ctx.store.passwordResets.markAllUsedForAccount(account.id, ctx.nowIso());
    appendAudit(ctx, { type: 'password.reset', accountId: account.id });
    return accountView(next);
  });
}
