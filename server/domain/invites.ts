// Invites and password-reset tokens: lifetimes and the checks before one is used.
// Catalogue JIT-04 (decision: invites expire after 14 days), JIT-07 (decision: reset tokens single-use, 1 h),
// PRV-10 / SSO-02 (decision: sign-up confirmation links single-use, 1 h).
import { DomainError } from './errors.ts';
import type { Invite, PasswordResetToken, SignUpConfirmation } from './model.ts';

export const INVITE_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;
export const INVITE_TOKEN_PREFIX = 'idsim_inv_';
export const RESET_TOKEN_PREFIX = 'idsim_pwr_';
export const SIGNUP_CONFIRMATION_LIFETIME_MS = 60 * 60 * 1000;
export const SIGNUP_TOKEN_PREFIX = 'idsim_su_';

/** JIT-04: only a pending, unexpired invite can be accepted. */
export function assertInviteUsable(invite: Invite | null, now: Date): asserts invite is Invite {
  if (!invite) throw new DomainError('invite_invalid', 'the invite does not exist');
  if (invite.status !== 'pending') {
    throw new DomainError('invite_invalid', `the invite is ${invite.status}`, { inviteId: invite.id });
  }
  if (Date.parse(invite.expiresAt) <= now.getTime()) {
    throw new DomainError('invite_invalid', 'the invite has expired', { inviteId: invite.id });
  }
}

/** A single-use link (reset, sign-up confirmation): it exists, is unused and has not expired. */
function isSingleUseLinkUsable(
  link: { usedAt: string | null; expiresAt: string } | null,
  now: Date,
): boolean {
  return link !== null && link.usedAt === null && Date.parse(link.expiresAt) > now.getTime();
}

/** JIT-07: a reset token works once, within its hour. */
export function assertResetTokenUsable(
  token: PasswordResetToken | null,
  now: Date,
): asserts token is PasswordResetToken {
  if (!isSingleUseLinkUsable(token, now)) {
    throw new DomainError('invalid_credentials', 'the password reset link is invalid, used or expired');
  }
}

/** PRV-10 / SSO-02: a sign-up confirmation link works once, within its hour. */
export function assertSignUpConfirmationUsable(
  confirmation: SignUpConfirmation | null,
  now: Date,
): asserts confirmation is SignUpConfirmation {
  if (!isSingleUseLinkUsable(confirmation, now)) {
    throw new DomainError('confirmation_invalid', 'the confirmation link is invalid, used or expired');
  }
}
