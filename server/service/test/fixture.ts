// Test fixture for the team service: an in-memory store, a frozen clock and an Enterprise team with one SAML method.
// Shared by the per-catalogue-row tests in this folder.
import type { MemberView, PlanName, TeamView } from '../../control/port.ts';
import type { ScimUserInput } from '../../scim/directory.ts';
import { openSqliteStore } from '../../store/index.ts';
import type { Store } from '../../store/store.ts';
import { createTeamService, type TeamService } from '../index.ts';

export interface Fixture {
  store: Store;
  service: TeamService;
  clock: { now: Date };
  organisationId: string;
  team: TeamView;
  owner: MemberView;
  ownerId: string;
  samlMethodId: string;
}

export function makeFixture(
  options: {
    plan?: PlanName;
    seats?: number;
    autoFlex?: boolean;
    trueUp?: boolean;
    saml?: boolean;
    /** the organisation verifies acme.example (SSO-07 adoption outside the team, PRV-08 email changes) */
    verifiedDomain?: boolean;
  } = {},
): Fixture {
  const store = openSqliteStore({ path: ':memory:' });
  const clock = { now: new Date('2026-11-25T12:00:00.000Z') };
  const service = createTeamService(store, { now: () => clock.now });
  const organisation = service.createOrganisation({ slug: 'acme', name: 'Acme' });
  const { team, owner } = service.createTeam({
    organisationId: organisation.id,
    name: 'Acme',
    plan: options.plan ?? 'Enterprise',
    licensedSeats: options.seats ?? 10,
    autoFlex: options.autoFlex ?? false,
    trueUp: options.trueUp ?? false,
    owner: { email: 'owner@acme.example', givenName: 'Olive', familyName: 'Owner' },
  });
  if (options.verifiedDomain === true) {
    service.addDomain(organisation.id, 'acme.example');
    service.verifyDomain(organisation.id, 'acme.example');
  }
  let samlMethodId = '';
  if (options.saml ?? true) {
    samlMethodId = service.addAuthMethod(team.id, owner.account.id, {
      kind: 'saml',
      label: 'Okta',
      saml: { idpEntityId: 'urn:idp', idpSsoUrl: 'http://127.0.0.1/sso', idpCertificates: [] },
    }).id;
  }
  return {
    store,
    service,
    clock,
    organisationId: organisation.id,
    team,
    owner,
    ownerId: owner.account.id,
    samlMethodId,
  };
}

export function scimUser(email: string, overrides: Partial<ScimUserInput> = {}): ScimUserInput {
  return {
    userName: email,
    externalId: null,
    givenName: 'Given',
    familyName: 'Family',
    active: true,
    ...overrides,
  };
}

/** Runs fn and returns the DomainError code it threw (or 'no error'). */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return 'no error';
}

export function enableScim(f: Fixture): string {
  f.service.setScimEnabled(f.team.id, f.ownerId, true);
  return f.service.generateScimKey(f.team.id, f.ownerId).key;
}
