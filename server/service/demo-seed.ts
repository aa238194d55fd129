// Seed data for `npm start` (the demo team "Acme") and a fast bulk seeder for the 100,000-user benchmark.
// The demo satisfies KEY-01..03 (Enterprise, one SAML method, admin actor) so the printed SCIM key works (KEY-04).
import { randomUUID } from 'node:crypto';
import type { AccountView, MemberView, OrganisationView, TeamView } from '../control/port.ts';
import { DomainError } from '../domain/errors.ts';
import type { MemberRow, Store } from '../store/store.ts';
import type { TeamService } from './team-service.ts';

export const DEMO_ORGANISATION_SLUG = 'acme';
export const DEMO_ADMIN_EMAIL = 'admin@acme.example';
/** Demo only: printed by `npm start` so that a person can sign in; never a default anywhere else. */
export const DEMO_ADMIN_PASSWORD = 'acme-demo-password';

export interface DemoSeedResult {
  organisation: OrganisationView;
  team: TeamView;
  admin: MemberView;
  adminAccount: AccountView;
  samlMethodId: string;
  passwordMethodId: string;
  scimKey: string;
  // The flat fields the launcher (server/http/launch.ts DemoSeed) reads:
  organisationId: string;
  teamId: string;
  adminAccountId: string;
  adminEmail: string;
  adminPassword: string;
}

/**
 * The demo: organisation "acme" with verified domain acme.example, an Enterprise team "Acme" with 50 seats, an
 * email/password method and one SAML method (pointing at the simulator's default local URLs), SCIM on, one key.
 */
export function seedDemo(service: TeamService, options: { idpBaseUrl?: string } = {}): DemoSeedResult {
  const idpBaseUrl = options.idpBaseUrl ?? 'http://127.0.0.1:7000';
  const organisation = service.createOrganisation({ slug: DEMO_ORGANISATION_SLUG, name: 'Acme Corporation' });
  service.addDomain(organisation.id, 'acme.example');
  service.verifyDomain(organisation.id, 'acme.example');
  const { team, owner } = service.createTeam({
    organisationId: organisation.id,
    name: 'Acme',
    plan: 'Enterprise',
    licensedSeats: 50,
    owner: { email: DEMO_ADMIN_EMAIL, givenName: 'Ada', familyName: 'Admin', password: DEMO_ADMIN_PASSWORD },
  });
  const actor = owner.account.id;
  const password = service.addAuthMethod(team.id, actor, { kind: 'password', label: 'Email and password' });
  const saml = service.addAuthMethod(team.id, actor, {
    kind: 'saml',
    label: 'Acme IdP',
    autoAddUsers: true,
    saml: {
      idpEntityId: `${idpBaseUrl}/metadata`,
      idpSsoUrl: `${idpBaseUrl}/saml/sso`,
      idpSloUrl: `${idpBaseUrl}/saml/slo`,
      idpCertificates: [],
    },
  });
  service.setScimEnabled(team.id, actor, true);
  const { key } = service.generateScimKey(team.id, actor);
  return {
    organisation,
    team: service.getTeam(team.id),
    admin: owner,
    adminAccount: owner.account,
    samlMethodId: saml.id,
    passwordMethodId: password.id,
    scimKey: key,
    organisationId: organisation.id,
    teamId: team.id,
    adminAccountId: actor,
    adminEmail: DEMO_ADMIN_EMAIL,
    adminPassword: DEMO_ADMIN_PASSWORD,
  };
}

const GIVEN_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const FAMILY_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
];

/**
 * Bulk seeder for benchmarks: n passwordless, SCIM-managed, active members in one transaction with prepared
 * inserts (no per-row service logic). Emails are `user<i>.<team-prefix>@bench.example`. The seat rule (PRV-09)
 * is checked once for the whole batch. Returns the number inserted.
 */
export function seedUsers(store: Store, teamId: string, n: number): number {
  const team = store.teams.get(teamId);
  if (!team) throw new DomainError('not_found', `team ${teamId} not found`, { resource: 'team', id: teamId });
  if (!team.autoFlex && !team.trueUp && team.usedSeats + n > team.licensedSeats) {
    throw new DomainError('no_seats_available', 'no seats available', { needed: n });
  }
  const tag = teamId
    .replace(/[^a-zA-Z0-9]/g, '')
    .slice(0, 8)
    .toLowerCase();
  const now = new Date().toISOString();
  const batch: MemberRow[] = [];
  for (let i = 0; i < n; i += 1) {
    const accountId = randomUUID();
    batch.push({
      account: {
        id: accountId,
        email: `user${i}.${tag}@bench.example`,
        givenName: GIVEN_NAMES[i % GIVEN_NAMES.length] ?? 'Ada',
        familyName: FAMILY_NAMES[i % FAMILY_NAMES.length] ?? 'Lovelace',
        username: null,
        passwordHash: null,
        emailConfirmed: true,
        createdAt: now,
      },
      membership: {
        id: randomUUID(),
        teamId,
        accountId,
        role: 'Member',
        status: 'active',
        managedByScim: true,
        externalId: `ext-${tag}-${i}`,
        version: 1,
        createdAt: now,
        updatedAt: now,
      },
    });
  }
  store.insertMembersBulk(batch);
  return n;
}
