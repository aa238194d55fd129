// The canonical identity form (emails.ts) and the tenant-isolation rules (identity-authority.ts): idsim #10, #16,
// #17; catalogue PRV-01, PRV-08, SSO-07 (case-insensitive email, ASCII only).
import { describe, expect, it } from 'vitest';
import { canonicalEmail, emailDomain, emailKey, normaliseDomainName, sameEmail } from './emails.ts';
import {
  type AddressStanding,
  assertMayAdopt,
  assertMayChangeEmail,
  assertMaySpeakFor,
  mayWriteProfile,
} from './identity-authority.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? 'thrown';
  }
  return 'no error';
}

describe('idsim #10 the canonical identity form', () => {
  it.each([
    'kim@acme.example',
    'Kim.Lind@Acme.Example',
    "o'brien+tag@sub.acme.example",
    'a!#$%&*/=?^_`{|}~-@x.example',
    'user@xn--bcher-kva.example',
  ])('accepts %j unchanged', (address) => {
    expect(canonicalEmail(address)).toBe(address);
  });

  it.each([
    ['KELVIN SIGN (lowercases to k)', '\u212Aim@acme.example'],
    ['fullwidth letters (NFKC folds them)', '\uFF4Bim@acme.example'],
    ['Cyrillic look-alike', '\u043Aim@acme.example'],
    ['dotless i', 'k\u0131m@acme.example'],
    ['long s (uppercases to S)', '\u017Fam@acme.example'],
    ['leading and trailing space', ' admin@acme.example '],
    ['trailing NBSP', 'admin@acme.example\u00a0'],
    ['zero-width space', 'ad\u200Bmin@acme.example'],
    ['a tab inside', 'admin@acme\t.example'],
    ['line break', 'admin@acme.example\n'],
    ['two @', 'a@b@acme.example'],
    ['no local part', '@acme.example'],
    ['quoted local part', '"a b"@acme.example'],
    ['leading dot', '.kim@acme.example'],
    ['double dot', 'k..im@acme.example'],
    ['no dot in the domain', 'kim@localhost'],
    ['Unicode domain (must be an A-label)', 'kim@b\u00FCcher.example'],
    ['a label starting with a hyphen', 'kim@-acme.example'],
    ['an IP literal', 'kim@[127.0.0.1]'],
    ['a comment', 'kim(comment)@acme.example'],
    ['empty', ''],
    ['too long', `${'a'.repeat(64)}@${'b'.repeat(190)}.example`],
    ['local part over 64', `${'a'.repeat(65)}@acme.example`],
  ])('refuses %s with identity_invalid, never folding it', (_why, address) => {
    expect(codeOf(() => canonicalEmail(address))).toBe('identity_invalid');
  });

  it('matches case-insensitively on ASCII letters only', () => {
    expect(sameEmail('KIM@Acme.Example', 'kim@acme.example')).toBe(true);
    expect(sameEmail('\u212Aim@acme.example', 'kim@acme.example')).toBe(false);
    expect(emailKey('\u212Aim@ACME.example')).toBe('\u212Aim@acme.example');
    expect(emailDomain('x@ACME.Example')).toBe('acme.example');
  });

  it('domain names fold ASCII only, so a Kelvin sign never becomes a k', () => {
    expect(normaliseDomainName(' Acme.Example ')).toBe('acme.example');
    expect(codeOf(() => normaliseDomainName('\u212Acme.example'))).toBe('invalid_value');
  });
});

const writer = { teamId: 'team-a', organisationId: 'org-a' };
const at = (domainOwner: string | null, address = 'p@x.example'): AddressStanding => ({
  address,
  domain: 'x.example',
  domainOwner,
});

describe("idsim #17 an organisation never speaks for another one's verified domain", () => {
  it('refuses foreign, allows its own and unclaimed domains', () => {
    expect(codeOf(() => assertMaySpeakFor(writer, at('org-b')))).toBe('foreign_domain');
    expect(codeOf(() => assertMaySpeakFor(writer, at('org-a')))).toBe('no error');
    expect(codeOf(() => assertMaySpeakFor(writer, at(null)))).toBe('no error');
  });
});

describe('SSO-07 / PRV-10 adoption of an existing account (idsim #16/#17)', () => {
  it('needs a membership in the team or the domain', () => {
    expect(codeOf(() => assertMayAdopt(writer, at(null), { isMemberOfWriterTeam: true }))).toBe('no error');
    expect(codeOf(() => assertMayAdopt(writer, at('org-a'), { isMemberOfWriterTeam: false }))).toBe(
      'no error',
    );
    expect(codeOf(() => assertMayAdopt(writer, at(null), { isMemberOfWriterTeam: false }))).toBe(
      'account_not_claimable',
    );
    // even a member of the team is not adopted from another organisation's domain
    expect(codeOf(() => assertMayAdopt(writer, at('org-b'), { isMemberOfWriterTeam: true }))).toBe(
      'foreign_domain',
    );
  });
});

describe('idsim #16 profile writes', () => {
  it('the domain owner writes; nobody else does', () => {
    expect(mayWriteProfile(writer, at('org-a'), { otherTeamIds: ['team-b'] })).toBe(true);
    expect(mayWriteProfile(writer, at('org-b'), { otherTeamIds: [] })).toBe(false);
  });
  it("without an owner, only the account's only team writes", () => {
    expect(mayWriteProfile(writer, at(null), { otherTeamIds: [] })).toBe(true);
    expect(mayWriteProfile(writer, at(null), { otherTeamIds: ['team-b'] })).toBe(false);
  });
});

describe('PRV-08 email changes (idsim #17)', () => {
  it("need both the old and the new domain verified by the writer's organisation", () => {
    expect(codeOf(() => assertMayChangeEmail(writer, at('org-a'), at('org-a')))).toBe('no error');
    expect(codeOf(() => assertMayChangeEmail(writer, at(null), at('org-a')))).toBe('email_change_forbidden');
    expect(codeOf(() => assertMayChangeEmail(writer, at('org-b'), at('org-a')))).toBe(
      'email_change_forbidden',
    );
    expect(codeOf(() => assertMayChangeEmail(writer, at('org-a'), at(null)))).toBe('domain_not_verified');
    expect(codeOf(() => assertMayChangeEmail(writer, at('org-a'), at('org-b')))).toBe('foreign_domain');
  });
});
